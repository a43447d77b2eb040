"""Shared helpers: small sites written to temporary folders, and the CLI run in-process."""

from __future__ import annotations

import hashlib
import io
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from edition.cli import main

from .browser import Watched, chromium

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "theme"


# When the tests are spread over processes (tests/run.sh, which keeps this order), the 30 killed
# builds (five to eight minutes) are handed out first, so that the other process runs the rest
# beside them: handed out last, they ran alone at the end and the suite took their whole length
# longer (1,009 s on two processes, 2 December). Each kill is timed by two builds the test
# measures at its start, beside the same kind of load.
FIRST = "test_faults.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name != FIRST)  # stable: the rest keep their order


SITE_YML = """title: {en: "Test Edition", zh: "测试文集"}
base_url: "https://example.org/ed/"
languages:
  en: {name: "English", lang: "en"}
  zh: {name: "中文", lang: "zh-Hans"}
"""
PEOPLE_YML = """ma-kai:
  name: {zh: "马凯", en: "Ma Kai"}
  role: {zh: "国务院副总理", en: "Vice Premier of the State Council"}
li-si:
  name: {zh: "李四", en: "Li Si"}
"""
EVENTS_YML = """wic-2014:
  name: {zh: "首届世界互联网大会", en: "First World Internet Conference"}
  place: {zh: "浙江乌镇", en: "Wuzhen, Zhejiang"}
  start: 2014-11-19
  end: 2014-11-21
"""


def speech(title_en: str = "A Speech", body: str = "::: zh\n你好。\n:::\n\n::: en\nHello.\n:::\n",
           extra: str = "") -> str:
    return (f"---\ntitle:\n  zh: 讲话\n  en: {title_en}\nspeaker: ma-kai\ndate: 2014-11-19\n"
            f"original: zh\n{extra}---\n\n{body}")


def base_files() -> dict[str, str]:
    return {"content/site.yml": SITE_YML, "content/people.yml": PEOPLE_YML,
            "content/events.yml": EVENTS_YML,
            "content/speeches/first.md": speech("First")}


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data, encoding="utf-8")
    return root


def run(*argv: str) -> tuple[int, str]:
    """Run the command line in-process; returns (exit status, what it printed). A site of the
    repository itself (the demo, the fixtures) is built without the build cache, so that tests
    leave no cache in the working tree; sites copied to a temporary folder use it."""
    args = list(argv)
    if "--root" in args and ROOT in (Path(args[args.index("--root") + 1]).resolve() / "x").parents:
        args.append("--no-cache")
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(args, theme=THEME)
    return code, err.getvalue()


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", base_files())


@pytest.fixture
def golden_copy(tmp_path: Path) -> Path:
    """A copy of the golden site (tests/golden/site) to edit."""
    root = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "golden" / "site", root)
    return root


# ---------------------------------------------------------------- a static server for built sites

class _Handler(SimpleHTTPRequestHandler):
    """Serves a built site under a path prefix, with 404.html for what is missing (as GitHub Pages)."""

    site_dir: Path
    prefix: str

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return str(self.site_dir / "__nowhere__")
        rel = path[len(self.prefix):]
        return str(self.site_dir / rel)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.site_dir / "404.html"
        if code == 404 and page.is_file():
            data = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_site(site_dir: Path, prefix: str = "/sub/", port: int = 0) -> Iterator[str]:
    handler = type("H", (_Handler,), {"site_dir": site_dir, "prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def built_and_served(tmp_path_factory: pytest.TempPathFactory, root: Path, name: str) -> Iterator[tuple[str, Path]]:
    """A site built for http://127.0.0.1:PORT/sub/ and served there: (base URL, folder)."""
    port = free_port()
    out = tmp_path_factory.mktemp(name) / "site"
    code, printed = run("--root", str(root), "--out", str(out), "--base-url", f"http://127.0.0.1:{port}/sub/")
    assert code == 0, printed
    with serve_site(out, "/sub/", port) as base:
        yield base, out


@pytest.fixture(scope="session")
def demo_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo edition."""
    with built_and_served(tmp_path_factory, ROOT, "demo") as served:
        yield served


@pytest.fixture(scope="session")
def golden_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The golden fixture site (a speech with both texts, notes, marks)."""
    with built_and_served(tmp_path_factory, ROOT / "tests" / "golden" / "site", "golden") as served:
        yield served


@pytest.fixture(scope="session")
def search_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The search fixture site (planted words), with its index."""
    with built_and_served(tmp_path_factory, ROOT / "tests" / "search_site", "search") as served:
        yield served


@pytest.fixture(scope="session")
def ranking_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The ranking fixture (a title and a speaker's name that other speeches' texts repeat)."""
    with built_and_served(tmp_path_factory, ROOT / "tests" / "ranking_site", "ranking") as served:
        yield served


# Browser tests: one Debian chromium per test module, a fresh context per test that fails the
# test on any console error.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context()
    w = Watched(context.new_page())
    yield w
    context.close()
    assert w.errors == [], "console errors"
