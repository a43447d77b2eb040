"""The preview's builds: one at a time, one more for the changes that came during a build, and
a build that raises turned into a failed result (the preview shows it and keeps rebuilding).

Input: a function that starts a build and one that takes its result. Output: builds run in that
order, each result handed over on the caller's event loop; `safe_build` never raises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import error
from .outputlock import Stopped
from .pipeline import Options, Result, build


def crashed(e: BaseException) -> Result:
    """A build that raised, as a failed result: shown on the error page like any diagnostic."""
    where = ""
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None:
        where = f" (in {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno})"
    message = f"{type(e).__name__}: {e}"
    if len(message) > 300:
        message = message[:300] + "…"
    return Result((error("edition", 0, 0, "internal-error",
                         f"the build stopped on an internal error{where}: {message}",
                         "save again to retry; `build.py build` prints the full traceback to report"),), None)


def safe_build(opts: Options, previous: Result | None, waiting: Callable[[], None] | None = None,
               stopping: threading.Event | None = None) -> Result:
    """A build that never raises: an exception (a file vanished mid-read, a bug) becomes a failed
    result. But `Stopped`: the preview is stopping (`stopping` set) while the build waited its turn."""
    try:
        return build(opts, previous, waiting=waiting, stopping=stopping)
    except Stopped:
        raise
    except Exception as e:  # the preview must survive anything a build does
        return crashed(e)


@dataclass
class Rebuilder:
    """One build at a time; changes arriving during a build make exactly one more build after it.

    `start` runs a build off the event loop and calls `done` with its result on the loop (the
    callbacks are the caller's, so this can be driven by a test without a server)."""

    start: Callable[[], Future[Result]]
    done: Callable[[Result], None]
    call_soon: Callable[[Callable[[], None]], None]
    pending: bool = False
    building: bool = False

    def changed(self) -> None:
        self.pending = True
        self.kick()

    def kick(self) -> None:
        if self.building or not self.pending:
            return
        self.pending, self.building = False, True
        try:
            future = self.start()
        except Exception:  # e.g. the pool is shut down: stay idle, retry on the next change
            self.building = False
            raise
        future.add_done_callback(lambda f: self.call_soon(lambda: self._finished(f)))

    def _finished(self, future: Future[Result]) -> None:
        try:
            exc = future.exception()
            self.done(crashed(exc) if exc is not None else future.result())
        finally:
            self.building = False
            self.kick()
