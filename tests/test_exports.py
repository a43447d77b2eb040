"""Exports and revisions: TEI, TMX, TSV, JSON and plain text read back as data, on the golden site
and on the hostile one; revisions read from a site repository's git history."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import ROOT, run
from .test_cite import EDITION, SPEAKER, TITLE

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
OPENING = "2020-05-01-opening"


def aligned(out: Path, fmt: str) -> str:
    """The edition-wide aligned pairs, which are written gzip-compressed."""
    return gzip.decompress((out / "exports" / f"aligned.{fmt}.gz").read_bytes()).decode("utf-8")


def build(root: Path, out: Path) -> Path:
    code, printed = run("--root", str(root), "--out", str(out), "--strict")
    assert code == 0, printed
    return out


def test_tei_of_a_parallel_speech(tmp_path: Path) -> None:
    out = build(ROOT / "tests" / "golden" / "site", tmp_path / "site")
    tree = ET.parse(out / "exports" / "speeches" / OPENING / f"{OPENING}.tei.xml")
    root = tree.getroot()
    assert root.tag == f"{TEI}TEI" and root.get(XML_LANG) == "zh-Hans"
    divs = root.findall(f".//{TEI}body/{TEI}div")
    assert [(d.get("type"), d.get(XML_LANG)) for d in divs] == [("original", "zh-Hans"), ("translation", "en")]
    for div, other in zip(divs, reversed(divs), strict=True):
        blocks = list(div)
        assert len(blocks) == 3
        for n, block in enumerate(blocks, 1):
            assert block.get(XML_ID) == f"{div.get(XML_ID)}-p{n}"
            assert block.get("corresp") == f"#{other.get(XML_ID)}-p{n}"
    zh, en = divs
    assert ET.tostring(zh.find(f".//{TEI}choice"), encoding="unicode").count("治里") == 1
    assert zh.find(f".//{TEI}choice/{TEI}corr").text == "治理"
    assert en.find(f".//{TEI}supplied").text == "the"
    assert [n.get("n") for n in en.iter(f"{TEI}note")] == ["1"]
    assert en.find(f".//{TEI}ref").get("target") == "https://example.org/golden/en/speeches/2020-05-03-closing/#p2"
    assert [t.text for t in root.iter(f"{TEI}title")] == ["Opening Address", "开幕致辞"]


def test_tmx_tsv_json_and_text(tmp_path: Path) -> None:
    out = build(ROOT / "tests" / "golden" / "site", tmp_path / "site")
    tmx = ET.fromstring(aligned(out, "tmx"))
    assert tmx.get("version") == "1.4" and tmx.find("header").get("srclang") == "*all*"
    units = tmx.findall("body/tu")
    assert [u.get("tuid") for u in units] == [f"{OPENING}-p{n}" for n in (1, 2, 3)]  # pairs with both texts
    assert [(t.get(XML_LANG), t.find("seg").text) for t in units[1].findall("tuv")] == [
        ("zh-Hans", "欢迎各位[1]。本次论坛讨论治理问题。"),  # the original (srclang) first
        ("en", "Welcome, everyone[1]. This forum discusses [the] governance.")]
    rows = list(csv.reader(io.StringIO(aligned(out, "tsv")), delimiter="\t"))
    # The pairs with both texts, as in the TMX: the closing speech has one language only
    assert rows[0] == ["speech", "paragraph", "en", "zh"] and [r[:2] for r in rows[1:]] == [
        [OPENING, "1"], [OPENING, "2"], [OPENING, "3"]]
    data = json.loads((out / "exports" / "speeches" / OPENING / f"{OPENING}.json").read_text(encoding="utf-8"))
    assert [p["n"] for p in data["pairs"]] == [1, 2, 3]
    assert data["pairs"][2]["en"] == "See also the closing remarks and Li Si."
    assert data["title"] == {"en": "Opening Address", "zh": "开幕致辞"} and data["original"] == "zh"
    text = (out / "exports" / "speeches" / OPENING / f"{OPENING}.zh.txt").read_text(encoding="utf-8")
    assert text == ("开幕致辞\n\n¶1 女士们、先生们：\n\n¶2 欢迎各位[1]。本次论坛讨论治理问题。\n\n"
                    "¶3 另见《闭幕讲话》第2段。\n\n[1] 原文如此。\n")
    source = (out / "exports" / "speeches" / OPENING / f"{OPENING}.md").read_text(encoding="utf-8")
    assert source == (ROOT / "tests/golden/site/content/speeches" / f"{OPENING}.md").read_text(encoding="utf-8")
    page = (out / "en" / "speeches" / OPENING / "index.html").read_text(encoding="utf-8")
    for link in (f"{OPENING}.md", f"{OPENING}.en.txt", f"{OPENING}.json", f"{OPENING}.tei.xml", "aligned.tmx.gz"):
        assert link + '"' in page


def test_hostile_values_round_trip_through_every_export(tmp_path: Path) -> None:
    out = build(ROOT / "tests" / "hostile_site", tmp_path / "site")
    slug = "2020-01-02-hostile"
    folder = out / "exports" / "speeches" / slug
    data = json.loads((folder / f"{slug}.json").read_text(encoding="utf-8"))
    assert data["title"]["en"] == TITLE and data["speakers"][0]["name"]["en"] == SPEAKER and data["edition"] == EDITION
    tei = ET.parse(folder / f"{slug}.tei.xml").getroot()
    assert next(t.text for t in tei.iter(f"{TEI}title")) == TITLE
    assert [a.text for a in tei.find(f".//{TEI}titleStmt").iter(f"{TEI}author")] == [SPEAKER]
    assert tei.find(f".//{TEI}publisher").text == EDITION
    assert (folder / f"{slug}.en.txt").read_text(encoding="utf-8").startswith(TITLE + "\n")
    ET.fromstring(aligned(out, "tmx"))


def test_revisions_come_from_the_site_repository(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "golden" / "site", site)
    code, _ = run("--root", str(site), "--out", str(tmp_path / "before"))
    assert code == 0 and "h-revisions" not in (tmp_path / "before/en/speeches" / OPENING / "index.html").read_text()
    env = {**os.environ, "GIT_AUTHOR_NAME": "E", "GIT_AUTHOR_EMAIL": "e@example.org", "GIT_COMMITTER_NAME": "E",
           "GIT_COMMITTER_EMAIL": "e@example.org"}

    def git(*args: str, date: str = "") -> None:
        subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True,
                       env={**env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "First edition", date="2021-03-04T10:00:00")
    speech = site / "content" / "speeches" / f"{OPENING}.md"
    speech.write_text(speech.read_text(encoding="utf-8").replace("Ladies and gentlemen:", "Ladies and gentlemen,"),
                      encoding="utf-8")
    git("commit", "-q", "-am", "Correct the salutation", date="2022-05-06T10:00:00")
    out = build(site, tmp_path / "after")
    html = (out / "en" / "speeches" / OPENING / "index.html").read_text(encoding="utf-8")
    section = html.split('<section class="revisions"', 1)[1].split("</section>")[0]
    assert '<time datetime="2022-05-06">6 May 2022</time>: <span lang="en">Correct the salutation</span>' in section
    assert '<time datetime="2021-03-04">4 March 2021</time>: <span lang="en">First edition</span>' in section
    assert '<dt>Last revised</dt>\n    <dd><time datetime="2022-05-06">6 May 2022</time>' in html
    closing = (out / "en" / "speeches" / "2020-05-03-closing" / "index.html").read_text(encoding="utf-8")
    assert closing.count("<li><time") == 1  # only the commit that touched it


def test_the_plain_text_keeps_the_numbers_of_a_numbered_list() -> None:
    """The page numbers the items of `3. a`: so does the text download (it used to show dashes),
    a list inside an item keeping its own marks."""
    from edition.markdown import parse_body

    body = "::: en\n3. Three\n4. Four\n   - inner\n   - more\n\n- a\n- b\n:::\n"
    (section,), diags = parse_body(body, "x.md", 1, ("en",), False)
    assert diags == []
    assert section.text == ("3. Three\n4. Four\n   - inner\n   - more", "- a\n- b")


def test_a_loose_list_item_of_two_paragraphs_in_plain_text() -> None:
    from edition.markdown import parse_body

    (section,), _ = parse_body("::: en\n1. First.\n\n   More of it.\n\n2. Second.\n:::\n", "x.md", 1, ("en",), False)
    assert section.text == ("1. First.\n\n   More of it.\n2. Second.",)  # no line of spaces
