"""Progress lines of the training tool (through tqdm, so bars stay intact)."""
import sys

from tqdm import tqdm


def log(*a):
    tqdm.write(" ".join(str(x) for x in a))
    sys.stdout.flush()
