"""Shared test set-up: TensorFlow must be quiet before anything imports it."""

import os

from helpers.environment import _QUIET_TENSORFLOW

os.environ.update(_QUIET_TENSORFLOW)
os.environ.setdefault("MPLBACKEND", "Agg")
