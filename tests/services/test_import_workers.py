"""A killed history import leaves no worker behind: each worker dies with the process
that started it, so no copy of the import's database socket (and with it the import's
transaction and locks) outlives the import."""

import os
import signal

import pytest

from hotline.orders.services import history_import

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def test_a_worker_dies_when_the_import_is_killed():
    ready_read, ready_write = os.pipe()
    held_read, held_write = os.pipe()  # open in the worker as long as it lives
    importer = os.fork()
    if importer == 0:  # the import; a child never returns into the test run
        try:
            os.close(ready_read)
            os.close(held_read)
            if os.fork() == 0:  # its worker, started as the import starts them
                try:
                    history_import._start_worker(None, os.getppid())
                    os.write(ready_write, b"w")
                    signal.pause()
                finally:
                    os._exit(0)
            os.close(held_write)
            signal.pause()
        finally:
            os._exit(0)
    os.close(ready_write)
    os.close(held_write)
    assert os.read(ready_read, 1) == b"w"  # the worker runs
    os.kill(importer, signal.SIGKILL)  # kill -9 of the import
    os.waitpid(importer, 0)
    # End of file once every holder of the write end is gone: the worker too.
    assert os.read(held_read, 1) == b""
