"""The history import's worker processes end with the import.

A forked worker holds copies of its parent's open files, the database connection's
socket among them: a worker that outlived a killed import would keep that socket open,
and PostgreSQL would keep the import's transaction — and its locks — alive with it. So
each worker asks the kernel to kill it when its parent dies (Linux), and checks that
the parent has not died already."""

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Called first in a worker, with the pid of the process that started it."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
