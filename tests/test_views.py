import re

import pytest

from edition.link import link
from edition.urls import base_path, doc_path, relative
from edition.validate import validate
from edition.views import MOVED, View

from .conftest import speech
from .test_validate import sources


def view(key: str, **files: str) -> View:
    return View.of(link(validate(sources(**files))), key)


def test_paths_and_urls_under_the_base_path() -> None:
    assert base_path("https://u.github.io/repo") == "/repo/"
    assert base_path("https://example.org") == "/"
    assert doc_path("zh", "speech", "s") == "zh/speeches/s/"
    assert doc_path("en", "page", "about") == "en/about/"
    v = view("zh")
    assert v.url("speech", "s", 3) == "/ed/zh/speeches/s/#p3"
    assert v.url("person", "ma-kai", key="en") == "/ed/en/people/ma-kai/"
    assert v.absolute(v.url("home")) == "https://example.org/ed/zh/"


def test_relative_urls_from_any_page() -> None:
    assert relative("en/people/x/", "en/speeches/y/") == "../../people/x/"
    assert relative("zh/speeches/y/#p3", "en/speeches/y/") == "../../../zh/speeches/y/#p3"
    assert relative("en/speeches/y/#p3", "en/speeches/y/") == "./#p3"
    assert relative("en/speeches/y/", "en/speeches/y/") == "./"
    assert relative("en/speeches/", "en/speeches/page/2/") == "../../"
    assert relative("en/speeches/y/", "en/speeches/") == "y/"
    assert relative("theme/edition.css", "en/") == "../theme/edition.css"
    assert relative("theme/edition.css", "") == "theme/edition.css"
    assert relative("", "en/tags/t/page/3/") == "../../../../../"
    assert relative("", "") == "./"
    # a folder named like the start of another is another folder
    assert relative("en/speeches-2/", "en/speeches/") == "../speeches-2/"


def test_a_view_at_a_page_makes_relative_urls_and_the_same_absolute_ones() -> None:
    v = view("zh")
    here = v.at("zh/speeches/s/")
    assert here.url("speech", "s", 3) == "./#p3"
    assert here.url("person", "ma-kai", key="en") == "../../../en/people/ma-kai/"
    assert (here.home_url(), here.root_url(), here.asset("edition.css")) == ("../../", "../../../",
                                                                             "../../../theme/edition.css")
    for kind, ident in (("speech", "s"), ("person", "ma-kai"), ("home", "")):
        assert here.absolute(here.url(kind, ident)) == v.absolute(v.url(kind, ident))
    assert v.url("home") == "/ed/zh/"  # the view it came from is unchanged (404.html, feeds)


def test_the_views_of_pages_share_what_the_tree_computes_once() -> None:
    v = view("zh")
    before = set(v._memo)
    first, second = v.at("zh/"), v.at("zh/tags/")
    assert first.browse.tags == second.browse.tags == v.browse.tags
    assert set(v._memo) > before and first._memo == v._memo  # computed by the first page, for all


def test_a_pages_view_parts_make_urls_relative_to_that_page() -> None:
    v = view("zh", **{"content/speeches/s.md": speech()})
    s = v.edition.speeches[0]
    here = v.at("zh/tags/")
    # parts made anew for each copy, each seeing its own page
    assert (here.cite.v.here, here.browse.v.here, here.termbase.v.here, v.cite.v.here) == ("zh/tags/",) * 3 + (None,)
    assert here.cite.record(s).url == v.cite.record(s).url == "https://example.org/ed/zh/speeches/s/"
    assert here.search.strings()["languages"]["en"]["root"] == "../../en/"  # type: ignore[index]


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_every_moved_helper_is_where_the_hint_says(old: str, new: str) -> None:
    part, name = new.split(".")
    assert not hasattr(View, old)  # else a template's old call would not fail with the hint
    assert name in dir(type(getattr(view("zh"), part)))


def test_text_falls_back_to_another_language_and_says_so() -> None:
    v = view("en", content__speeches__s_md=speech().replace("  en: A Speech\n", ""))
    t = v.text(v.edition.speeches[0].title)
    assert (t.value, t.lang, t.foreign) == ("讲话", "zh-Hans", True)


