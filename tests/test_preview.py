"""The preview keeps rebuilding: after a build that raised, after files vanished during a build;
the scheduler of rebuilds on its own (no server), and the server driven over HTTP."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from edition import serve, watch
from edition.pipeline import Options, Result, build
from edition.rebuild import Rebuilder, safe_build

from .conftest import ROOT, THEME, free_port, tree_digest

GOLDEN = ROOT / "tests" / "golden" / "site"
OPENING = "content/speeches/2020-05-01-opening.md"


def wait_for(condition: Callable[[], object], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        time.sleep(0.05)


# ---------------------------------------------------------------- the scheduler, without a server

class Driver:
    """Runs a Rebuilder's builds in threads and its callbacks in the test's thread, as the loop would."""

    def __init__(self, outcomes: list[object]) -> None:
        self.outcomes = outcomes  # each build returns the next Result or raises the next exception
        self.results: list[Result] = []
        self.callbacks: list[object] = []
        self.lock = threading.Lock()
        self.rebuilder = Rebuilder(self.start, self.results.append, self.call_soon)

    def start(self) -> Future[Result]:
        future: Future[Result] = Future()
        outcome = self.outcomes.pop(0)

        def run() -> None:
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)  # type: ignore[arg-type]

        threading.Thread(target=run).start()
        return future

    def call_soon(self, callback: Callable[[], object]) -> None:
        with self.lock:
            self.callbacks.append(callback)

    def settle(self, n: int) -> None:
        """Run callbacks until `n` results came in."""
        def step() -> bool:
            with self.lock:
                todo, self.callbacks[:] = list(self.callbacks), []
            for c in todo:
                c()  # type: ignore[operator]
            return len(self.results) >= n
        wait_for(step, 10, f"{n} results")


def test_a_build_that_raised_is_a_diagnostic_and_the_next_change_rebuilds() -> None:
    good = Result((), None)
    d = Driver([RuntimeError("boom"), good])
    d.rebuilder.changed()
    d.settle(1)
    (diag,) = d.results[0].diagnostics
    assert diag.code == "internal-error" and "RuntimeError: boom" in diag.message
    assert d.results[0].failed(False)
    assert not d.rebuilder.building
    d.rebuilder.changed()
    d.settle(2)
    assert d.results[1] is good


def test_changes_during_a_build_make_one_more_build() -> None:
    gate = threading.Event()
    d = Driver([])
    calls = []

    def start() -> Future[Result]:
        future: Future[Result] = Future()
        calls.append(future)
        threading.Thread(target=lambda: (gate.wait(10), future.set_result(Result((), None)))).start()
        return future

    d.rebuilder.start = start
    d.rebuilder.changed()
    for _ in range(5):  # saves while the first build runs
        d.rebuilder.changed()
    assert len(calls) == 1
    gate.set()
    d.settle(2)
    assert len(calls) == 2 and not d.rebuilder.pending


def test_settle_heap_freezes_the_kept_build_and_frees_the_last_ones_cycles() -> None:
    """After a build the preview freezes the heap (no full collection walks it on a later save); a
    cycle that became garbage while frozen is collected by the next settling, not kept for good."""
    import gc
    import weakref

    class Node:
        pass

    gc.collect()
    old = Node()
    old.me = old  # type: ignore[attr-defined]
    gone = weakref.ref(old)
    try:
        serve.settle_heap()  # as after one build: `old` is frozen with it
        assert gc.get_freeze_count() > 0
        del old
        gc.collect()
        assert gone() is not None  # a frozen cycle: no collection reaches it
        serve.settle_heap()  # the next build
        assert gone() is None and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_safe_build_turns_an_exception_into_a_failed_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)

    def drawing(*args: object) -> None:
        raise ZeroDivisionError("division by zero")  # a bug outside any template

    monkeypatch.setattr("edition.drawings.timeline", drawing)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    result = safe_build(opts, None)
    (diag,) = result.diagnostics
    assert diag.code == "internal-error" and "ZeroDivisionError: division by zero" in diag.message
    assert "Build failed" in serve.error_page(result, False)
    assert not (tmp_path / "out").exists()  # nothing was written


def test_files_vanishing_while_the_sources_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout deletes files between the listing of a folder and the reading of its files."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    doomed = root / "content/speeches/2020-05-02-letter.md"
    real = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        listed = list(real(self))
        if self.name == "speeches":
            doomed.unlink(missing_ok=True)
        return iter(listed)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = build(Options(root=root, out=tmp_path / "out", theme=THEME))
    assert "content/speeches/2020-05-02-letter.md" not in (result.sources.texts() if result.sources else {})
    assert all(d.code != "internal-error" for d in result.diagnostics)


# ---------------------------------------------------------------- the server, over HTTP

# A bug planted in the preview's process: the timeline's drawing raises on a speech of the year 700
# (the generator itself draws such dates; a real bug is what this stands for).
BUG = """import runpy, sys
import edition.drawings as d
real = d.timeline
def timeline(speeches, *a, **k):
    if any(s.date.year == 700 for s in speeches):
        raise RuntimeError("planted bug")
    return real(speeches, *a, **k)
