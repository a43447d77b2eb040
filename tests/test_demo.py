"""The demo edition in content/: it builds cleanly and says what the issue says it must."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from .conftest import ROOT, run

SLUG = "2014-11-19-ma-kai-wic-opening"
XI = "2014-11-19-xi-jinping-wic-message"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "_site"
    code, printed = run("--root", str(ROOT), "--out", str(out), "--strict")
    assert code == 0, printed
    assert printed.splitlines()[-1].startswith("ok: 0 errors, 0 warnings")
    return out


def test_tree_of_the_spec(demo: Path) -> None:
    for path in ["index.html", "404.html", "sitemap.xml", "robots.txt", ".nojekyll",
                 *(f"{k}/{p}index.html" for k in ("en", "zh") for p in (
                     "", f"speeches/{SLUG}/", f"speeches/{XI}/", "about/", "editorial-principles/"))]:
        assert (demo / path).is_file(), path


def test_the_speech_text_is_the_seed_text(demo: Path) -> None:
    html = (demo / "en" / "speeches" / SLUG / "index.html").read_text()
    assert len(re.findall(r'<div class="row" id="p\d+">', html)) == 11
    assert "Leave a Reply" not in html and "Log Out" not in html and "Connecting to" not in html


def test_undoing_the_marks_gives_back_the_seed_paragraphs() -> None:
    """The English text is the seed's, word for word: only marks and notes were added."""
    seed = (ROOT / "docs" / "sources" / "ma-kai-wic-2014-en.txt").read_text(encoding="utf-8")
    body = seed.split("Posted on Updated on", 1)[1].split("Leave a Reply", 1)[0]
    expected = [p.strip() for p in body.split("\n\n") if p.strip()]
    source = (ROOT / "content" / "speeches" / f"{SLUG}.md").read_text(encoding="utf-8")
    section = source.split("::: en\n", 1)[1].split("\n:::", 1)[0]
    paragraphs = [p for p in section.split("\n\n") if p.strip() and not p.startswith("[^")]
    undone = []
    for p in paragraphs:
        p = re.sub(r"\{~~(.*?)~>.*?~~\}", r"\1", p)  # a correction: the source reading
        p = re.sub(r"\{\+\+.*?\+\+\}|\{>>.*?<<\}|\[\^[^\]]+\]", "", p)  # supplied text, comments, notes
        p = re.sub(r"\{--(.*?)--\}", r"\1", p)
        undone.append(re.sub(r"  +", " ", p))
    assert undone == [re.sub(r"  +", " ", p) for p in expected]


def test_errors_are_marked_not_silently_fixed(demo: Path) -> None:
    html = (demo / "en" / "speeches" / SLUG / "index.html").read_text()
    section = html.split('<section class="interventions"')[1].split("</section>")[0]
    items = html_lib.unescape(re.sub(r"<[^>]+>", "", section))
    for expected in ["“county” → “country”", "“then” → “than”", "Supplied by the editor: \n“Secretary”"]:
        assert expected in items
    assert "Editor's comment" in items and "missing" in items


def test_the_chinese_original_is_said_to_be_missing(demo: Path) -> None:
    for key in ("en", "zh"):
        html = (demo / key / "speeches" / SLUG / "index.html").read_text()
        assert "The original (Chinese) text of this speech is not yet part of the edition." in html
        assert "本讲话的原文（中文）尚未收入本文集。" in html
        assert 'lang="zh-Hans"' in html and '<div class="cell orig"' not in html


def test_the_message_is_a_catalogue_record_related_and_cited(demo: Path) -> None:
    html = (demo / "en" / "speeches" / XI / "index.html").read_text()
    assert "Catalogue record" in html and "The text of this speech is not yet part of the edition." in html
    assert '<div class="row"' not in html
    assert f'href="../{SLUG}/#p3"' in html and f'href="../{SLUG}/#p6"' in html
    speech = (demo / "en" / "speeches" / SLUG / "index.html").read_text()
    assert f'<a href="../{XI}/">' in speech
