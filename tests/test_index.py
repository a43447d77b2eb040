import json
from pathlib import Path

from edition.index import index, reindex_live

from .conftest import write_site


def page(lang: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><title>t</title></head><body>'
            f"<main data-pagefind-body><h1>T</h1><p>{body}</p></main></body></html>")


def test_one_bundle_per_language_tree(tmp_path: Path) -> None:
    write_site(tmp_path, {"en/a/index.html": page("en", "rice"), "en/b/index.html": page("en", "wheat"),
                          "zh/a/index.html": page("zh-Hans", "稻米")})
    indexed, diags = index(tmp_path, ("en", "zh"))
    assert diags == [] and indexed is not None
    assert indexed.pages == (("en", 2), ("zh-hans", 1))
    assert indexed.bundle_bytes > 10_000
    for key, lang in (("en", "en"), ("zh", "zh-hans")):
        entry = json.loads((tmp_path / "pagefind" / key / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == [lang]


def test_reindex_live_swaps_the_bundle(tmp_path: Path) -> None:
    write_site(tmp_path, {"en/a/index.html": page("en", "rice")})
    index(tmp_path, ("en",))
    write_site(tmp_path, {"en/b/index.html": page("en", "wheat")})
    indexed, _ = reindex_live(tmp_path, ("en",))
    assert indexed is not None and indexed.pages == (("en", 2),)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en", "pagefind"]


def test_a_failure_is_a_diagnostic(tmp_path: Path) -> None:
    indexed, diags = index(tmp_path / "missing", ("en",))
    assert indexed is None
    assert [d.code for d in diags] == ["search-index"]
