"""The built site opened from disk (file://), as a reader who downloaded it would: the pages find
their styles and scripts, and every link leads to a file that exists (a folder's index.html).
Search needs a server (the browser will not load Pagefind's files from disk) and is left out."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from .browser import Watched

pytestmark = pytest.mark.browser

SPEECH = "speeches/2014-11-19-ma-kai-wic-opening/"
RECORD = "speeches/2014-11-19-xi-jinping-wic-message/"

LINKS = """() => Array.from(document.querySelectorAll("a[href]"),
                            a => new URL(a.getAttribute("href"), document.baseURI).href)"""


def test_a_reader_follows_links_from_disk(demo_served: tuple[str, Path], watched: Watched) -> None:
    _, out = demo_served
    page = watched.page
    page.goto((out / "index.html").as_uri())
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url((out / "en" / "index.html").as_uri())
    # the theme's stylesheet applies: its "skip to content" link is out of sight until focused
    expect(page.locator("a.skip")).to_have_css("position", "absolute")
    page.locator("a.speech-link").filter(has_text="Ma Kai").click()
    expect(page).to_have_url((out / "en" / SPEECH / "index.html").as_uri())
    page.locator("a.xref").first.click()  # a cross-link in the text
    expect(page).to_have_url((out / "en" / RECORD / "index.html").as_uri())
    # "cited by": a paragraph of the speech (the script pointed the link at the folder's index.html)
    page.locator(f'a[href="../{SPEECH.split("/")[1]}/index.html#p3"]').click()
    expect(page).to_have_url((out / "en" / SPEECH / "index.html").as_uri() + "#p3")
    page.locator('a[data-lang-key="zh"]').click()  # the language switch keeps the paragraph
    expect(page).to_have_url((out / "zh" / SPEECH / "index.html").as_uri() + "#p3")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def test_every_link_of_every_page_opened_from_disk_leads_to_a_file(demo_served: tuple[str, Path],
                                                                   watched: Watched) -> None:
    _, out = demo_served
    pages = sorted(p for p in out.rglob("index.html") if p.parent.name != "search")
    assert len(pages) >= 17
    broken, checked = [], 0
    for html in pages:
        watched.page.goto(html.as_uri())
        for href in watched.page.evaluate(LINKS):
            url = urlsplit(href)
            if url.scheme != "file":
                continue  # canonical and alternate URLs, sources on the web
            checked += 1
            if not Path(unquote(url.path)).is_file():
                broken.append(f"{html.relative_to(out)}: {href}")
    assert broken == []
    assert checked > 500
