"""`build.py serve` driven for real: edits reach the browser without a manual reload, a broken file
shows its diagnostic in place of the site, and a burst of saves is one rebuild."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from .browser import Watched, chromium
from .conftest import ROOT, free_port

pytestmark = pytest.mark.browser

OPENING = "content/speeches/2020-05-01-opening.md"


class Preview:
    def __init__(self, root: Path, log: Path, port: int) -> None:
        self.root, self.log, self.url = root, log, f"http://127.0.0.1:{port}/"
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(root),
                                      "--port", str(port)], stderr=log.open("w"), stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "en/", timeout=1)
                break
            except OSError:
                assert self.proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)

    def builds(self) -> int:
        """Completed builds so far (each ends with its summary line)."""
        return sum(1 for line in self.log.read_text().splitlines() if line.startswith(("ok: ", "failed: ")))

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
        """Poll `condition` until it holds; fail with the server's log after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"waited {timeout}s for {what}\n{self.log.read_text()}"
            time.sleep(0.05)

    def wait_builds(self, n: int, timeout: float = 30) -> None:
        self.wait_for(lambda: self.builds() >= n, f"{n} builds", timeout)

    def edit(self, path: str, old: str, new: str) -> None:
        p = self.root / path
        text = p.read_text(encoding="utf-8")
        assert old in text
        p.write_text(text.replace(old, new, 1), encoding="utf-8")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    root = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "golden" / "site", root)
    p = Preview(root, tmp_path / "serve.log", free_port())
    yield p
    p.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def test_edit_break_fix_in_the_browser(preview: Preview, browser: Browser) -> None:
    page = Watched(browser.new_page()).page
    page.goto(preview.url + "en/speeches/2020-05-01-opening/")
    expect(page.locator("h1")).to_have_text("Opening Address")
    page.evaluate("window.__same_document = true")

    preview.edit(OPENING, "Ladies and gentlemen:", "Ladies and gentlemen, friends:")
    expect(page.locator("#p1 .cell[lang=en]")).to_have_text("Ladies and gentlemen, friends:", timeout=15000)
    assert page.evaluate("window.__same_document === undefined"), "the page was reloaded by the server"

    preview.edit(OPENING, "speaker: zhang-san", "speeker: zhang-san")
    expect(page.locator("h1")).to_contain_text("Build failed", timeout=15000)
    expect(page.locator(".diagnostics li")).to_have_count(1)  # the misspelt field, not again as missing
    item = page.locator(".diagnostics li", has_text="speeker")
    expect(item).to_contain_text("content/speeches/2020-05-01-opening.md:5:1")
    expect(item).to_contain_text("unknown field `speeker` in a speech")
    expect(item.locator("pre")).to_contain_text("5 | speeker: zhang-san")
    expect(item.locator("pre")).to_contain_text("hint: did you mean `speaker`?")

    preview.edit(OPENING, "speeker: zhang-san", "speaker: zhang-san")
    expect(page.locator("h1")).to_have_text("Opening Address", timeout=15000)
    expect(page.locator("#p1 .cell[lang=en]")).to_have_text("Ladies and gentlemen, friends:")


