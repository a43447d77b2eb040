"""Preview: build, serve the site on 127.0.0.1, rebuild once per burst of changes, reload the browser.

Input: build `Options`, the host and port, and the CLI's `report` and `waiting` (this module does
not print).
Output: a running server until interrupted. Changes come as file events (watch.py: inotify on
Linux), not by walking the sources. A save of one document first gets its first look (its own
pages at once, firstlook.py); the rebuild follows when the saves pause. A rebuild reuses the last
good build (only the outputs that read what an edit changed are rendered again) and publishes each
changed file whole, so the served folder is never half-written. Search is re-indexed in the
background, at the lowest CPU priority, once the builds pause: only the language trees whose pages
Pagefind would read differently (liveindex.py). While the last build has failed,
every page is replaced by the diagnostics, and the site comes back with the build that fixes them.
A build that raises is reported the same way (an internal-error diagnostic), and the next change
rebuilds.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import html
import os
import signal
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado.ioloop import IOLoop

from .diagnostics import format_diagnostic, is_fatal, source_lines
from .firstlook import Looker, shown
from .liveindex import Snapshot, drop, reindex_live, seed
from .pipeline import Options, Result
from .previewguard import GuardedServer
from .rebuild import Rebuilder, safe_build
from .watch import watch

INDEX_AFTER_S = 2.0  # the search index is rebuilt once no build has landed for this long
STOP_WITHIN_S = 2.0  # Ctrl-C: how long the file watchers get to end before the preview stops anyway
# After a first look the rebuild waits for the saves to pause this long: the page in view is already
# right, and a rebuild running beside the next save's first look would slow it (one interpreter).
REBUILD_AFTER_LOOK_S = 2.0  # as long as the search index waits (INDEX_AFTER_S)


def settle_heap() -> None:
    """Keep the build just made out of the cycle collector's full passes (one over 10,000 speeches
    took 0.5 s, and landed on one first look in six); the last build's cycles are freed first."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def look_without_collector(looker: Looker, good: Result, paths: set[str]) -> tuple[tuple[str, str], ...] | None:
    """A first look with the cycle collector paused: it makes look-ups of the whole edition (tens
    of thousands of short-lived containers at 10,000 speeches), and the collector's passes over
    them took a quarter of its time (208 ms against 155 ms, medians of six looks)."""
    was = gc.isenabled()
    gc.disable()
    try:
        return looker.look(good, paths)
    finally:
        if was:
            gc.enable()


class WholeFileHandler(StaticFileHandler):
    """Each file read once, as it is when the request comes: Tornado's handler takes the size, the
    bytes and the ETag in three reads of the path, and a rebuild that replaces the file between
    them would send a response cut short (a reload at the moment of a save)."""

    _whole: bytes = b""

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        path = super().validate_absolute_path(root, absolute_path)
        if path is not None:
            with open(path, "rb") as handle:  # the size and the bytes of one and the same file
                self._whole = handle.read()
                self._stat_result = os.fstat(handle.fileno())
        return path

    def get_content(self, abspath: str, start: int | None = None, end: int | None = None) -> bytes:  # type: ignore[override]
        return self._whole[start:end]

    def compute_etag(self) -> str | None:
        return f'"{hashlib.md5(self._whole).hexdigest()}"' if self.absolute_path else None


def pages_changed(before: Result | None, after: Result) -> bool:
    """Whether a build changed any page of the folder (the browser is reloaded only then)."""
    if before is None or before.rendered is None or after.rendered is None:
        return True
    old = {p: d for r in before.rendered.units for p, d in r.files if p.endswith(".html")}
    new = {p: d for r in after.rendered.units for p, d in r.files if p.endswith(".html")}
    return old != new


def error_page(result: Result, strict: bool) -> str:
    texts = source_lines(result.sources.shown(), result.diagnostics) if result.sources else {}
    items = []
    for d in result.diagnostics:
        sev = "error" if is_fatal(d, strict) else "warning"
        body = format_diagnostic(d, texts, strict).split("\n", 1)
        rest = body[1] if len(body) > 1 else ""
        items.append(f'<li class="{sev}"><p><strong>{html.escape(d.location)}</strong> {sev}[{html.escape(d.code)}]: '
                     f'{html.escape(d.message)}</p>' + (f"<pre>{html.escape(rest)}</pre>" if rest else "") + "</li>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed · 构建失败</title>"
            "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}"
            "li{margin:1rem 0}pre{background:#f4f1ea;padding:.5rem;overflow:auto}"
            ".error strong{color:#a00}</style></head><body><main>"
            "<h1>Build failed <span lang=\"zh-Hans\">构建失败</span></h1>"
            "<p>The site is shown again as soon as the sources are fixed.</p>"
            f"<ol class=\"diagnostics\">{''.join(items)}</ol></main></body></html>")


