"""Script injection (issue 11): a list of XSS payloads put in every field an editor writes, the
site built, every page opened in Chromium, with its Content-Security-Policy and without it (so
that escaping alone is tested too), and a search run for the payloads: nothing executes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from .browser import Watched, chromium
from .conftest import SITE_YML, free_port, run, serve_site, write_site

PAYLOADS = [
    "<script>xss(1)</script>",
    "<img src=x onerror=xss(2)>",
    '"><script>xss(3)</script>',
    "'><img src=x onerror=xss(4)>",
    "</title><script>xss(5)</script>",
    "</script><script>xss(6)</script>",
    "<svg onload=xss(7)>",
    '<a href="javascript:xss(8)" id="x8">x</a>',
    '<iframe srcdoc="<script>parent.xss(9)</script>"></iframe>',
    "&lt;script&gt;xss(10)&lt;/script&gt;",
    "<details open ontoggle=xss(11)>",
    "]]><script>xss(12)</script>",
    "<body onload=xss(13)>",
    "\u2028</script><script>xss(14)</script>",
    "<!--<script>xss(15)//-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=xss(16)>",
    "{{xss(17)}}${xss(18)}",
    "<input autofocus onfocus=xss(19)>",
    "<object data=\"javascript:xss(20)\"></object>",
    "<a href=\"&#106;avascript:xss(21)\" id=\"x21\">y</a>",
]


def _q(text: str) -> str:
    """A YAML double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\u2028", "\\L") + '"'


def _site(root: Path) -> Path:
    p = PAYLOADS
    files = {
        "content/site.yml": SITE_YML.replace('title: {en: "Test Edition", zh: "测试文集"}',
                                             f"title: {{en: {_q('Edition ' + p[0])}, zh: {_q('文集' + p[1])}}}")
        + f"description: {{en: {_q(p[2])}, zh: {_q(p[3])}}}\nlicense: {_q(p[4])}\neditors: [{_q(p[5])}]\n",
        "content/people.yml": f"ma-kai:\n  name: {{en: {_q('Ma ' + p[6])}, zh: {_q('马' + p[7])}}}\n"
                              f"  role: {{en: {_q(p[8])}, zh: {_q(p[9])}}}\n",
        "content/events.yml": f"wic-2014:\n  name: {{en: {_q('WIC ' + p[10])}, zh: {_q('大会' + p[11])}}}\n"
                              f"  place: {{en: {_q(p[12])}, zh: {_q(p[13])}}}\n  start: 2014-11-19\n",
        "content/tags.yml": f"payloads: {{en: {_q('Tag ' + p[14])}, zh: {_q('标签' + p[15])}}}\n",
        "content/pages/about.md": f"---\ntitle: {{en: {_q('About ' + p[16])}, zh: {_q('关于' + p[17])}}}\n---\n\n"
                                  f"::: en\n{p[18]}\n\n[[first|{p[19]}]]\n:::\n",
    }
    body_en = "\n\n".join(f"Paragraph {i}: {x} xsspayload[^n{i}]" for i, x in enumerate(p)) + "\n\n" + \
        "\n".join(f"[^n{i}]: Note {x}" for i, x in enumerate(p))
    body_zh = "\n\n".join(f"第{i}段：{x}" for i, x in enumerate(p))
    files["content/speeches/first.md"] = (
        f"---\ntitle:\n  zh: {_q('讲话' + p[0])}\n  en: {_q('Speech ' + p[1])}\nspeaker: ma-kai\ndate: 2014-11-19\n"
        f"original: zh\nevent: wic-2014\nplace: {{en: {_q(p[2])}, zh: {_q(p[3])}}}\ntags: [payloads]\n"
        f"summary: {{en: {_q(p[4] + ' *em* ' + p[5])}, zh: {_q(p[6])}}}\n"
        f"source: {{publisher: {_q(p[7])}, url: \"https://example.org/a?b=1&c='x'\"}}\n"
        f"translation: {{translator: {_q(p[8])}, license: {_q(p[9])}}}\n---\n\n"
        f"::: zh\n{body_zh}\n:::\n\n::: en\n{body_en}\n:::\n")
    files["content/speeches/second.md"] = files["content/speeches/first.md"].replace(
        "date: 2014-11-19", "date: 2015-01-01").replace("::: en\n", f"::: en\nSee [[first#p3|{p[3]}]].\n\n", 1).replace(
        "::: zh\n", "::: zh\n见[[first#p3]]。\n\n", 1)
    return write_site(root, files)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    port = free_port()
    root = _site(tmp_path_factory.mktemp("xss") / "site")
    code, printed = run("--root", str(root), "--base-url", f"http://127.0.0.1:{port}/sub/")
    assert code == 0, printed
    return root / "_site", port


@pytest.fixture(scope="module")
def browser() -> object:
    with chromium() as b:
        yield b


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_no_payload_runs_on_any_page(built: tuple[Path, int], browser: Browser, csp: bool) -> None:
    out, port = built
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(pages) >= 30
    context = browser.new_context(bypass_csp=not csp)
    context.add_init_script("window.__hits = []; window.xss = function (n) { window.__hits.push(n); };")
    w = Watched(context.new_page())
    with serve_site(out, "/sub/", port) as base:
        for rel in pages:
            w.page.goto(base + rel.removesuffix("index.html"))
            w.page.wait_for_load_state("load")
            for anchor in ("#x8", "#x21"):  # the javascript: links, followed if they are links at all
                if w.page.locator(anchor).count():
                    w.page.locator(anchor).first.click()
            assert w.page.evaluate("window.__hits") == [], rel
        for key in ("en", "zh"):
            w.page.goto(f"{base}{key}/search/?q={quote('xsspayload')}")
            w.page.wait_for_selector("#search-status")
            w.page.wait_for_timeout(0)
            assert w.page.evaluate("window.__hits") == []
        context.close()  # before the server stops, which would reset what the page still fetches
    assert w.errors == []


def test_with_raw_html_allowed_only_the_policy_stops_them(tmp_path: Path, browser: Browser) -> None:
    """`allow_html: true` lets the payloads into the speech as HTML: without the policy they run
    (which shows the test above can see a run), with it none does."""
    port = free_port()
    root = _site(tmp_path / "site")
    (root / "content" / "site.yml").write_text((root / "content" / "site.yml").read_text(encoding="utf-8")
                                               + "allow_html: true\n", encoding="utf-8")
    code, printed = run("--root", str(root), "--base-url", f"http://127.0.0.1:{port}/sub/")
    assert code == 0, printed
    hits = {}
    with serve_site(root / "_site", "/sub/", port) as base:
        for csp in (False, True):
            context = browser.new_context(bypass_csp=not csp)
            context.add_init_script("window.__hits = []; window.xss = function (n) { window.__hits.push(n); };")
            page = context.new_page()
            page.goto(base + "en/speeches/first/")
            page.wait_for_load_state("load")
            # Handlers (onerror, ontoggle) fire once the images have failed: wait for that, or for the runs.
            page.wait_for_function("window.__hits.length >= 3" if not csp else
                                   "Array.from(document.images).every(i => i.complete)")
            hits[csp] = page.evaluate("window.__hits")
            context.close()
    assert hits[True] == []
    assert len(hits[False]) >= 3, hits