def test_a_burst_of_five_saves_is_one_rebuild(preview: Preview) -> None:
    assert preview.builds() == 1
    content = preview.root / "content"
    files = [*sorted((content / "speeches").glob("*.md")), content / "people.yml", content / "pages/about.md"]
    for p in files[:5]:
        p.write_text(p.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        time.sleep(0.05)  # the saves of a burst come a moment apart (not a wait for anything)
    preview.wait_builds(2)
    # Rather than wait for a second rebuild that should not come, save once more, a save whose
    # build is told apart by its failure: builds run one at a time, so it must be the third.
    preview.edit(OPENING, "speaker: zhang-san", "speeker: zhang-san")
    preview.wait_for(lambda: "failed: " in preview.log.read_text(), "the rebuild of the last save")
    assert preview.builds() == 3
    assert preview.log.read_text().count("failed: ") == 1


def test_a_preview_held_up_by_a_cli_build_says_so(preview: Preview) -> None:
    """A save while a CLI build runs (minutes at thousands of speeches; its `_site` is beside the
    preview's `_preview`, in the folder both lock): the preview's rebuild waits for it and says so
    at once, instead of sitting silent."""
    from edition.outputlock import exclusive

    with exclusive(preview.root / "_site"):  # as that CLI build holds it
        preview.edit(OPENING, "Ladies and gentlemen", "Ladies, gentlemen")
        said = f"waiting: another build is writing into {preview.root}/;"
        preview.wait_for(lambda: said in preview.log.read_text(), "the preview to say it waits")
        time.sleep(1)  # held a while longer: the wait counts in the rebuild's time
        assert preview.builds() == 1
    preview.wait_builds(2)
    last = preview.log.read_text().splitlines()[-1]
    assert last.startswith("ok: ") and float(last.rpartition("· ")[2].rstrip("s")) >= 1, last


def test_ctrl_c_stops_a_preview_whose_rebuild_waits_for_a_cli_build(preview: Preview) -> None:
    """The rebuild waits in a thread, which SIGINT does not interrupt: the preview must still end at
    once, not when the other build ends (minutes at thousands of speeches), nor build after it."""
    from edition.outputlock import exclusive

    with exclusive(preview.root / "_site"):  # as that CLI build holds it
        preview.edit(OPENING, "Ladies and gentlemen", "Ladies, gentlemen")
        preview.wait_for(lambda: "waiting: another build" in preview.log.read_text(), "the preview to say it waits")
        preview.proc.send_signal(signal.SIGINT)
        assert preview.proc.wait(timeout=10) == 0, preview.log.read_text()
    assert preview.builds() == 1 and "Traceback" not in preview.log.read_text(), preview.log.read_text()


def test_the_preview_serves_the_site_at_its_root(preview: Preview) -> None:
    body = urllib.request.urlopen(preview.url + "en/").read().decode()
    assert 'href="speeches/2020-05-01-opening/"' in body
    assert "livereload.js" in body


def test_a_nul_in_the_path_is_a_bad_request_not_a_server_error(preview: Preview) -> None:
    for path in ("%00", "en/%00x"):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(preview.url + path)
        assert e.value.code == 400
    assert "Traceback" not in preview.log.read_text()


def test_ctrl_c_stops_the_preview(preview: Preview) -> None:
    """Ctrl-C (SIGINT to the process, which the kernel may hand to any of its threads) stops the
    preview at once, also while its file watchers wait in their threads."""
    preview.edit(OPENING, "Ladies and gentlemen", "Ladies, gentlemen")
    preview.wait_builds(2)
    preview.proc.send_signal(signal.SIGINT)
    assert preview.proc.wait(timeout=10) == 0
    assert "Traceback" not in preview.log.read_text()


def test_search_follows_edits_in_the_preview(preview: Preview, browser: Browser) -> None:
    page = Watched(browser.new_page()).page

    def bundle() -> bytes:
        """The search bundle's entry file as served (it names the index by a hash of its contents)."""
        try:
            return urllib.request.urlopen(preview.url + "pagefind/en/pagefind-entry.json", timeout=5).read()
        except OSError:
            return b""

    chinese = preview.root / "_preview/pagefind/zh/pagefind-entry.json"
    kept = chinese.stat().st_ino
    preview.edit(OPENING, "Ladies and gentlemen:", "Ladies and gentlemen, and zebras:")
    while True:  # the page reloads first; the index follows in the background
        seen = bundle()
        page.goto(preview.url + "en/search/?q=zebras")
        expect(page.locator("#search-status")).to_contain_text("zebras")
        if page.locator("#search-status").text_content() == "1 result for “zebras”":
            break
        # not yet: ask again once another search bundle has been swapped in
        preview.wait_for(lambda seen=seen: bundle() != seen, "a new search bundle")
    expect(page.locator(".search-result h2 a")).to_have_attribute("href", re.compile(r"#p1$"))
    # Only the English tree was indexed again (liveindex): the Chinese bundle is the first build's.
    assert chinese.stat().st_ino == kept
