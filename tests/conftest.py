"""Shared test set-up: TensorFlow must be quiet before anything imports it.

Notebook kernels started by nbval inherit this environment, so set nothing here that changes
what a notebook shows (a matplotlib backend, for one).
"""

import os

from helpers.environment import _QUIET_TENSORFLOW

os.environ.update(_QUIET_TENSORFLOW)
