"""`exports:` in site.yml: which download formats are written, and the default by edition size."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from edition import validate as validate_module
from edition.load import load

from .conftest import SITE_YML, THEME, base_files, run, speech, write_site


def files_of(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
            and not p.relative_to(out).as_posix().startswith(("pagefind/", "theme/"))}


def test_no_exports_key_writes_every_format_on_a_small_edition(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    code, printed = run("--root", str(root), "--out", str(tmp_path / "out"))
    assert code == 0, printed
    got = files_of(tmp_path / "out")
    assert {"en/speeches/first/cite.bib", "zh/speeches/first/cite.ris", "exports/speeches/first/first.tei.xml",
            "exports/speeches/first/first.md", "exports/aligned.tsv.gz", "en/exports/index.html"} <= got
    assert "note:" not in printed
    page = (tmp_path / "out/en/exports/index.html").read_text(encoding="utf-8")
    size = len((tmp_path / "out/exports/aligned.tmx.gz").read_bytes())
    assert '"../../exports/aligned.tmx.gz">All aligned pairs (TMX, gzip)</a><span class="size"> (1 kB)</span>' in page \
        and size < 1000
    assert gzip.decompress((tmp_path / "out/exports/aligned.tsv.gz").read_bytes()).startswith(b"speech\tparagraph\t")


def test_a_list_writes_those_formats_only_and_pages_link_to_nothing_else(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {**base_files(), "content/site.yml": SITE_YML + "exports: [tei, tmx]\n"})
    code, printed = run("--root", str(root), "--out", str(tmp_path / "out"), "--strict")
    assert code == 0, printed
    got = files_of(tmp_path / "out")
    assert "exports/speeches/first/first.tei.xml" in got and "exports/aligned.tmx.gz" in got
    assert not any(p.endswith(("cite.bib", "cite.ris", "first.md", "first.en.txt", "first.json", "aligned.tsv.gz"))
                   for p in got)
    page = (tmp_path / "out/en/speeches/first/index.html").read_text(encoding="utf-8")
    assert "first.tei.xml" in page and "aligned.tmx.gz" in page
    assert "cite.bib" not in page and "first.md" not in page and "aligned.tsv" not in page


def test_none_at_all(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {**base_files(), "content/site.yml": SITE_YML + "exports: []\n"})
    code, printed = run("--root", str(root), "--out", str(tmp_path / "out"), "--strict")
    assert code == 0, printed
    got = files_of(tmp_path / "out")
    assert not any(p.startswith("exports/") or "/exports/" in p or "cite." in p for p in got)
    for page in ("en/speeches/first/index.html", "en/index.html"):
        html = (tmp_path / "out" / page).read_text(encoding="utf-8")
        assert "exports/" not in html and "cite." not in html and 'class="exports"' not in html


def test_an_unknown_format_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {**base_files(), "content/site.yml": SITE_YML + "exports: [tei, tmxx]\n"})
    code, printed = run("check", "--root", str(root))
    assert code == 1
    assert "content/site.yml:6:16: error[unknown-export]: `tmxx` is not an export format" in printed
    assert "did you mean `tmx`?" in printed


def test_a_large_edition_without_the_key_gets_no_downloads_and_is_told(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate_module, "EXPORTS_UP_TO", 2)  # the rule, at a size a test can build
    files = {**base_files(), **{f"content/speeches/s{i}.md": speech(f"S{i}") for i in range(3)}}
    root = write_site(tmp_path / "site", files)
    code, printed = run("--root", str(root), "--out", str(tmp_path / "out"))
    assert code == 0, printed
    assert not any("cite." in p or p.startswith("exports/") for p in files_of(tmp_path / "out"))
    assert "note: above 2,000 speeches the downloads" in printed
    # Listing them brings them back, whatever the size.
    (root / "content/site.yml").write_text(SITE_YML + "exports: all\n", encoding="utf-8")
    edition = validate_module.validate(load(root, THEME))
    assert edition.site.exports == ("cite", "source", "text", "json", "tei", "tsv", "tmx")
