"""The writer's turns: one build at a time writes into a folder.

Input: the output folder a build will write, and what to call when it must wait. Output: the
folder held until the build ends (a context), and the seconds it waited for another build of that
output (a preview's and a CLI's, two CLIs) to end.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def exclusive(out: Path, waiting: Callable[[], None] | None = None,
              stopping: threading.Event | None = None) -> Iterator[float]:
    """Hold `out` for one build; yields the seconds spent waiting for another build of it (the
    preview's and a CLI's, two CLIs) to end, and calls `waiting` first when there is such a wait
    (a preview would otherwise sit silent through a CLI build of thousands of speeches). A wait
    ends in `Stopped` once `stopping` is set: a preview's build waits in a thread, which Ctrl-C does
    not interrupt, and the process would otherwise live on until the other build ends. Without
    the lock the later build could read the output and the cache's record of it before the first
    publishes, then link in that build's pages from other sources and record them as its own,
    which every later build would keep. The lock is a `flock` of the folder holding `out`: no
    file is made for it, the kernel drops it when the process ends however it ends, and the
    processes a build starts (workers, Pagefind) end with it."""
    held = out.absolute().parent
    try:  # made now (a first build into a new path), so that a second build locks this same folder
        held.mkdir(parents=True, exist_ok=True)
        fd = os.open(held, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        yield 0.0  # the build says what is wrong with its output
        return
    try:
        waited = 0.0
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            start = time.perf_counter()
            if stopping is None:
                fcntl.flock(fd, fcntl.LOCK_EX)  # the main thread's: Ctrl-C interrupts it
            else:
                _until_free(fd, stopping)
            waited = time.perf_counter() - start
        except OSError:  # a file system without locks (ENOLCK): as before there were any
            pass
        yield waited
    finally:
        os.close(fd)


class Stopped(Exception):
    """The preview stopped while its build waited for another build: nothing was read or written."""


def _until_free(fd: int, stopping: threading.Event) -> None:
    while True:
        if stopping.wait(0.05):
            raise Stopped("the preview stopped while its build waited for another build")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            continue
