import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from edition.link import link
from edition.load import load
from edition.render import render
from edition.validate import validate

from .conftest import THEME, base_files, speech, write_site


def rendered(root: Path) -> dict[str, str]:
    sources = load(root, THEME)
    r, _ = render(link(validate(sources)), sources.template_dirs, sources.static, sources.texts())
    return {f.path: (gzip.decompress(f.data) if f.path.endswith(".gz") else f.data).decode() for f in r.files}, \
        r.diagnostics


def test_every_language_tree_and_site_files(tmp_path: Path) -> None:
    files, diags = rendered(write_site(tmp_path, {**base_files(), "content/pages/about.md": "---\ntitle: A\n---\n"}))
    assert diags == ()
    assert sorted(files) == sorted([
        ".nojekyll", "404.html", "index.html", "robots.txt", "sitemap.xml",
        *(f"{k}/{p}index.html" for k in ("en", "zh") for p in (
            "", "search/", "speeches/first/", "about/", "people/ma-kai/", "people/li-si/", "events/wic-2014/",
            "speeches/", "people/", "events/", "tags/", "years/", "years/2014/", "timeline/", "exports/")),
        *(f"{k}/feed.xml" for k in ("en", "zh")),
        *(f"{k}/speeches/first/cite.{ext}" for k in ("en", "zh") for ext in ("bib", "ris", "json")),
        "exports/aligned.tsv.gz", "exports/aligned.tmx.gz",
        *(f"exports/speeches/first/first.{ext}" for ext in ("md", "json", "tei.xml", "en.txt", "zh.txt"))])
    assert '<html lang="zh-Hans">' in files["zh/speeches/first/index.html"]
    assert '<link rel="alternate" hreflang="en" href="https://example.org/ed/en/speeches/first/">' in \
        files["zh/speeches/first/index.html"]


def test_sitemap_lists_every_page_with_alternates(tmp_path: Path) -> None:
    files, _ = rendered(write_site(tmp_path, base_files()))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(files["sitemap.xml"])
    urls = root.findall("s:url", ns)
    assert len(urls) == 1 + 2 * 13  # the language chooser, and every page but the search pages
    assert all(len(u.findall("x:link", ns)) == 2 + 1 for u in urls)  # each language and x-default
    assert "Sitemap: https://example.org/ed/sitemap.xml" in files["robots.txt"]


def test_a_site_template_overrides_the_theme(tmp_path: Path) -> None:
    root = write_site(tmp_path, {**base_files(), "templates/robots.txt": "User-agent: *\nDisallow: /\n"})
    files, _ = rendered(root)
    assert files["robots.txt"] == "User-agent: *\nDisallow: /\n"


def test_a_broken_template_is_a_diagnostic_not_a_page(tmp_path: Path) -> None:
    root = write_site(tmp_path, {**base_files(), "templates/robots.txt": "User-agent: *\n{{ v.nothing_here }}\n",
                                 "templates/home.html": "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n"
                                                        "{% endblock %}\n"})
    files, diags = rendered(root)
    # no page from a broken template: not the home pages, not robots.txt; the other pages are made
    assert not {"robots.txt", "en/index.html", "zh/index.html"} & files.keys()
    assert "en/speeches/first/index.html" in files
    # one diagnostic for each broken place, at its line in the site's template
    places = {(Path(d.path).resolve().relative_to(root.resolve()).as_posix(), d.line, d.code): d.message
              for d in diags}
    assert sorted(places) == [("templates/home.html", 3, "template"), ("templates/robots.txt", 2, "template")]
    assert "Expected an expression" in places["templates/home.html", 3, "template"]
    assert "nothing_here" in places["templates/robots.txt", 2, "template"]


def test_catalogue_record_and_missing_text_notices(tmp_path: Path) -> None:
    root = write_site(tmp_path, {**base_files(),
                                 "content/speeches/rec.md": speech("Record", body=""),
                                 "content/speeches/one.md": speech("One", body="::: en\nHi.\n:::\n")})
    files, _ = rendered(root)
    record = files["en/speeches/rec/index.html"]
    assert "The text of this speech is not yet part of the edition." in record
    assert "本讲话的文本尚未收入本文集。" in record
    one = files["zh/speeches/one/index.html"]
    assert "本讲话的原文（中文）尚未收入本文集。" in one
    assert "The original (Chinese) text of this speech is not yet part of the edition." in one
