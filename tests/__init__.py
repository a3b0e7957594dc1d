"""The maintainers' tests. Quiet TensorFlow's start-up log before any test module or catalogue imports it."""

import os

from helpers.environment import QUIET_TENSORFLOW

os.environ.update(QUIET_TENSORFLOW)
