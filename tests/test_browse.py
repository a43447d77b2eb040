"""Finding one's way on the 1,000-speech benchmark corpus: every index page exists in both trees,
lists exactly the speeches the content says (recounted here from the files), and paginates; the
index pages pass the Nu HTML Checker; related reading is never empty where it can be filled."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, run
from .crawl import site_path
from .test_html_valid import vnu

MAKE_CORPUS = ROOT / "bench" / "make_corpus.py"
PER_PAGE = 50


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, dict[str, dict]]]:
    root = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(MAKE_CORPUS), "1000", str(root)], check=True)
    out = root / "_site"
    code, printed = run("--root", str(root), "--out", str(out), "--strict")
    assert code == 0, printed
    fronts = {}
    for p in sorted((root / "content" / "speeches").glob("*.md")):
        fronts[p.stem] = yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])
    yield root, out, fronts


def listed(out: Path, folder: str) -> list[str]:
    """The speech slugs a paginated list shows, over all its pages, in order."""
    slugs, n = [], 1
    while True:
        here = f"{folder}/" + ("" if n == 1 else f"page/{n}/")
        page = out / here / "index.html"
        if not page.is_file():
            return slugs
        html = page.read_text(encoding="utf-8")
        found = [m[1] for href in re.findall(r'<a class="speech-link" href="([^"]+)"', html)
                 if (m := re.fullmatch(r"\w+/speeches/([^/]+)/", site_path(here, href)))]
        assert 0 < len(found) <= PER_PAGE
        if n > 1:
            assert 'rel="prev"' in html and (f"Page {n} of" in html or f"第{n}页" in html)
        slugs += found
        n += 1


def newest_first(slugs: set[str], fronts: dict[str, dict]) -> list[str]:
    return sorted(slugs, key=lambda s: (fronts[s]["date"], s), reverse=True)


def test_every_index_lists_exactly_the_right_speeches(corpus: tuple[Path, Path, dict[str, dict]]) -> None:
    _, out, fronts = corpus
    by_speaker, by_event, by_tag, by_year = defaultdict(set), defaultdict(set), defaultdict(set), defaultdict(set)
    for slug, f in fronts.items():
        by_speaker[f["speaker"]].add(slug)
        by_event[f["event"]].add(slug)
        by_year[f["date"].year].add(slug)
        for t in f["tags"]:
            by_tag[t].add(slug)
    assert len(by_speaker) == 20 and len(by_tag) == 50
    for key in ("en", "zh"):
        assert listed(out, f"{key}/speeches") == newest_first(set(fronts), fronts)
        for person, slugs in by_speaker.items():
            assert listed(out, f"{key}/people/{person}") == newest_first(slugs, fronts)
        for event, slugs in by_event.items():
            assert listed(out, f"{key}/events/{event}") == list(reversed(newest_first(slugs, fronts)))
        for tag, slugs in by_tag.items():
            assert listed(out, f"{key}/tags/{tag}") == newest_first(slugs, fronts)
        for year, slugs in by_year.items():
            assert listed(out, f"{key}/years/{year}") == newest_first(slugs, fronts)
        for index in ("people", "events", "tags", "years", "timeline"):
            assert (out / key / index / "index.html").is_file()
        timeline = (out / key / "timeline" / "index.html").read_text(encoding="utf-8")
        assert timeline.count("<circle ") == 1000  # the drawing
        assert len(re.findall(r'<li><time datetime="[^"]+">[^<]+</time> <a href=', timeline)) == 1000  # the list


def test_speech_pages_link_to_their_speaker_event_tags_and_year(corpus: tuple[Path, Path, dict[str, dict]]) -> None:
    _, out, fronts = corpus
    slug, f = next(iter(fronts.items()))
    html = (out / "en" / "speeches" / slug / "index.html").read_text(encoding="utf-8")
    links = {site_path(f"en/speeches/{slug}/", href) for href in re.findall(r'href="([^"]+)"', html)}
    assert {f"en/people/{f['speaker']}/", f"en/events/{f['event']}/", f"en/years/{f['date'].year}/",
            *(f"en/tags/{t}/" for t in f["tags"])} <= links


def test_related_reading_is_never_empty_nor_the_speech_itself(corpus: tuple[Path, Path, dict[str, dict]]) -> None:
    _, out, fronts = corpus
    for slug in fronts:
        html = (out / "zh" / "speeches" / slug / "index.html").read_text(encoding="utf-8")
        section = html.split('<section class="related"', 1)
        assert len(section) == 2, slug  # every speech here shares an event or a speaker with another
        items = re.findall(r'<li class="suggested"><a href="\.\./([^/]+)/">', section[1].split("</section>")[0])
        picks = re.findall(r'<li class="pick"><a href="\.\./([^/]+)/">', section[1].split("</section>")[0])
        assert picks == list(fronts[slug]["related"] or []), "the editors' picks come first, in their order"
        assert 1 <= len(items) <= 5 and slug not in items
        assert not set(items) & set(fronts[slug]["related"] or [])


def test_index_pages_pass_the_nu_html_checker(corpus: tuple[Path, Path, dict[str, dict]]) -> None:
    _, out, _ = corpus
    folders = [out / key / name for key in ("en", "zh") for name in ("people", "events", "tags", "years", "timeline")]
    folders += [out / key / "speeches" / "page" for key in ("en", "zh")]
    assert sum(1 for f in folders for _ in f.rglob("*.html")) > 400
    assert vnu(*folders) == []


@pytest.mark.browser
def test_index_pages_have_no_axe_violations(corpus: tuple[Path, Path, dict[str, dict]]) -> None:
    from .browser import Watched, axe_violations, chromium
    from .conftest import serve_site

    _, out, fronts = corpus
    slug = next(iter(fronts))
    event = fronts[slug]["event"]
    # The corpus is built for https://example.org/bench/: serve it under /bench/.
    with serve_site(out, "/bench/") as base, chromium() as browser:
        watched = Watched(browser.new_page())
        page = watched.page
        for key in ("en", "zh"):
            for path in ("people/", "events/", "tags/", "years/", "timeline/", "speeches/", "speeches/page/2/",
                         f"people/{fronts[slug]['speaker']}/", f"events/{event}/", f"events/{event}/page/2/",
                         f"tags/{fronts[slug]['tags'][0]}/", f"years/{fronts[slug]['date'].year}/",
                         f"speeches/{slug}/"):
                page.goto(f"{base}{key}/{path}")
                assert axe_violations(page) == [], f"{key}/{path}"
        page.close()
        assert watched.errors == []
