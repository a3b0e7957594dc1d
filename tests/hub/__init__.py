"""The course handed to a class through a real JupyterHub (deploy/hub/), as students and a lecturer
meet it."""
