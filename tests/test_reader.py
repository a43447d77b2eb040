"""The reader's page (issue 13): typography per script, phones, print, keyboard, and axe on every
page type in both trees. Playwright + Debian's chromium; any console error fails."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .browser import Watched, axe_violations
from .conftest import ROOT, built_and_served
from .test_html_valid import VNU

pytestmark = pytest.mark.browser

SPEECH = "speeches/2014-11-19-ma-kai-wic-opening/"
RECORD = "speeches/2014-11-19-xi-jinping-wic-message/"
GOLDEN = "speeches/2020-05-01-opening/"
# Every page type of the demo edition (the parallel speech is the golden site's).
PAGES = ["", SPEECH, RECORD, "editorial-principles/", "people/ma-kai/", "events/wic-2014/",
         "tags/internet-governance/", "years/2014/", "timeline/", "speeches/", "people/", "search/?q=Internet"]
CJK_FAMILY = re.compile(r"CJK|Song|Hei|Kai|Ming|PingFang|YaHei|SimSun|Han Serif|Han Sans|\bSC\b", re.I)


def first_family(page: Page, selector: str) -> list[tuple[str, str, str]]:
    """(outerHTML head, first font family, letter-spacing) of every element matching selector."""
    return page.eval_on_selector_all(selector, """els => els.map(e => { const s = getComputedStyle(e);
        return [e.outerHTML.slice(0, 80), s.fontFamily.split(',')[0].trim(), s.letterSpacing]; })""")


@pytest.mark.parametrize("path", [SPEECH, RECORD, "editorial-principles/", "people/ma-kai/", ""])
def test_english_on_zh_pages_is_set_in_a_latin_face(demo_served: tuple[str, Path], watched: Watched,
                                                    path: str) -> None:
    base, _ = demo_served
    watched.page.goto(f"{base}zh/{path}")
    found = first_family(watched.page, "body :lang(en)")  # nearest lang is English
    assert found, "every page of the zh tree has English runs (at least the language link)"
    wrong = [f for f in found if CJK_FAMILY.search(f[1]) or f[2] != "normal"]
    assert wrong == []


def test_english_cells_of_a_parallel_zh_page_and_chinese_cells_of_an_en_page(golden_served: tuple[str, Path],
                                                                            watched: Watched) -> None:
    base, _ = golden_served
    page = watched.page
    page.goto(f"{base}zh/{GOLDEN}")
    en = first_family(page, ".cell[lang=en] p")
    assert en and all(not CJK_FAMILY.search(f) and ls == "normal" for _, f, ls in en)
    page.goto(f"{base}en/{GOLDEN}")
    zh = first_family(page, ".cell[lang=zh-Hans] p")
    assert zh and all(CJK_FAMILY.search(f) for _, f, _ls in zh)
    # Chinese running text is justified; English is not.
    assert page.eval_on_selector(".cell[lang=zh-Hans] p", "e => getComputedStyle(e).textAlign") == "justify"
    assert page.eval_on_selector(".cell[lang=en] p", "e => getComputedStyle(e).textAlign") == "start"


def test_headers_use_one_design_in_both_trees(golden_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = golden_served
    page = watched.page
    faces = {}
    for lang in ("en", "zh"):
        page.goto(f"{base}{lang}/{GOLDEN}")
        faces[lang] = page.eval_on_selector_all(
            ".site-header a, .site-header span, .site-header button, .meta dt, .view-switch button, h2",
            "els => [...new Set(els.map(e => getComputedStyle(e).fontFamily))]")
    assert len(faces["en"]) == 1 and faces["en"] == faces["zh"]


def test_first_lines_of_a_row_share_a_baseline(golden_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = golden_served
    page = watched.page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}zh/{GOLDEN}")
    # The bottom of the first character's box of each cell, less its descent, is its baseline:
    # compare the bottoms of a zero-height inline box placed at the start of each cell's text.
    tops = page.evaluate("""() => [...document.querySelectorAll('#p2 .cell p')].map(p => {
        const probe = document.createElement('span'); probe.style.cssText = 'display:inline-block;height:0';
        p.prepend(probe); const y = probe.getBoundingClientRect().bottom; probe.remove(); return y; })""")
    assert len(tops) == 2 and abs(tops[0] - tops[1]) < 1


def test_note_markers_keep_the_line_spacing(golden_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = golden_served
    page = watched.page
    page.goto(f"{base}en/{GOLDEN}")
    heights = page.evaluate("""() => {
        const p = document.querySelector('#p2 .cell[lang=en] p');
        const h = p.getBoundingClientRect().height;
        p.querySelectorAll('sup, .ed').forEach(e => e.replaceWith(document.createTextNode(e.textContent)));
        return [h, p.getBoundingClientRect().height]; }""")
    assert heights[0] == heights[1]
    page.reload()
    assert page.locator("#fnref-en-1").get_attribute("aria-label") == "Note 1"  # not just "1"
    page.goto(f"{base}zh/{GOLDEN}")
    assert page.locator("#fnref-zh-1").get_attribute("aria-label") == "注1"


@pytest.mark.parametrize(("lang", "low", "high"), [("en", 60, 75), ("zh", 30, 40)])
def test_one_language_views_keep_a_reading_measure(golden_served: tuple[str, Path], demo_served: tuple[str, Path],
                                                   watched: Watched, lang: str, low: int, high: int) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1366, "height": 900})
    if lang == "en":  # the demo speech has only its English text
        base, _ = demo_served
        page.goto(f"{base}en/{SPEECH}")
        selector = "#p2 .cell p"
    else:
        base, _ = golden_served
        page.goto(f"{base}zh/{GOLDEN}")
        page.get_by_role("button", name="仅原文").click()
        page.evaluate("""() => { const p = document.querySelector('#p2 .cell[lang=zh-Hans] p');
            p.textContent = '互联网是二十世纪最重要的技术发明之一，'.repeat(12); }""")
        selector = "#p2 .cell[lang=zh-Hans] p"
    per_line = page.eval_on_selector(selector, """p => {
        const text = p.firstChild; const range = document.createRange(); let n = 0; let top = null;
        for (let i = 0; i < text.length; i++) { range.setStart(text, i); range.setEnd(text, i + 1);
          const r = range.getClientRects()[0]; if (!r) continue;
          if (top === null) top = r.top; if (Math.abs(r.top - top) > 2) break; n++; }
        return n; }""")
    assert low <= per_line <= high, per_line


def page_types(lang: str) -> list[str]:
    return [f"{lang}/{p}" for p in PAGES] + ["missing/page/"]


@pytest.mark.parametrize("width", [320, 375, 390])
def test_no_page_scrolls_sideways_on_a_phone(demo_served: tuple[str, Path], golden_served: tuple[str, Path],
                                             browser: Browser, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    wide = []
    targets = [demo_served[0] + p for lang in ("en", "zh") for p in page_types(lang)]
    targets += [f"{golden_served[0]}{lang}/{GOLDEN}" for lang in ("en", "zh")]
    for url in targets:
        page.goto(url)
        page.wait_for_load_state("load")
        for view in (["parallel", "original"] if GOLDEN in url else ["parallel"]):
            if view != "parallel":
                page.evaluate("v => { document.documentElement.dataset.view = v; }", view)
            if "search/" in url:
                expect(page.locator("#search-results li").first).to_be_visible()
            size = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if size[0] > size[1]:
                wide.append((url, view, size))
    context.close()
    assert wide == []


def test_phone_header_folds_search_and_language_behind_one_button(demo_served: tuple[str, Path],
                                                                  browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    w = Watched(context.new_page())
    page = w.page
    page.goto(f"{demo_served[0]}zh/{SPEECH}")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 110
    search = page.locator("#site-search-q")
    expect(search).to_be_hidden()
    toggle = page.get_by_role("button", name="搜索 · 语言")
    toggle.click()
    expect(search).to_be_focused()
    expect(page.get_by_role("link", name="English")).to_be_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    expect(search).to_be_hidden()
    expect(toggle).to_be_focused()
    toggle.click()
    page.locator("main a").first.focus()  # focus leaving the tools closes them
    expect(search).to_be_hidden()
    # The metadata table stacks: each label above its value.
    dt, dd = page.locator(".meta dt").first.bounding_box(), page.locator(".meta dd").first.bounding_box()
    assert dt and dd and dd["y"] >= dt["y"] + dt["height"] - 1
    context.close()
    assert w.errors == []


def test_timeline_scrolls_in_its_box_and_keeps_same_day_speeches_apart(demo_served: tuple[str, Path],
                                                                       watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{demo_served[0]}en/timeline/")
    box = page.locator("figure.timeline")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX == 'auto'")
    xs = page.eval_on_selector_all("figure.timeline circle", "cs => cs.map(c => +c.getAttribute('cx'))")
    assert len(xs) == 2 and abs(xs[0] - xs[1]) >= 8  # two speeches of 19 November 2014


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_print_shows_no_controls_and_prints_source_readings(demo_served: tuple[str, Path],
                                                            golden_served: tuple[str, Path], watched: Watched,
                                                            tmp_path: Path, lang: str) -> None:
    page = watched.page
    page.goto(f"{demo_served[0]}{lang}/{SPEECH}")
    page.emulate_media(media="print")
    shown = page.eval_on_selector_all(
        ".site-search, button.copy, .downloads, .related, .citations, .drawing, .exports, .view-switch, .cite-select",
        "els => els.filter(e => getComputedStyle(e).display != 'none').map(e => e.className)")
    assert shown == []
    assert page.locator(".drawing").count() + page.locator(".related").count() >= 1
    pdf = tmp_path / "speech.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    reads = "source reads: county]" if lang == "en" else "[source reads: county]"
    assert reads in flat  # the correction's source reading, in brackets
    assert re.search(r"\b(\d+) ?/ ?\1\s*$", flat), "page numbers: the last page is 'n / n'"
    assert "Copy" not in flat and "BibTeX" not in flat
    # The citation under its heading, though its panel is closed (the chosen style: the first).
    reference = page.locator(".cite-style .reference").first.text_content() or ""
    assert len(reference) > 40 and re.sub(r"\s+", " ", reference)[:40] in flat
    page.goto(f"{golden_served[0]}{lang}/{GOLDEN}")
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    flat = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    assert "治理[原文作：治里]" in flat
    assert "theclosingremarks[→" in flat  # a cross-link with its own words names its target


def test_note_popover_sits_after_its_reference_and_menus_close_when_focus_leaves(golden_served: tuple[str, Path],
                                                                                 watched: Watched) -> None:
    page = watched.page
    page.goto(f"{golden_served[0]}en/{GOLDEN}")
    ref = page.locator("#fnref-en-1")
    ref.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Note 1")
    expect(dialog).to_be_focused()
    assert page.evaluate("document.querySelector('.note-popover').previousElementSibling.matches('.fn-ref')")
    page.keyboard.press("Shift+Tab")
    expect(ref).to_be_focused()  # back in the text, not the footer
    page.locator("#p2 a.pn").click()
    menu = page.get_by_role("group", name="Paragraph 2")
    expect(menu).to_have_count(1)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(menu).to_have_count(0)


def test_search_inputs_show_focus(demo_served: tuple[str, Path], watched: Watched) -> None:
    page = watched.page
    page.goto(f"{demo_served[0]}en/search/")
    for selector in ("#site-search-q", "#search-q"):
        page.locator(selector).focus()
        width = page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).outlineWidth)")
        assert width >= 2, selector


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_axe_on_every_page_type_with_popover_and_menus_open(demo_served: tuple[str, Path],
                                                           golden_served: tuple[str, Path], watched: Watched,
                                                           lang: str) -> None:
    page = watched.page
    bad = {}
    for path in PAGES:
        page.goto(f"{demo_served[0]}{lang}/{path}")
        if "search/" in path:
            expect(page.locator("#search-results li").first).to_be_visible()
        if found := axe_violations(page):
            bad[path] = found
    page.goto(f"{golden_served[0]}{lang}/{GOLDEN}")
    page.locator(".cite-panel > summary").click()
    page.locator("#fnref-en-1").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    if found := axe_violations(page):
        bad["popover"] = found
    page.locator("#p2 a.pn").click()
    if found := axe_violations(page):
        bad["menu"] = found
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".tools-toggle").click()
    if found := axe_violations(page):
        bad["tools"] = found
    assert bad == {}


def test_no_half_width_parenthesis_beside_chinese(demo_served: tuple[str, Path],
                                                  golden_served: tuple[str, Path]) -> None:
    beside = re.compile(r"[\u3000-\u9fff\uff00-\uffef][()]|[()][\u3000-\u9fff\uff00-\uffef]")
    found = []
    for _, out in (demo_served, golden_served):
        for f in sorted((out / "zh").rglob("*.html")):
            html = f.read_text(encoding="utf-8")
            body = re.sub(r"<(script|style)\b.*?</\1>", "", html.split("<body", 1)[1], flags=re.S)
            text = re.sub(r"<[^>]+>", "", body)
            found += [(f.relative_to(out).as_posix(), m.group()) for m in beside.finditer(text)]
    assert len(list((demo_served[1] / "zh").rglob("*.html"))) > 10
    assert found == []


def test_the_chinese_catalogue_record_reads_as_chinese_to_the_nu_checker(demo_served: tuple[str, Path]) -> None:
    """Warnings too: the checker guesses a page's language from its text and warns when it differs (it also
    notes that the page's CSP meta tag, meant for the browser, would refuse a file:// stylesheet: not ours)."""
    _, out = demo_served
    page = out / "zh" / RECORD / "index.html"
    proc = subprocess.run(["java", "-jar", str(VNU), "--format", "json", str(page)], capture_output=True, text=True,
                          timeout=300)
    messages = [m["message"] for m in json.loads(proc.stderr or proc.stdout)["messages"]]
    assert len(messages) < 50 and not [m for m in messages if "language" in m.lower() or "lang=" in m]


