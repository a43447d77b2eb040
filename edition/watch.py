"""Watch: the file events of a site's sources, for the preview (serve.py).

Input: build `Options` (the site root, the output folder, the theme). Output: a call of the
caller's `changed` per burst of file events in `content/`, `templates/` and the theme (inotify on
Linux, by `watchfiles`), with the paths that changed; the output folder and editors' temporary
files are not sources.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

from watchfiles import DefaultFilter, awatch

from .pipeline import Options

STEP_MS = 50  # a burst of saves ends when no file event has come for this long (watchfiles' default)
SOURCE_DIRS = ("content", "templates", "theme")  # the folders of a site that a build reads


def watched_folders(opts: Options) -> list[Path]:
    folders = [opts.root / "content", opts.root / "templates", opts.root / "theme", opts.theme]
    return list({f.resolve(): f for f in folders if f.is_dir()}.values())  # the theme may be the site's own


class _Sources(DefaultFilter):
    """Source files only: not the output folder (it may sit inside the site), not editors' temporaries."""

    def __init__(self, opts: Options) -> None:
        super().__init__()
        self.out = str(opts.out.resolve())

    def __call__(self, change: object, path: str) -> bool:
        return not (path == self.out or path.startswith(self.out + "/")) and super().__call__(change, path)  # type: ignore[arg-type]


async def watch(opts: Options, changed: Callable[[set[str]], None], stop: asyncio.Event) -> None:
    """Call `changed` once per burst of file events in the site's source folders, with the paths
    that changed (none: anything may have; a folder came or went), until `stop` is set. The site
    root is watched too (not recursively): when a source folder appears or goes (a `templates/`
    made for an override), the folders' watcher is replaced, and a build covers what changed meanwhile.
    Each watcher runs in a thread of its own, which ends only when told (so that the process can)."""
    restart = asyncio.Event()

    async def top() -> None:
        folders = watched_folders(opts)
        async for _ in awatch(opts.root, recursive=False, step=STEP_MS, stop_event=stop,
                              watch_filter=lambda _c, p: Path(p).name in SOURCE_DIRS):
            if watched_folders(opts) != folders:
                folders = watched_folders(opts)
                restart.set()

    async def relay() -> None:  # the folders' watcher stops on `restart`: `stop` sets it too
        await stop.wait()
        restart.set()

    roots = asyncio.ensure_future(top())
    stopping = asyncio.ensure_future(relay())
    first = True
    while not roots.done() and not stop.is_set():
        restart.clear()
        folders = watched_folders(opts) or [opts.root]
        if not first:
            changed(set())  # whatever happened while the watchers were being replaced
        first = False
        with contextlib.suppress(FileNotFoundError):  # a folder removed while being watched
            async for changes in awatch(*folders, stop_event=restart, step=STEP_MS, watch_filter=_Sources(opts)):
                changed({path for _, path in changes})
        if not restart.is_set():
            await asyncio.sleep(STEP_MS / 1000)  # the watched folder went away: look again shortly
    stopping.cancel()
    await asyncio.gather(roots, stopping, return_exceptions=True)  # each watcher's thread has ended
