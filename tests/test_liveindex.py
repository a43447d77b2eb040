"""The preview's background index (edition/liveindex.py): Pagefind reads a snapshot of the
served pages, and the next index makes again only the trees whose search input changed since."""

from __future__ import annotations

import gzip
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from edition import liveindex
from edition.liveindex import drop, reindex_live, seed
from edition.pipeline import Options, Result, build

from .conftest import THEME, write_site
from .test_index import page
from .test_pipeline import ENGLISH_ONLY, GOLDEN, OPENING, TREE_EDITS, _bundle, edit

KEYS = ("en", "zh")


def _indexed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The trees each index gave Pagefind."""
    seen: list[tuple[str, ...]] = []
    spawn = liveindex.spawn

    def spy(site: Path, output: Path, keys: tuple[str, ...], *args: Any, **kwargs: Any) -> Any:
        seen.append(keys)
        return spawn(site, output, keys, *args, **kwargs)
    monkeypatch.setattr(liveindex, "spawn", spy)
    return seen


def _preview(tmp_path: Path) -> tuple[Path, Options, Result]:
    """The golden site as a preview builds it: first with its index, then leaving it to liveindex."""
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME, cache=True, search="later")
    first = build(replace(opts, search="now"))
    assert not first.failed(False)
    return root, opts, first


def _reindex(opts: Options, good: Result, last: liveindex.Snapshot | None) -> tuple[Any, Any, Any]:
    assert good.rendered is not None
    return reindex_live(opts.out, KEYS, None, good.rendered.searchable, last)


def _siblings(tmp_path: Path) -> list[str]:
    return sorted(p.name.split("-")[0] for p in tmp_path.iterdir() if p.name.startswith(".out."))


@pytest.mark.parametrize("name", list(TREE_EDITS))
def test_the_preview_indexes_again_only_the_trees_whose_search_input_changed(
        tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a save, the background index gives Pagefind only the trees whose pages it would read
    differently from the snapshot the last index read; the bundles then say what a clean build's
    say. The snapshot it replaces is dropped by the caller."""
    change, trees = TREE_EDITS[name]
    root, opts, good = _preview(tmp_path)
    indexed = _indexed(monkeypatch)
    result, diags, first = _reindex(opts, good, None)
    assert diags == [] and result is not None and first is not None
    change(root)
    good = build(opts, good)
    assert not good.failed(False)
    result, diags, second = _reindex(opts, good, first)
    assert diags == [] and result is not None and second is not None and second.folder != first.folder
    assert indexed == [KEYS, trees]
    drop(first)
    assert _siblings(tmp_path) == [".out.index"]  # the snapshot of the live bundle, nothing else
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    for key in KEYS:
        assert _bundle(opts.out, key) == _bundle(tmp_path / "full", key), key
    drop(second)
    assert _siblings(tmp_path) == []


def test_a_kept_bundle_is_the_one_the_last_index_swapped_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing Pagefind reads changed: no Pagefind, the live bundle stands, the snapshot too. A
    bundle file rewritten (by hand, or by anything else) and another Pagefind: indexed again."""
    root, opts, good = _preview(tmp_path)
    indexed = _indexed(monkeypatch)
    _, _, snapshot = _reindex(opts, good, None)
    (root / OPENING).write_bytes((root / OPENING).read_bytes())  # saved as it was
    good = build(opts, good)
    assert _reindex(opts, good, snapshot) == (None, [], snapshot)
    fragment = next((opts.out / "pagefind/zh").rglob("*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes())
    edit(root, OPENING, *ENGLISH_ONLY)
    good = build(opts, good)
    _, _, newer = _reindex(opts, good, snapshot)
    drop(snapshot)
    with monkeypatch.context() as m:
        m.setattr(liveindex, "search_identity", lambda: "0.0.1 another")
        _, _, newest = _reindex(opts, good, newer)
    assert indexed == [KEYS, KEYS, KEYS]
    drop(newer)
    drop(newest)


def test_a_failed_index_leaves_the_live_bundle_and_its_snapshot(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path / "out", {"en/a/index.html": page("en", "rice")})
    out = tmp_path / "out"
    indexed, diags, snapshot = reindex_live(out, ("en",))
    assert diags == [] and indexed is not None and indexed.pages == (("en", 1),)
    entry = (out / "pagefind/en/pagefind-entry.json").read_bytes()
    write_site(out, {"en/b/index.html": page("en", "wheat")})
    spawn = liveindex.spawn
    monkeypatch.setattr(liveindex, "spawn", lambda site, *a, **k: spawn(site / "missing", *a, **k))
    indexed, diags, same = reindex_live(out, ("en",), last=snapshot)
    assert indexed is None and [d.code for d in diags] == ["search-index"] and same is snapshot
    assert (out / "pagefind/en/pagefind-entry.json").read_bytes() == entry
    assert _siblings(tmp_path) == [".out.index"]
    assert sorted(p.name for p in out.iterdir()) == ["en", "pagefind"]


def test_pagefind_reads_the_pages_as_they_were_when_the_index_began(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A save while Pagefind reads (a first look replaces a page) does not reach the bundle being
    made from the snapshot; the next index finds the page changed and reads it."""
    _, opts, good = _preview(tmp_path)
    page_path = opts.out / "en/speeches/2020-05-01-opening/index.html"
    spawn = liveindex.spawn

    def saved_meanwhile(site: Path, *args: Any, **kwargs: Any) -> Any:
        new = page_path.read_bytes().replace(b"Welcome, everyone", b"Welcome, zebrafish")
        tmp = page_path.with_name(".saved")
        tmp.write_bytes(new)
        tmp.replace(page_path)
        return spawn(site, *args, **kwargs)

    def said(word: bytes) -> bool:
        return any(word in gzip.decompress(p.read_bytes()) for p in (opts.out / "pagefind/en").rglob("*.pf_fragment"))

    with monkeypatch.context() as m:
        m.setattr(liveindex, "spawn", saved_meanwhile)
        _, _, first = _reindex(opts, good, None)
    assert not said(b"zebrafish") and said(b"everyone")
    indexed = _indexed(monkeypatch)
    _, _, second = _reindex(opts, good, first)
    assert indexed == [("en",)] and said(b"zebrafish")
    drop(first)
    drop(second)