WIDE = """---
title: {zh: 宽内容, en: Wide Content}
speaker: zhang-san
date: 2020-05-04
original: zh
---

::: zh
请访问https://example.org/a/very/long/address/that/does/not/fit/on/one/line/of/a/phone/at/all/index.html了解详情。

| 年份 | 二〇一一 | 二〇一二 | 二〇一三 | 二〇一四 | 二〇一五 | 二〇一六 | 二〇一七 | 备注备注备注备注备注 |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| 网民 | 5.13亿 | 5.64亿 | 6.18亿 | 6.49亿 | 6.88亿 | 7.31亿 | 7.72亿 | 中国互联网络信息中心的统计报告 |

![地图](../assets/wide.svg)
:::

::: en
Visit https://example.org/a/very/long/address/that/does/not/fit/on/one/line/of/a/phone/at/all/index.html for more.

| Year | 2011 | 2012 | 2013 | 2014 | 2015 | 2016 | 2017 | Remarks, remarks, remarks |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| Users | 513 million | 564 million | 618 million | 649 million | 688 million | 731 million | 772 million | reports |

![A map](../assets/wide.svg)
:::
"""
WIDE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="300" viewBox="0 0 1200 300">'
            '<rect width="1200" height="300" fill="#ccc"/></svg>')


