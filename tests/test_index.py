import json
import os
from pathlib import Path

import pytest

from edition.index import MAX_NAMED, glob, index

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


def test_a_failure_is_a_diagnostic(tmp_path: Path) -> None:
    indexed, diags = index(tmp_path / "missing", ("en",))
    assert indexed is None
    assert [d.code for d in diags] == ["search-index"]


def test_pagefind_reads_only_the_pages_with_a_search_body(tmp_path: Path) -> None:
    """Pagefind reads the pages the renderer named, not the list and term pages it would not index
    (here a page left out of the list, which it would index: proof that it was not read). Named
    pages outside speeches/ (a site template may give any page a body) are read too."""
    write_site(tmp_path, {"en/speeches/a/index.html": page("en", "rice"), "en/about/index.html": page("en", "wheat"),
                          "en/tags/x/index.html": page("en", "barley"),  # not named: not read
                          "zh/speeches/a/index.html": page("zh-Hans", "稻米")})
    searchable = ("en/speeches/a/index.html", "en/about/index.html", "zh/speeches/a/index.html")
    assert glob("en", searchable) == "en/{about/index.html,speeches/*/index.html}"
    assert glob("zh", searchable) == "zh/speeches/*/index.html"
    indexed, diags = index(tmp_path, ("en", "zh"), searchable)
    assert diags == [] and indexed is not None and indexed.pages == (("en", 2), ("zh-hans", 1))
    # The whole tree, as before, when the pages are not known, when none of a tree's has a body
    # (Pagefind then indexes whole pages), when a path needs escaping, or when too many are named.
    assert glob("en", None) == "en/**/*.html"
    assert glob("en", tuple(f"en/p{i}/index.html" for i in range(MAX_NAMED + 1))) == "en/**/*.html"
    assert glob("en", ("en/a{b}/index.html",)) == "en/**/*.html"
    assert glob("fr", searchable) == "fr/**/*.html"


def test_a_kept_bundle_has_its_scripts_compared_not_its_index_decompressed_again(tmp_path: Path) -> None:
    """A bundle a build kept (checked when it was written, its files as then) is not decompressed
    again; its scripts are still compared with the fresh bundle's (a Pagefind of another version)."""
    from edition.indexcheck import problems

    write_site(tmp_path, {"en/a/index.html": page("en", "rice"), "zh/a/index.html": page("zh-Hans", "稻米")})
    index(tmp_path, ("en", "zh"))
    en, zh = tmp_path / "pagefind" / "en", tmp_path / "pagefind" / "zh"
    fragment = next(zh.rglob("*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes()[:-4])
    assert problems([en, zh]) != [] and problems([en, zh], checked=(zh,)) == []
    script = zh / "pagefind.js"
    script.write_bytes(script.read_bytes().replace(b"export{", b"export {//"))
    assert any("pagefind.js differs" in p for p in problems([en, zh], checked=(zh,)))


def test_the_search_identity_names_the_binary_that_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`python -m pagefind` runs the binary of `pagefind_bin_extended` (else `pagefind_bin`, else a
    `PAGEFIND_BINARY_PATH` or the PATH's): another one there (the one without Chinese segmentation,
    a file replaced at the same path) is another identity, so no bundle of the other is kept (a
    helper's attack, 1 December)."""
    from importlib import metadata

    from edition import index as index_module

    before = index_module.search_identity()
    real = metadata.version
    monkeypatch.setattr(index_module.metadata, "version",
                        lambda name: "0.0.1" if name == "pagefind_bin_extended" else real(name))
    assert index_module.search_identity() not in (None, before)
    monkeypatch.setattr(index_module.metadata, "version", real)
    binary = tmp_path / "pagefind_extended"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with_path = index_module.search_identity()
    assert with_path not in (None, before)
    binary.write_text("#!/bin/sh\nexit 0\n")  # replaced in place: another size
    assert index_module.search_identity() not in (None, before, with_path)


def test_pagefind_imports_nothing_from_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m` would put the working folder first on Pagefind's module path: a `shutil.py`
    there (the editor's own, or planted) would run inside the indexer."""
    write_site(tmp_path / "site", {"en/a/index.html": page("en", "rice")})
    work = tmp_path / "wd"
    work.mkdir()
    (work / "shutil.py").write_text(f"open({str(tmp_path / 'ran')!r}, 'w').write('x')\n", encoding="utf-8")
    monkeypatch.chdir(work)
    indexed, diags = index(tmp_path / "site", ("en",))
    assert diags == [] and indexed is not None and not (tmp_path / "ran").exists()


def test_the_files_of_a_bundle_are_listed_in_the_order_rglob_sorts_them(tmp_path: Path) -> None:
    from edition.indexcheck import files

    for rel in ("a.js", "a-b/x", "a/y", "fragment/en_1.pf_fragment", "fragment/en_0.pf_fragment", "z.css"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    (tmp_path / "empty").mkdir()
    (tmp_path / "link.js").symlink_to("a.js")
    assert files(tmp_path) == sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert files(tmp_path, recurse=False) == [tmp_path / "a.js", tmp_path / "link.js", tmp_path / "z.css"]
    assert files(tmp_path / "absent") == []