def test_rows_put_the_page_language_first_and_keep_numbers() -> None:
    body = "::: zh\n一。\n\n二。\n:::\n\n::: en\nOne.\n:::\n"
    for key, first in (("en", "en"), ("zh", "zh")):
        v = view(key, content__speeches__s_md=speech(body=body))
        rows = v.rows(v.edition.speeches[0])
        assert [r.n for r in rows] == [1, 2]
        assert rows[0].cells[0].key == first
        assert [c.role for c in rows[0].cells] == (["trans", "orig"] if first == "en" else ["orig", "trans"])
        assert [c.html for c in rows[1].cells if c.key == "en"] == [None]


def test_missing_sections_are_named() -> None:
    v = view("en", content__speeches__s_md=speech(body="::: en\nOne.\n:::\n"))
    assert v.missing(v.edition.speeches[0]) == ("zh",)


def test_language_names_in_each_interface_language() -> None:
    v = view("zh")
    assert v.lang_name("en") == "英文" and v.lang_name("en", "en") == "English"


def test_images_and_downloads_of_content_assets_resolve_from_every_page() -> None:
    """The spec: content/assets/ holds "images and downloads referenced from Markdown"; pages
    live "under the path of base_url". Written from the document's folder (as GitHub shows the
    file), from content/ or from the site root, the URL reaches the file from any page."""
    from dataclasses import replace
    from urllib.parse import urljoin

    body = ("::: en\n![a](../assets/pic.png) ![b](assets/pic.png \"t\") ![c](/assets/pic.png#x) "
            "[pdf](<../assets/docs/a b.pdf>) [out](https://example.org/x) [rel](other.html)\n:::\n")
    src = sources(content__speeches__s_md=speech(body=body),
                  content__pages__about_md="---\ntitle: About\n---\n\n::: en\n![a](../assets/pic.png)\n:::\n")
    src = replace(src, assets=("content/assets/pic.png", "content/assets/docs/a b.pdf"))
    edition = validate(src)
    assert not [d for d in edition.diagnostics if d.severity == "error"]
    v = View.of(link(edition), "zh")
    for doc, here in ((edition.speeches[0], "zh/speeches/s/"), (edition.pages[0], "zh/about/")):
        html = v.at(here).rows(doc)[0].cells[-1].html or ""
        urls = re.findall(r'(?:src|href)="([^"]*)"', html)
        page = "https://example.org/ed/" + here
        resolved = [urljoin(page, u) for u in urls]
        assert resolved[:4 if doc.kind == "speech" else 1] == [
            "https://example.org/ed/assets/pic.png", "https://example.org/ed/assets/pic.png",
            "https://example.org/ed/assets/pic.png#x", "https://example.org/ed/assets/docs/a%20b.pdf"][
            :4 if doc.kind == "speech" else 1]
    assert urls == ["../../assets/pic.png"]  # the page, one folder less deep
    speech_urls = re.findall(r'(?:src|href)="([^"]*)"',
                             v.at("zh/speeches/s/").rows(edition.speeches[0])[0].cells[-1].html or "")
    assert speech_urls[4:] == ["https://example.org/x", "other.html"]  # others as written
    assert View.of(link(edition), "en").fill(edition.pages[0], "en", edition.pages[0].sections[0].tei[0], "tei") \
        == '<p><figure><graphic url="https://example.org/ed/assets/pic.png"/><figDesc>a</figDesc></figure></p>'


def test_a_title_in_one_language_is_shown_once_in_the_other_tree() -> None:
    """A title given in the original alone is the heading of the other tree too: not repeated
    under it as the "other" title; a title in both languages shows the other under the heading."""
    only = speech().replace("title:\n  zh: 讲话\n  en: A Speech\n", "title: 只有中文的讲话\n")
    assert "title: 只有中文的讲话" in only
    v = view("en", content__speeches__a_md=only, content__speeches__b_md=speech("Both"))
    one, both = (next(s for s in v.edition.speeches if s.slug == slug) for slug in ("a", "b"))
    assert v.text(one.title).value == "只有中文的讲话" and v.other_texts(one.title) == ()
    assert [o.value for o in v.other_texts(both.title)] == ["讲话"]
