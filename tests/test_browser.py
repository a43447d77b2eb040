"""Browser tests of the demo edition (Playwright + Debian's chromium). Any console error fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from .browser import Watched, axe_violations

pytestmark = pytest.mark.browser

SPEECH = "speeches/2014-11-19-ma-kai-wic-opening/"
RECORD = "speeches/2014-11-19-xi-jinping-wic-message/"
PAGE = "editorial-principles/"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", ["", SPEECH, PAGE, RECORD, "people/ma-kai/", "events/wic-2014/"])
def test_axe_has_no_violations(demo_served: tuple[str, Path], watched: Watched, lang: str, path: str) -> None:
    base, _ = demo_served
    watched.page.goto(f"{base}{lang}/{path}")
    assert axe_violations(watched.page) == []


@pytest.mark.parametrize("path", ["", "missing/page/"])
def test_axe_root_chooser_and_404(demo_served: tuple[str, Path], watched: Watched, path: str) -> None:
    base, _ = demo_served
    response = watched.page.goto(base + path)
    assert response is not None and response.status == (200 if not path else 404)
    if path:
        watched.errors.clear()  # the browser logs the 404 status of the page itself
    assert axe_violations(watched.page) == []


def test_every_page_loads_without_console_errors(demo_served: tuple[str, Path], watched: Watched) -> None:
    base, out = demo_served
    pages = sorted(p.parent.relative_to(out).as_posix() for p in out.rglob("index.html"))
    assert len(pages) >= 17
    for rel in pages:
        watched.page.goto(f"{base}{'' if rel == '.' else rel + '/'}")
    assert watched.errors == []


GOLDEN_SPEECH = "speeches/2020-05-01-opening/"


def test_view_switch_is_remembered_across_reload_and_pages(golden_served: tuple[str, Path],
                                                           watched: Watched) -> None:
    base, _ = golden_served
    page = watched.page
    page.goto(f"{base}en/{GOLDEN_SPEECH}")
    switch = page.locator(".view-switch")
    expect(switch).to_be_visible()
    zh_cell = page.locator("#p2 .cell[lang=zh-Hans]")
    expect(zh_cell).to_be_visible()
    page.get_by_role("button", name="Translation only").click()
    expect(page.get_by_role("button", name="Translation only")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.get_by_role("button", name="Translation only")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.dataset.view") == "translation"
    expect(zh_cell).to_be_hidden()
    page.goto(f"{base}zh/{GOLDEN_SPEECH}")
    expect(page.get_by_role("button", name="仅译文")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#p2 .cell[lang=zh-Hans]")).to_be_hidden()
    page.get_by_role("button", name="仅原文").click()
    expect(page.locator("#p2 .cell[lang=en]")).to_be_hidden()
    expect(page.locator("#p2 .cell[lang=zh-Hans]")).to_be_visible()
    page.get_by_role("button", name="对照").click()
    page.reload()
    expect(page.locator("#p2 .cell[lang=en]")).to_be_visible()
    expect(page.locator("#p2 .cell[lang=zh-Hans]")).to_be_visible()


def test_a_single_text_is_never_hidden_by_the_view(demo_served: tuple[str, Path],
                                                                   watched: Watched) -> None:
    """The demo speech has only its translation: 'original only' must not leave the page empty."""
    base, _ = demo_served
    page = watched.page
    page.goto(f"{base}en/{SPEECH}")
    page.evaluate("localStorage.setItem('edition-view', 'original')")
    page.reload()
    expect(page.locator("#p7 .cell")).to_be_visible()


def test_footnote_popover_opens_with_keyboard_and_closes_with_escape(demo_served: tuple[str, Path],
                                                                      watched: Watched) -> None:
    base, _ = demo_served
    page = watched.page
    page.goto(f"{base}en/{SPEECH}")
    ref = page.locator("#fnref-en-1")
    ref.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Note 1")
    expect(dialog).to_be_visible()
    expect(dialog).to_be_focused()
    expect(dialog).to_contain_text("congratulatory message")
    assert page.url.endswith(SPEECH), "the popover replaces the jump to the endnote"
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(ref).to_be_focused()


def test_cross_link_lands_on_the_paragraph(demo_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = demo_served
    page = watched.page
    page.goto(f"{base}en/{PAGE}")
    page.locator("a.xref[href$='#p7']").first.click()
    page.wait_for_url(f"{base}en/{SPEECH}#p7")
    assert page.evaluate("document.querySelector(':target').id") == "p7"
    assert page.evaluate("Math.abs(document.getElementById('p7').getBoundingClientRect().top) < 40")


def test_language_switch_keeps_the_paragraph(demo_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = demo_served
    page = watched.page
    page.goto(f"{base}en/{SPEECH}#p7")
    page.locator(".lang-switch a[hreflang=zh-Hans]").click()
    page.wait_for_url(f"{base}zh/{SPEECH}#p7")
    assert page.evaluate("document.querySelector(':target').id") == "p7"


def test_root_remembers_the_chosen_language(demo_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = demo_served
    page = watched.page
    page.goto(base)
    page.get_by_role("link", name="中文").click()
    page.wait_for_url(f"{base}zh/")
    page.goto(base)
    page.wait_for_url(f"{base}zh/")


def test_correction_shows_source_reading_on_focus(demo_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = demo_served
    page = watched.page
    page.goto(f"{base}en/{SPEECH}")
    corr = page.locator(".ed-corr").first
    sic = corr.locator(".ed-sic")
    assert sic.bounding_box()["width"] <= 1  # type: ignore[index]
    corr.focus()
    assert sic.bounding_box()["width"] > 20  # type: ignore[index]
    expect(sic).to_contain_text("county")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_axe_on_a_parallel_speech_with_notes_and_marks(golden_served: tuple[str, Path], watched: Watched,
                                                       lang: str) -> None:
    base, _ = golden_served
    page = watched.page
    page.goto(f"{base}{lang}/{GOLDEN_SPEECH}")
    assert axe_violations(page) == []
    page.locator("#fnref-en-1").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert axe_violations(page) == []


def test_copy_buttons_and_paragraph_menu_use_the_clipboard(golden_served: tuple[str, Path], browser: Browser) -> None:
    base, _ = golden_served
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    w = Watched(context.new_page())
    page = w.page
    url = f"{base}en/{GOLDEN_SPEECH}"
    page.goto(url)
    note = ("Zhang San, “Opening Address” [开幕致辞] (speech, Forum 2020, Beijing, May 1, 2020), trans. C. Translator, "
            "in Golden Edition, ed. A. Editor and B. Editor")
    page.locator(".cite-panel > summary").click()  # the panel is a disclosure, Chicago (note) shown first
    copy = page.locator(".cite button.copy").first
    expect(copy).to_have_text("Copy")
    expect(page.locator(".cite-style:visible")).to_have_count(1)
    copy.focus()  # keyboard only: the panel's buttons are reached and pressed like any button
    page.keyboard.press("Enter")
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"{note}, {url}."
    page.locator("#p2 a.pn").click()
    menu = page.get_by_role("group", name="Paragraph 2")
    expect(menu.get_by_role("button", name="Copy link to ¶2")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("navigator.clipboard.readText()") == f"{url}#p2"
    menu.get_by_role("button", name="Copy citation of ¶2").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{note}, ¶ 2, {url}#p2."
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    assert axe_violations(page) == []
    context.close()
    assert w.errors == []