def test_the_preview_s_first_build_gives_the_first_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview's first build indexes its own pages: the first background index already keeps
    the trees whose pages are as that build published them; a page replaced since (here by hand,
    the same bytes) is not known to be what Pagefind read, so its tree is indexed again."""
    root, opts, good = _preview(tmp_path)
    assert good.indexed_tree is not None and good.edition is not None and good.rendered is not None
    snapshot = seed(opts.out, KEYS, None, good.rendered.searchable, good.indexed_tree, good.indexed_with)
    assert snapshot is not None and len(snapshot.pages) == len(good.rendered.searchable)
    indexed = _indexed(monkeypatch)
    edit(root, OPENING, *ENGLISH_ONLY)
    later = build(opts, good)
    _, _, second = _reindex(opts, later, snapshot)
    assert indexed == [("en",)]
    drop(snapshot)
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    for key in KEYS:
        assert _bundle(opts.out, key) == _bundle(tmp_path / "full", key), key
    drop(second)

    root, opts, good = _preview(tmp_path / "again")
    chinese = opts.out / "zh/speeches/2020-05-02-letter/index.html"
    chinese.with_name("copy").write_bytes(chinese.read_bytes())
    chinese.with_name("copy").replace(chinese)
    snapshot = seed(opts.out, KEYS, None, good.rendered.searchable, good.indexed_tree, good.indexed_with)  # type: ignore[union-attr,arg-type]
    edit(root, OPENING, *ENGLISH_ONLY)
    _, _, second = _reindex(opts, build(opts, good), snapshot)
    assert indexed == [("en",), KEYS]
    drop(snapshot)
    drop(second)
    # A bundle not as published: no snapshot.
    fragment = next((opts.out / "pagefind/zh").rglob("*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes())
    assert seed(opts.out, KEYS, None, good.rendered.searchable, good.indexed_tree, good.indexed_with) is None  # type: ignore[union-attr,arg-type]
    assert _siblings(tmp_path / "again") == []
    # A build that left the index to later records no tree.
    assert build(opts, good).indexed_tree is None


def test_without_hard_links_the_pages_are_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system without hard links (exFAT, some network and container mounts): the snapshot
    holds copies, compared by the served files' stats and search input, and the bundle follows."""
    root, opts, good = _preview(tmp_path)

    def no_links(src: object, dest: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(liveindex.os, "link", no_links)
    indexed = _indexed(monkeypatch)
    _, _, first = _reindex(opts, good, None)
    edit(root, OPENING, *ENGLISH_ONLY)
    good = build(opts, good)
    result, diags, second = _reindex(opts, good, first)
    assert diags == [] and result is not None and indexed == [KEYS, ("en",)]
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    for key in KEYS:
        assert _bundle(opts.out, key) == _bundle(tmp_path / "full", key), key
    drop(first)
    drop(second)


def test_a_bundle_made_with_other_pagefind_settings_is_not_kept(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind reads settings of its own (a pagefind.yml in its working folder, PAGEFIND_* variables):
    a snapshot records them, and a tree is kept only under the same (helper's attack: the file removed
    while the preview ran left the other tree indexed without the text it had excluded)."""
    root, opts, good = _preview(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pagefind.yml").write_text('exclude_selectors: ["p"]\n')
    indexed = _indexed(monkeypatch)
    _, _, first = _reindex(opts, good, None)
    (tmp_path / "pagefind.yml").unlink()
    edit(root, OPENING, *ENGLISH_ONLY)
    good = build(opts, good)
    _, _, second = _reindex(opts, good, first)
    edit(root, OPENING, ENGLISH_ONLY[1], ENGLISH_ONLY[0])
    good = build(opts, good)
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "p")
    _, _, third = _reindex(opts, good, second)
    assert indexed == [KEYS, KEYS, KEYS]
    for snapshot in (first, second, third):
        drop(snapshot)


def test_a_tree_indexed_again_takes_over_the_live_bundle_s_unchanged_files(tmp_path: Path) -> None:
    """As a build's index does (test_pipeline): the fragments of the pages a save did not touch
    are the live bundle's files, not written again; the bundle is a clean build's."""
    root, opts, good = _preview(tmp_path)
    _, _, first = _reindex(opts, good, None)
    before = {p.stat().st_ino for p in (opts.out / "pagefind/en/fragment").iterdir()}
    edit(root, OPENING, *ENGLISH_ONLY)
    good = build(opts, good)
    _, diags, second = _reindex(opts, good, first)
    assert diags == []
    after = [p.stat().st_ino for p in (opts.out / "pagefind/en/fragment").iterdir()]
    assert len(after) == 3 and len(set(after) & before) == 2
    assert not build(Options(root=root, out=tmp_path / "full", theme=THEME)).failed(False)
    assert _bundle(opts.out, "en") == _bundle(tmp_path / "full", "en")
    drop(first)
    drop(second)


def test_the_served_bundle_is_replaced_in_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new bundle and the served one exchange names (renameat2): a search request while the
    index lands never finds the bundle missing (two renames left a moment of 404s, which
    bench/reload.py's polling met at 10,000 speeches)."""
    root, opts, good = _preview(tmp_path)
    missing: list[str] = []
    rename = os.rename

    def watched(src: Any, dst: Any) -> None:
        rename(src, dst)
        if not (opts.out / "pagefind" / "en" / "pagefind-entry.json").exists():
            missing.append(f"{src} -> {dst}")
    monkeypatch.setattr(liveindex.os, "rename", watched)
    result, diags, first = _reindex(opts, good, None)
    assert diags == [] and result is not None and first is not None
    edit(root, OPENING, "女士们、先生们：", "女士们、先生们，朋友们：")
    good = build(opts, good)
    result, diags, second = _reindex(opts, good, first)
    assert diags == [] and result is not None and second is not None
    assert missing == []
    assert (opts.out / "pagefind" / "en" / "pagefind-entry.json").exists()
    drop(first)
    drop(second)
    assert _siblings(tmp_path) == []


def test_a_bundle_that_cannot_be_swapped_in_leaves_the_live_one_served(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the kernel's exchange the new bundle goes in by two renames; when the second fails
    (a full disk's metadata, a folder made read-only meanwhile), the served bundle is put back
    instead of being removed with the index's folder (it was, before the swap was swap.swap)."""
    from edition import swap

    write_site(tmp_path / "out", {"en/a/index.html": page("en", "rice")})
    out = tmp_path / "out"
    indexed, diags, snapshot = reindex_live(out, ("en",))
    assert diags == [] and indexed is not None
    entry = (out / "pagefind/en/pagefind-entry.json").read_bytes()
    write_site(out, {"en/b/index.html": page("en", "wheat")})
    monkeypatch.setattr(swap, "exchange", lambda new, live: False)
    rename = os.rename

    def failing(src: Any, dest: Any) -> None:
        if Path(dest) == out / "pagefind" and Path(src).name == "pagefind":  # the new bundle, not the old put back
            raise OSError(28, "No space left on device")
        rename(src, dest)
    monkeypatch.setattr(os, "rename", failing)
    with pytest.raises(OSError):
        reindex_live(out, ("en",), last=snapshot)
    monkeypatch.undo()
    assert (out / "pagefind/en/pagefind-entry.json").read_bytes() == entry
    assert _siblings(tmp_path) == [".out.index"]  # the snapshot still in place; the failed one's folder gone
