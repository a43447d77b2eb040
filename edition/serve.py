"""Preview: build, serve the site on 127.0.0.1, rebuild once per burst of changes, reload the browser.

Input: build `Options`, the host and port, and the CLI's `report` (this module does not print).
Output: a running server until interrupted. A rebuild reuses the last good build (only what an
edit touches is parsed and rendered again) and goes through the same all-or-nothing writer, so the
served folder is never half-written. While the last build has failed, every page is replaced by
the diagnostics, and the site comes back with the build that fixes them.
"""

from __future__ import annotations

import contextlib
import html
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado.ioloop import IOLoop, PeriodicCallback

from .diagnostics import format_diagnostic, is_fatal
from .index import reindex_live
from .pipeline import Options, Result, build
from .previewguard import GuardedServer

POLL_MS = 100  # how often the sources are looked at
QUIET_S = 0.2  # a burst of saves ends when nothing has changed for this long


@dataclass
class _Session:
    """What the server knows between builds (the server, not the pipeline, keeps state)."""

    opts: Options
    last: Result
    good: Result | None
    rebuilds: int = 0
    snapshot: dict[str, tuple[int, int]] = field(default_factory=dict)
    changed_at: float | None = None
    building: bool = False


def watched_folders(opts: Options) -> list[Path]:
    folders = [opts.root / "content", opts.root / "templates", opts.theme]
    return [f for f in folders if f.is_dir()]


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    state = {}
    for folder in folders:
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                p = os.path.join(dirpath, name)
                try:
                    st = os.stat(p)
                except FileNotFoundError:
                    continue
                state[p] = (st.st_mtime_ns, st.st_size)
    return state


def error_page(result: Result, strict: bool) -> str:
    texts = result.sources.texts() if result.sources else {}
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


def serve(opts: Options, host: str, port: int, report: Callable[[Result, bool], int]) -> int:
    first = build(replace(opts, search="now"))
    report(first, opts.strict)
    session = _Session(opts, first, None if first.failed(opts.strict) else first)
    session.snapshot = snapshot(watched_folders(opts))
    pool = ThreadPoolExecutor(max_workers=1)  # builds, one at a time
    indexer = ThreadPoolExecutor(max_workers=1)  # search indexing, beside the builds
    lock = threading.Lock()  # held by a build, and by the indexer while it swaps its bundle in
    index_state = {"running": False, "again": False}

    def locked_build(previous: Result | None) -> Result:
        with lock:
            return build(opts, previous)

    def reindex() -> None:
        """Index the published site; if a build lands meanwhile, index again after."""
        keys = session.good.edition.site.keys if session.good and session.good.edition else ()
        generation = session.rebuilds
        with contextlib.suppress(OSError):  # the tree was swapped under the indexer: see below
            reindex_live(opts.out, keys, lock)
        if session.rebuilds != generation:
            index_state["again"] = True  # a build landed while indexing: index its pages too
        loop.add_callback(indexed)

    def indexed() -> None:
        index_state["running"] = False
        if index_state["again"]:
            start_index()

    def start_index() -> None:
        if index_state["running"]:
            index_state["again"] = True
            return
        index_state.update(running=True, again=False)
        indexer.submit(reindex)

    class Handler(StaticFileHandler):
        """The site as built; the diagnostics instead of any page while the last build failed."""

        def get(self, path: str, include_body: bool = True):  # type: ignore[no-untyped-def]
            if session.last.failed(opts.strict) and (path == "" or path.endswith(("/", ".html"))):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                return self.finish(error_page(session.last, opts.strict))
            return super().get(path, include_body)

        def write_error(self, status_code: int, **kwargs: object) -> None:
            page = opts.out / "404.html"
            if status_code == 404 and page.is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page.read_bytes())
                return
            super().write_error(status_code, **kwargs)

    def finished(result: Result) -> None:
        session.building = False
        session.rebuilds += 1
        session.last = result
        if not result.failed(opts.strict):
            session.good = result
            # The page reloads with the last search bundle; the new one follows in the background
            # (builds and indexing share one worker, so they never overlap).
            start_index()
        report(result, opts.strict)
        LiveReloadHandler.reload_waiters(path="*")

    def poll() -> None:
        now = snapshot(watched_folders(opts))
        if now != session.snapshot:
            session.snapshot = now
            session.changed_at = time.monotonic()
            return
        quiet = session.changed_at is not None and time.monotonic() - session.changed_at >= QUIET_S
        if quiet and not session.building:
            session.changed_at = None
            session.building = True
            future = pool.submit(locked_build, session.good)
            future.add_done_callback(lambda f: loop.add_callback(finished, f.result()))

    loop = IOLoop.current()
    server = GuardedServer()  # answers only its own address; see previewguard
    server.SFH = Handler
    server.root = str(opts.out)
    server.default_filename = "index.html"
    server.application(port, host)
    PeriodicCallback(poll, POLL_MS).start()
    try:
        IOLoop.current().start()
    except KeyboardInterrupt:
        pass
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        indexer.shutdown(wait=False, cancel_futures=True)
    return 0
