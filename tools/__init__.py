"""Maintainers' scripts: run them as `python -m tools.<name>` (the Makefile does)."""
