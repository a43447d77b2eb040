"""Workers: run a stage's independent pieces of work on every core, with results in input order.

Input: a function `work(context, item)`, the `context` it reads (the immutable model of the
stage: it reaches the workers by fork, never pickled), the items (small, picklable: unit ids,
source files) and a number of processes. Output: `work`'s results, in the order of the items,
whatever the number of processes: so the output of a build is the same byte for byte with 1 or
N jobs. With one job, or few items, everything runs in this process through the same function.

Workers are forked after the model is built, take chunks of items from a queue (so a slow chunk
does not hold up the others), and ignore Ctrl-C: the parent stops them and cleans up. A failure
in a worker is raised in the parent with the worker's traceback; an OSError (a full disk, a file
size limit) as the same OSError, which the caller reports like its own.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing as mp
import os
import queue
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 16  # items per message: few enough round trips, small enough to balance the cores


def default_jobs() -> int:
    """One process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class WorkerFailed(RuntimeError):
    """A worker raised: the message holds its traceback."""


def chunked(items: Sequence[T], chunk: int, cut: int = 0) -> list[Sequence[T]]:
    """The items in chunks of `chunk`, none across `cut`."""
    return [part[i:i + chunk] for part in (items[:cut], items[cut:]) for i in range(0, len(part), chunk)]


def run(work: Callable[[Any, T], R], context: Any, items: Sequence[T], jobs: int,
        chunk: int = CHUNK, trim: bool = True, cut: int = 0) -> Iterator[R]:
    """`work(context, item)` for each item, yielded in the items' order. `trim`: give freed
    memory back first (see `_trim`); a stage whose workers live briefly and allocate little may skip
    it (a full collection of a large heap is not free: 0.15 s at 1,000 speeches). `cut`: no chunk
    holds items from both sides of this index (the caller acts once the first part is done)."""
    if jobs <= 1 or len(items) <= chunk or "fork" not in mp.get_all_start_methods():
        for item in items:
            yield work(context, item)
        return
    if trim:
        _trim()
    fork = mp.get_context("fork")
    tasks: Any = fork.Queue()
    results: Any = fork.Queue()
    chunks = chunked(items, chunk, cut)
    procs = [fork.Process(target=_serve, args=(work, context, tasks, results), daemon=True)
             for _ in range(min(jobs, len(chunks)))]
    for p in procs:
        p.start()
    try:
        for n, c in enumerate(chunks):
            tasks.put((n, list(c)))
        for _ in procs:
            tasks.put(None)
        done: dict[int, list[R]] = {}
        for want in range(len(chunks)):
            while want not in done:
                n, ok, value = _get(results, procs)
                if not ok:
                    raise value if isinstance(value, OSError) else WorkerFailed(value)
                done[n] = value
            yield from done.pop(want)
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join()
        for q in (tasks, results):  # chunks no worker will read must not hold up this process's exit
            q.cancel_join_thread()
            q.close()


def _trim() -> None:
    """Give the memory freed so far back to the system before forking (glibc keeps it otherwise):
    a worker's resident size starts as this process's. At 10,000 speeches this takes the parent
    after parsing from about 700 MB to about 350 MB. Elsewhere than glibc, nothing happens."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _get(results: Any, procs: list[Any]) -> tuple[int, bool, Any]:
    while True:
        try:
            return results.get(timeout=1.0)  # type: ignore[no-any-return]
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:  # killed (out of memory, a signal): it will never answer
                raise WorkerFailed(f"a worker process ended with status {dead[0].exitcode}") from None


def _serve(work: Callable[[Any, T], R], context: Any, tasks: Any, results: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    # A worker dies with its build, even a killed one (kill -9 leaves no finally to stop it): Linux's
    # prctl(PR_SET_PDEATHSIG, SIGKILL); elsewhere the parent's `finally` is all there is.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    while (task := tasks.get()) is not None:
        n, items = task
        try:
            results.put((n, True, [work(context, item) for item in items]))
        except OSError as e:
            if e.errno is None:  # not the system's (a damaged gzip stream, an unsupported operation): a bug
                results.put((n, False, traceback.format_exc()))
            else:  # the environment (a full disk, a file size limit): raised in the parent as it was
                results.put((n, False, OSError(e.errno, e.strerror, e.filename, None, e.filename2)))
            return
        except BaseException:
            results.put((n, False, traceback.format_exc()))
            return
