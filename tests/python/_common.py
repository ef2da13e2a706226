"""Shared helpers for the python test suite."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SRC_ROOT, "training"))

SKIP = 77


def shared_dir():
    """The shared data folder (../shared beside the source tree, or $ECLUT_SHARED)."""
    d = os.environ.get("ECLUT_SHARED") or os.path.join(os.path.dirname(SRC_ROOT), "shared")
    return d if os.path.isdir(os.path.join(d, "datasets", "bench")) else None


def require_shared():
    d = shared_dir()
    if d is None:
        print("skip: ../shared (or $ECLUT_SHARED) with datasets/bench is absent")
        sys.exit(SKIP)
    return d


def run_unittest():
    import unittest
    prog = unittest.main(exit=False, verbosity=2)
    sys.exit(0 if prog.result.wasSuccessful() else 1)