d.timeline = timeline
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


class Server:
    def __init__(self, root: Path, log: Path, bug: bool = False) -> None:
        self.root, self.log, port = root, log, free_port()
        self.url = f"http://127.0.0.1:{port}/"
        self.base = self.url
        launcher = [sys.executable, "-c", BUG] if bug else [sys.executable]
        self.proc = subprocess.Popen([*launcher, str(ROOT / "build.py"), "serve", "--root", str(root),
                                      "--port", str(port)], stderr=log.open("w"), stdout=subprocess.DEVNULL)
        wait_for(lambda: self.get("en/")[0] in (200, 500) or self.proc.poll() is not None, 60, "the server")
        assert self.proc.poll() is None, log.read_text()

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
        except OSError:
            return 0, ""

    def builds(self) -> int:
        return sum(1 for line in self.log.read_text().splitlines() if line.startswith(("ok: ", "failed: ")))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def site(golden_copy: Path) -> Path:
    return golden_copy


def test_the_preview_keeps_rebuilding_after_a_build_that_raised(site: Path, tmp_path: Path) -> None:
    server = Server(site, tmp_path / "serve.log", bug=True)
    try:
        p = site / OPENING
        good = p.read_text()
        p.write_text(good.replace("date: 2020-05-01", "date: 0700-01-01"))  # the planted bug fires on it
        wait_for(lambda: "internal-error" in server.get("en/")[1], 60, "the error page")
        assert server.get("en/")[0] == 500
        p.write_text(good)
        wait_for(lambda: server.get("en/")[0] == 200, 60, "the site back")
        p = site / OPENING
        p.write_text(p.read_text().replace("Ladies and gentlemen:", "Ladies and zebras:"))
        wait_for(lambda: "Ladies and zebras:" in server.get("en/speeches/2020-05-01-opening/")[1], 60, "the edit")
    finally:
        server.stop()


def test_the_preview_keeps_rebuilding_when_files_vanish_during_builds(site: Path, tmp_path: Path) -> None:
    model = (site / "content/speeches/2020-05-03-closing.md").read_text()
    extra = [site / f"content/speeches/2021-01-{n:02d}-copy-{n}.md" for n in range(1, 29)]
    extra += [site / f"content/speeches/2022-02-{n:02d}-copy-{n}.md" for n in range(1, 23)]
    for p in extra:
        p.write_text(model.replace("date: 2020-05-03", f"date: {p.name[:10]}"))
    server = Server(site, tmp_path / "serve.log")
    try:
        assert server.get("en/speeches/2021-01-01-copy-1/")[0] == 200
        # A checkout: 50 files deleted in chunks, each chunk after the last one's build has started.
        for i in range(0, len(extra), 5):
            for p in extra[i:i + 5]:
                p.unlink()
            time.sleep(watch.STEP_MS / 1000 * 1.5)  # the deletions' pace, not a wait for a result
        p = site / OPENING
        p.write_text(p.read_text().replace("Ladies and gentlemen:", "Ladies and zebras:"))
        full = tmp_path / "full"
        assert not build(Options(root=site, out=full, theme=THEME, base_url=server.base)).failed(False)
        # The preview settles on what a clean build of the sources as they are now gives.
        wait_for(lambda: files(site / "_preview") == files(full), 60, "the preview equal to a full build")
        assert server.get("en/speeches/2021-01-01-copy-1/")[0] == 404
        assert "Ladies and zebras:" in server.get("en/speeches/2020-05-01-opening/")[1]
        assert "internal-error" not in server.log.read_text()
    finally:
        server.stop()


def files(folder: Path) -> dict[str, str]:
    """A built site's files and their digests, the search bundle aside (it varies from run to run)."""
    return {k: v for k, v in tree_digest(folder).items() if not k.startswith("pagefind/")} if folder.is_dir() else {}


def test_a_saved_text_is_on_screen_before_the_rebuild_lands(site: Path, tmp_path: Path) -> None:
    """The first look (firstlook.py) writes the saved speech's pages at once; the rebuild follows
    when the saves pause, and the folder ends as a clean build of the same sources."""
    server = Server(site, tmp_path / "serve.log")
    try:
        builds = server.builds()
        p = site / OPENING
        p.write_text(p.read_text().replace("Ladies and gentlemen:", "Ladies and zebras:"))
        wait_for(lambda: "Ladies and zebras:" in server.get("en/speeches/2020-05-01-opening/")[1], 60, "the edit")
        assert server.builds() == builds  # shown by the first look, not by a rebuild
        wait_for(lambda: server.builds() == builds + 1, 60, "the rebuild")
        full = tmp_path / "full"
        assert not build(Options(root=site, out=full, theme=THEME, base_url=server.base)).failed(False)
        assert files(site / "_preview") == files(full)
        assert "Could not open static file" not in server.log.read_text()  # the server's ETag of each file
    finally:
        server.stop()
