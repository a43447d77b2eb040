"""The demo edition served under a sub-path: no broken link, asset or fragment anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, run, serve_site
from .crawl import crawl, fetch


def test_demo_under_sub_path_has_no_broken_link(demo_served: tuple[str, Path]) -> None:
    base, out = demo_served
    pages, problems = crawl(base)
    assert problems == []
    html_files = {p for p in out.rglob("*.html") if p.name != "404.html"}
    # every page the build wrote is reachable from the root (404.html is reached by missing URLs)
    reached = {u for u in pages if u.endswith("/")}
    assert len(reached) == len(html_files)


@pytest.mark.parametrize("prefix", ["/", "/any/other/path/"])
def test_demo_served_elsewhere_than_its_base_url_has_no_broken_link(tmp_path: Path, prefix: str) -> None:
    """Links between pages are relative: the site built for a project page (/repo/) works served
    at a server's root (`python3 -m http.server` in the output folder) or under any other path."""
    out = tmp_path / "site"
    code, printed = run("--root", str(ROOT), "--out", str(out), "--base-url", "https://user.github.io/repo/")
    assert code == 0, printed
    with serve_site(out, prefix) as base:
        pages, problems = crawl(base)
    assert problems == []
    html_files = {p for p in out.rglob("*.html") if p.name != "404.html"}
    assert len({u for u in pages if u.endswith("/")}) == len(html_files) > 30


def test_missing_page_serves_bilingual_404(demo_served: tuple[str, Path]) -> None:
    base, _ = demo_served
    status, body, _ = fetch(base + "en/no-such-page/")
    text = body.decode()
    assert status == 404
    assert "Page not found" in text and "页面不存在" in text
    assert 'href="/sub/en/"' in text and 'href="/sub/zh/"' in text


def test_crawler_reports_broken_links_and_fragments(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/#here">a</a> <a href="gone/">x</a> <a href="#top">t</a>')
    (tmp_path / "a" / "index.html").write_text('<p id="there">a</p> <a href="/elsewhere/">out</a>')
    with serve_site(tmp_path, "/sub/") as base:
        _, problems = crawl(base)
    assert sorted(p.split(": ", 1)[1] for p in problems) == sorted([
        "HTTP 404", "link outside the site's path: /elsewhere/", f"no element #here in {base}a/",
        f"no element #top in {base}"])


def test_golden_site_drawings_and_indexes_have_no_broken_link(golden_served: tuple[str, Path]) -> None:
    base, out = golden_served
    pages, problems = crawl(base)
    assert problems == []
    assert {f"{base}en/timeline/", f"{base}zh/events/forum-2020/", f"{base}en/tags/governance/"} <= pages
    svg_links = [m for p in out.rglob("*.html") for m in p.read_text().split("<svg")[1:] if "<a href=" in m]
    assert svg_links, "the drawings hold links, and the crawl followed them"
