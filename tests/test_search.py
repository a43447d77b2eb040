"""Search in the browser (Pagefind, extended build) on a fixture site whose words were planted:
稻米 (two characters) in alpha ¶3 and gamma ¶1; 数字鸿沟 (four) in alpha ¶2; the name 欧阳修 in
beta ¶2; "negotiated" in beta and "negotiations" in gamma; epsilon has only its English text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from .browser import Watched, axe_violations
from .conftest import serve_site

pytestmark = pytest.mark.browser
PAGE = 10  # results shown at first (search.js)


def search(page: Page, base: str, key: str, query: str, extra: str = "") -> list[str]:
    page.goto(f"{base}{key}/search/?q={quote(query)}{extra}")
    status = page.locator("#search-status")
    expect(status).to_contain_text(query)
    # the count comes first, then the first page of items: wait for as many as the count says
    count = re.search(r"\d+", (status.text_content() or "").replace(query, ""))
    links = page.locator(".search-result h2 a")
    expect(links).to_have_count(min(int(count.group()), PAGE) if count else 0)
    return [a.get_attribute("href") or "" for a in links.all()]


def slugs(hrefs: list[str]) -> list[str]:
    return sorted(re.search(r"/speeches/([^/]+)/", h).group(1) for h in hrefs)  # type: ignore[union-attr]


@pytest.mark.parametrize(("query", "expected"), [
    ("稻米", ["2001-01-01-alpha", "2003-03-03-gamma"]),
    ("数字鸿沟", ["2001-01-01-alpha"]),
    ("欧阳修", ["2002-02-02-beta"]),
])
def test_chinese_words_find_exactly_the_planted_speeches(search_served: tuple[str, Path], watched: Watched,
                                                         query: str, expected: list[str]) -> None:
    base, _ = search_served
    assert slugs(search(watched.page, base, "zh", query)) == expected


def test_an_english_word_finds_its_inflected_forms(search_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = search_served
    hrefs = search(watched.page, base, "en", "negotiate")
    assert slugs(hrefs) == ["2002-02-02-beta", "2003-03-03-gamma"]
    assert sorted(h.split("?")[1] for h in hrefs) == ["highlight=negotiate%20negotiated#p2",
                                                          "highlight=negotiate%20negotiations#p1"]


def test_a_speech_with_only_the_other_text_is_found_by_it(search_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = search_served
    assert slugs(search(watched.page, base, "zh", "trade")) == ["2005-05-05-epsilon"]


def test_a_filter_narrows_the_count_and_lives_in_the_url(search_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = search_served
    page = watched.page
    assert len(search(page, base, "zh", "稻米")) == 2
    expect(page.locator("#search-status")).to_have_text("“稻米”共有2条结果")
    expect(page.get_by_role("group", name="讲话人")).to_have_count(0)  # filters load when asked for
    page.locator("#search-filter-box summary").click()
    speaker = page.get_by_role("group", name="讲话人")
    # the counts are those of the results, not of the whole edition
    expect(speaker.get_by_role("checkbox")).to_have_count(2)
    assert sorted(speaker.locator("label").all_text_contents()) == ["赵一（1）", "钱二（1）"]
    speaker.get_by_label(re.compile("^赵一")).check()
    page.wait_for_url(re.compile(r"speaker=%E8%B5%B5%E4%B8%80"))
    expect(page.locator("#search-status")).to_have_text("“稻米”共有1条结果")
    expect(page.locator(".search-result")).to_have_count(1)
    assert slugs([page.locator(".search-result h2 a").get_attribute("href") or ""]) == ["2001-01-01-alpha"]
    page.go_back()
    expect(page.locator("#search-status")).to_have_text("“稻米”共有2条结果")


def test_a_result_opens_on_its_paragraph_with_the_hit_highlighted(search_served: tuple[str, Path],
                                                                  watched: Watched) -> None:
    base, _ = search_served
    page = watched.page
    search(page, base, "zh", "数字鸿沟")
    page.locator(".search-result h2 a").first.click()
    page.wait_for_url(re.compile(r"/zh/speeches/2001-01-01-alpha/\?highlight=.*#p2$"))
    assert page.evaluate("document.querySelector(':target').id") == "p2"
    hits = page.locator("#p2 .cell[lang=zh-Hans] mark.search-hit")
    expect(hits.first).to_be_visible()
    assert "".join(hits.all_text_contents()) == "数字鸿沟"


def test_other_language_texts_from_the_english_page(search_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = search_served
    page = watched.page
    assert search(page, base, "en", "数字鸿沟") == []
    page.get_by_label("Also search the Chinese texts").check()
    page.wait_for_url(re.compile(r"also=zh"))
    expect(page.locator("#search-status")).to_have_text("1 result for “数字鸿沟”")
    result = page.locator(".search-result")
    expect(result.locator("h2 a")).to_have_attribute("href", re.compile(r"/sub/zh/speeches/2001-01-01-alpha/"))
    expect(result.locator("h2 a")).to_have_attribute("lang", "zh-Hans")
    expect(result.locator(".badge")).to_have_text("Chinese text")


def test_a_speech_without_english_text_is_one_hit_when_the_chinese_index_is_merged(search_served: tuple[str, Path],
                                                                                   watched: Watched) -> None:
    """The English tree indexes a speech that has only its Chinese text with that text (so that it
    can be found at all: by its title, as the English index reads it, unsegmented); searching the
    Chinese texts too, its Chinese page is its one hit."""
    base, _ = search_served
    page = watched.page
    assert slugs(search(page, base, "en", "只有中文原文的讲话")) == ["2007-07-07-eta"]
    page.get_by_label("Also search the Chinese texts").check()
    page.wait_for_url(re.compile(r"also=zh"))
    expect(page.locator("#search-status")).to_have_text("1 result for “只有中文原文的讲话”")
    expect(page.locator(".search-result h2 a")).to_have_attribute("href",
                                                                 re.compile(r"/sub/zh/speeches/2007-07-07-eta/"))


@pytest.fixture
def served_elsewhere(search_served: tuple[str, Path]) -> Iterator[str]:
    """The search site, built for /sub/, served under /elsewhere/.

    A fixture (asked for before `watched`) so that the server outlives the browser page: stopping
    it while the page still fetches would report a reset connection the reader never meets.
    """
    _, out = search_served
    with serve_site(out, "/elsewhere/") as base:
        yield base


def test_search_works_where_the_site_is_served_not_only_at_its_base_url(served_elsewhere: str,
                                                                       watched: Watched) -> None:
    hrefs = search(watched.page, served_elsewhere, "zh", "数字鸿沟", "&also=en")
    assert [h.split("?")[0] for h in hrefs] == ["/elsewhere/zh/speeches/2001-01-01-alpha/"]
    watched.page.locator(".search-result h2 a").click()
    watched.page.wait_for_url(re.compile(r"/elsewhere/zh/speeches/2001-01-01-alpha/\?highlight=.*#p2$"))


def test_the_header_form_works_without_javascript(search_served: tuple[str, Path], browser: Browser) -> None:
    base, _ = search_served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}en/speeches/2002-02-02-beta/")
    page.get_by_role("searchbox", name="Search the speeches").fill("negotiate")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}en/search/?q=negotiate")
    expect(page.locator("noscript")).to_have_count(1)
    context.close()
    with_js = browser.new_context()
    page = with_js.new_page()
    page.goto(f"{base}en/search/?q=negotiate")
    expect(page.locator("#search-q")).to_have_value("negotiate")
    expect(page.locator("#search-status")).to_have_text("2 results for “negotiate”")
    with_js.close()


def test_keyboard_only_search_is_announced(search_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = search_served
    page = watched.page
    page.goto(f"{base}en/search/")
    page.locator("#search-q").focus()
    page.keyboard.type("weather")
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_have_text("3 results for “weather”")
    for _ in range(60):  # Tab through the page until the first result's link has focus
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.search-result')"):
            break
    else:
        pytest.fail("no result could be reached with the keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/speeches/.*\?highlight=weather#p1$"))


@pytest.mark.parametrize("key", ["en", "zh"])
def test_search_page_with_results_has_no_axe_violations(search_served: tuple[str, Path], watched: Watched,
                                                        key: str) -> None:
    base, _ = search_served
    search(watched.page, base, key, "weather" if key == "en" else "天气")
    assert axe_violations(watched.page) == []


def test_demo_sovereignty_lands_on_its_paragraph(demo_served: tuple[str, Path], watched: Watched) -> None:
    base, _ = demo_served
    page = watched.page
    hrefs = search(page, base, "en", "sovereignty")
    assert len(hrefs) == 1 and hrefs[0].endswith("/en/speeches/2014-11-19-ma-kai-wic-opening/?highlight=sovereignty#p6")
    page.locator(".search-result h2 a").click()
    page.wait_for_url(re.compile(r"#p6$"))
    expect(page.locator("#p6 mark.search-hit").first).to_have_text("sovereignty")


# Ranking, on tests/ranking_site: "The Harbour Lights" (港口灯火) by Sun San (孙三) does not use its
# title's words in its text, and neither of Sun San's two speeches names him; three speeches by Li
# Wu repeat both the title's words and Sun San's name in their texts; only mention-5 has "lighthouse".
HARBOUR, SECOND = "2010-01-01-harbour", "2010-02-02-second"


def ranked(page: Page, base: str, key: str, query: str) -> list[str]:
    page.goto(f"{base}{key}/search/?q={quote(query)}")
    expect(page.locator("#search-status")).to_contain_text(query)
    links = page.locator(".search-result h2 a")
    expect(links.first).to_be_visible()
    return [re.search(r"/speeches/([^/]+)/", h).group(1)  # type: ignore[union-attr]
            for h in (a.get_attribute("href") or "" for a in links.all())]


@pytest.mark.parametrize("key", ["en", "zh"])
@pytest.mark.parametrize("query", ["The Harbour Lights", "港口灯火"])
def test_a_title_in_either_language_finds_its_speech_first(ranking_served: tuple[str, Path], watched: Watched,
                                                          key: str, query: str) -> None:
    base, _ = ranking_served
    found = ranked(watched.page, base, key, query)
    assert found[0] == HARBOUR, found


@pytest.mark.parametrize("key", ["en", "zh"])
@pytest.mark.parametrize("query", ["Sun San", "孙三"])
def test_a_speakers_name_finds_their_speeches_first(ranking_served: tuple[str, Path], watched: Watched,
                                                   key: str, query: str) -> None:
    base, _ = ranking_served
    found = ranked(watched.page, base, key, query)
    assert sorted(found[:2]) == [HARBOUR, SECOND], found


@pytest.mark.parametrize(("key", "query"), [("en", "lighthouse"), ("zh", "灯塔")])
def test_a_word_of_the_text_alone_finds_the_text(ranking_served: tuple[str, Path], watched: Watched,
                                                 key: str, query: str) -> None:
    base, _ = ranking_served
    assert ranked(watched.page, base, key, query) == ["2010-05-05-mention-5"]


# tests/search_site's zeta: 命运共同体 stands in its Chinese ¶2 and 网络主权 in ¶3; its title and
# summary hold 命运 and 网络 too; its English ¶2 has a note and ¶3 a correction.
@pytest.mark.parametrize(("phrase", "para"), [("命运共同体", "p2"), ("网络主权", "p3")])
def test_a_chinese_phrase_lands_on_its_paragraph_highlighted_whole(search_served: tuple[str, Path],
                                                                   watched: Watched, phrase: str, para: str) -> None:
    base, _ = search_served
    page = watched.page
    hrefs = search(page, base, "zh", phrase)
    zeta = [h for h in hrefs if "2006-06-06-zeta" in h]
    assert len(zeta) == 1 and zeta[0].endswith(f"#{para}"), hrefs
    page.locator('.search-result h2 a[href*="zeta"]').click()
    page.wait_for_url(re.compile(f"#{para}$"))
    hits = page.locator(f"#{para} .cell[lang=zh-Hans] mark.search-hit")
    expect(hits).to_have_count(1)
    expect(hits).to_have_text(phrase)


@pytest.mark.parametrize(("key", "query"), [("en", "sovereignty"), ("en", "destiny"), ("en", "guests")])
def test_excerpts_hold_neither_hidden_labels_nor_note_numbers(search_served: tuple[str, Path], watched: Watched,
                                                              key: str, query: str) -> None:
    base, _ = search_served
    page = watched.page
    search(page, base, key, query)
    excerpts = page.locator(".search-result .result-excerpt").all_text_contents()
    assert excerpts and all("Corrected by the editor" not in e and "source reads" not in e for e in excerpts)
    assert all(not re.search(r"cyberspace\.?\s*1\b", e) for e in excerpts), excerpts