@pytest.fixture(scope="module")
def wide_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The golden site and a speech of wide things: a table of nine columns, an image 1200 px
    wide, an address too long for a line."""
    root = tmp_path_factory.mktemp("wide-src") / "site"
    shutil.copytree(ROOT / "tests" / "golden" / "site", root)
    (root / "content" / "speeches" / "2020-05-04-wide.md").write_text(WIDE, encoding="utf-8")
    (root / "content" / "assets").mkdir(exist_ok=True)
    (root / "content" / "assets" / "wide.svg").write_text(WIDE_SVG, encoding="utf-8")
    with built_and_served(tmp_path_factory, root, "wide") as served:
        yield served


@pytest.mark.parametrize("width", [320, 1280])
def test_wide_tables_and_images_stay_in_their_column(wide_served: tuple[str, Path], browser: Browser,
                                                     width: int) -> None:
    """An image shrinks to its column and a wide table scrolls in its own box: the page never
    scrolls sideways, and the two columns of a parallel page never overlap (README)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    w = Watched(context.new_page())
    page = w.page
    for lang in ("en", "zh"):
        page.goto(f"{wide_served[0]}{lang}/speeches/2020-05-04-wide/")
        page.wait_for_load_state("load")
        assert page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") == [width, width]
        cells = page.locator(".row").filter(has=page.locator(".table-box")).locator(".cell")
        for i in range(cells.count()):
            cell = cells.nth(i).bounding_box()
            assert cell is not None
            for inner in (".table-box", "img"):
                box = cells.nth(i).locator(inner).bounding_box() if cells.nth(i).locator(inner).count() else None
                if box is not None:
                    assert box["x"] >= cell["x"] - 1 and box["x"] + box["width"] <= cell["x"] + cell["width"] + 1
        table = page.locator(".table-box").first
        assert table.evaluate("e => getComputedStyle(e).overflowX == 'auto'")
        if width == 320:  # on a phone the table is wider than its box: it scrolls there, not the page
            assert table.evaluate("e => e.scrollWidth > e.clientWidth")
        assert axe_violations(page) == []
    context.close()
    assert w.errors == []


def test_a_correction_shows_its_source_reading_inside_a_phone_screen(demo_served: tuple[str, Path],
                                                                     browser: Browser) -> None:
    """The source reading opens at the word; near the screen's edge it is moved back inside it, and
    the page does not scroll sideways while it shows."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    w = Watched(context.new_page())
    page = w.page
    page.goto(f"{demo_served[0]}en/{SPEECH}")
    corrections = page.locator(".ed-corr")
    assert corrections.count() >= 1
    for i in range(corrections.count()):
        corrections.nth(i).focus()
        page.wait_for_timeout(100)
        tip = corrections.nth(i).locator(".ed-sic").bounding_box()
        assert tip is not None and tip["width"] > 20
        assert tip["x"] >= 0 and tip["x"] + tip["width"] <= 360, (i, tip)
        assert page.evaluate("document.documentElement.scrollWidth") == 360
    context.close()
    assert w.errors == []