def serve(opts: Options, host: str, port: int, report: Callable[[Result, bool], int],
          waiting: Callable[[], None] | None = None) -> int:
    first = safe_build(replace(opts, search="now"), None, waiting)
    settle_heap()
    report(first, opts.strict)
    state = {"last": first, "good": None if first.failed(opts.strict) else first, "generation": 0}
    pool = ThreadPoolExecutor(max_workers=1)  # builds, one at a time
    indexer = ThreadPoolExecutor(max_workers=1)  # search indexing, beside the builds
    lock = threading.Lock()  # held by a build, and by the indexer while it swaps its bundle in
    # Ctrl-C as the build thread sees it (`stop`, below, is the watchers' asyncio event): a build
    # still waiting for another build's turn gives up.
    stopping = threading.Event()
    index_state: dict[str, Any] = {"running": False, "again": False, "timer": None, "snapshot": None,
                                   "stopped": False}
    loop = IOLoop.current()

    looker = Looker(opts)
    looks = ThreadPoolExecutor(max_workers=1)  # first looks: the saved page on screen before the rebuild
    shown_since: list[tuple[int, tuple[tuple[str, str], ...]]] = []  # (look number, pages it wrote)
    counter = {"looks": 0, "build_saw": 0}
    timers: dict[str, object] = {"rebuild": None}

    def locked_build() -> Result:
        with lock:
            counter["build_saw"] = counter["looks"]
            result = safe_build(opts, state["good"], waiting, stopping)  # type: ignore[arg-type]
        settle_heap()
        return result

    def on_change(paths: set[str]) -> None:
        """A save: its first look when it can have one (firstlook.py), and the rebuild once the
        saves pause; else the rebuild at once."""
        good = state["good"]
        if not paths or not isinstance(good, Result) or last().failed(opts.strict):
            rebuild_now()
            return
        future = looks.submit(first_look, good, paths)
        future.add_done_callback(lambda f: loop.add_callback(lambda: looked(f)))

    def prepare(good: Result) -> None:
        with contextlib.suppress(Exception):  # only a head start: a first look compiles what it lacks
            looker.prepare(good)

    if isinstance(state["good"], Result):
        looks.submit(prepare, state["good"])

    snapshots = threading.Lock()  # the snapshot is replaced by the indexer's thread, dropped at exit

    def keep(snapshot: Snapshot | None) -> None:
        """What the live bundle was made from, for the next index to compare with."""
        with snapshots:
            if index_state["stopped"]:  # the preview stopped while this index ran
                drop(snapshot)
            elif snapshot is not index_state["snapshot"]:
                drop(index_state["snapshot"])
                index_state["snapshot"] = snapshot

    def seeded(good: Result) -> None:
        """What the first build indexed, for the first background index to compare with."""
        if good.indexed_tree is not None and good.edition is not None and good.rendered is not None:
            with contextlib.suppress(OSError):  # no snapshot: the first index reads every tree
                keep(seed(opts.out, good.edition.site.keys, lock, good.rendered.searchable, good.indexed_tree,
                          good.indexed_with))

    if isinstance(state["good"], Result):
        indexer.submit(seeded, state["good"])

    def first_look(good: Result, paths: set[str]) -> tuple[tuple[str, str], ...] | None:
        try:
            return look_without_collector(looker, good, paths)
        except Exception:  # anything odd: the rebuild that follows shows it, as it shows every problem
            return None

    def looked(future: Future[tuple[tuple[str, str], ...] | None]) -> None:
        pages = future.result()
        if pages:
            counter["looks"] += 1
            shown_since.append((counter["looks"], pages))
            LiveReloadHandler.reload_waiters(path="*")  # first: the pages are written; the record can follow
            state["good"] = shown(state["good"], pages)  # type: ignore[arg-type]
            if timers["rebuild"] is not None:
                loop.remove_timeout(timers["rebuild"])
            timers["rebuild"] = loop.call_later(REBUILD_AFTER_LOOK_S, rebuild_now)
        else:
            rebuild_now()

    def rebuild_now() -> None:
        if timers["rebuild"] is not None:  # this rebuild reads every source: it covers the waiting one
            loop.remove_timeout(timers["rebuild"])
            timers["rebuild"] = None
        rebuilder.changed()

    def reindex() -> None:
        """Index the published site; if a build lands meanwhile, index again after."""
        good = state["good"]
        keys = good.edition.site.keys if isinstance(good, Result) and good.edition else ()
        searchable = good.rendered.searchable if isinstance(good, Result) and good.rendered else None
        generation = state["generation"]
        with contextlib.suppress(OSError):  # the tree was changed under the indexer: index again
            keep(reindex_live(opts.out, keys, lock, searchable, index_state["snapshot"])[2])
        if state["generation"] != generation:
            index_state["again"] = True
        loop.add_callback(indexed)

    def indexed() -> None:
        index_state["running"] = False
        if index_state["again"]:
            start_index()

    def start_index() -> None:
        if index_state["running"]:
            index_state["again"] = True
            return
        index_state.update(running=True, again=False, timer=None)
        indexer.submit(reindex)

    def last() -> Result:
        return state["last"]  # type: ignore[return-value]

    class Handler(WholeFileHandler):
        """The site as built; the diagnostics instead of any page while the last build failed."""

        def get(self, path: str, include_body: bool = True) -> Awaitable[None]:
            if last().failed(opts.strict) and (path == "" or path.endswith(("/", ".html"))):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                return self.finish(error_page(last(), opts.strict))
            return super().get(path, include_body)

        def write_error(self, status_code: int, **kwargs: object) -> None:
            page = opts.out / "404.html"
            if status_code == 404 and page.is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page.read_bytes())
                return
            super().write_error(status_code, **kwargs)

    def finished(result: Result) -> None:
        if stopping.is_set():  # stopped while waiting its turn (`Stopped`), or a build done as the preview stops
            return
        state["generation"] += 1  # type: ignore[operator]
        before = state["last"]
        state["last"] = result
        report(result, opts.strict)
        # The pages first looks wrote while this build ran, which it may not have made from the same text.
        shown_since[:] = [(n, pages) for n, pages in shown_since if n > counter["build_saw"]]
        for _, pages in shown_since:
            result = shown(result, pages)
        stale = rebuilder.pending  # a newer save came meanwhile: its build follows; keep its first look on screen
        if result.failed(opts.strict) or before.failed(opts.strict) or (  # type: ignore[union-attr]
                not stale and pages_changed(state["good"], result)):  # type: ignore[arg-type]
            LiveReloadHandler.reload_waiters(path="*")
        if not result.failed(opts.strict):
            state["good"] = result
            # The page reloads with the last search bundle; the new one follows in the background
            # once the saves pause (Pagefind takes both cores while it runs: not between two saves).
            if index_state["timer"] is not None:
                loop.remove_timeout(index_state["timer"])
            index_state["timer"] = loop.call_later(INDEX_AFTER_S, start_index)

    rebuilder = Rebuilder(lambda: pool.submit(locked_build), finished, loop.add_callback)
    server = GuardedServer()  # answers only its own address; see previewguard
    server.SFH = Handler
    server.root = str(opts.out)
    server.default_filename = "index.html"
    server.application(port, host)
    stop = asyncio.Event()
    watching = loop.asyncio_loop.create_task(watch(opts, on_change, stop))  # type: ignore[attr-defined]

    def interrupted() -> None:  # the watchers' threads end first, else the process would wait for them
        stop.set()
        stopping.set()
        watching.add_done_callback(lambda _: loop.stop())
        loop.call_later(STOP_WITHIN_S, loop.stop)

    # Ctrl-C stops the preview: the loop may sleep with no timer due while the signal reaches another
    # thread (a watcher's); asyncio's handler wakes it through its wakeup file descriptor.
    loop.asyncio_loop.add_signal_handler(signal.SIGINT, interrupted)  # type: ignore[attr-defined]
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        looks.shutdown(wait=False, cancel_futures=True)
        indexer.shutdown(wait=False, cancel_futures=True)
        with snapshots:  # an index still running drops its own when it ends (`keep`)
            index_state["stopped"] = True
            drop(index_state["snapshot"])
    return 0
