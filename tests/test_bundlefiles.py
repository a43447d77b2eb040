"""The last bundle's content-named files taken over by a tree indexed again (edition/bundlefiles.py),
and the check that each holds what its name says (edition/indexcheck.py)."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from edition.bundlefiles import _named, plant, seeds, settle
from edition.cache import stats
from edition.index import index
from edition.indexcheck import problems, read_ahead

from .conftest import write_site
from .test_index import page


def _bundle(tmp_path: Path, pages: dict[str, str]) -> Path:
    write_site(tmp_path, pages)
    indexed, diags = index(tmp_path, ("en",))
    assert diags == [] and indexed is not None
    return tmp_path / "pagefind" / "en"


def _meta_hash(bundle: Path) -> str:
    return str(json.loads((bundle / "pagefind-entry.json").read_text())["languages"]["en"]["hash"])


def _files(bundle: Path, folder: str) -> set[str]:
    return {p.name.partition(".")[0] for p in (bundle / folder).iterdir()}


def test_the_meta_file_names_every_fragment_chunk_and_filter_file(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, {f"en/s{i}/index.html": page("en", f"rice word{i}") for i in range(3)})
    pages, others = _named(gzip.decompress(next(bundle.glob("pagefind.*.pf_meta")).read_bytes()))
    assert len(pages) == 3 and set(pages) == _files(bundle, "fragment") and _files(bundle, "index") <= others


def test_settle_removes_only_what_the_new_index_does_not_name(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, {"en/a/index.html": page("en", "rice"), "en/b/index.html": page("en", "wheat")})
    before = {f: _files(bundle, f) for f in ("fragment", "index")}
    stale = bundle / "fragment" / "en_0123456.pf_fragment"
    stale.write_bytes(gzip.compress(b"pagefind_dcd{}"))
    planted = frozenset({"fragment/en_0123456.pf_fragment"})
    assert settle(bundle, planted, frozenset({"/en/a/", "/en/b/"}))
    assert not stale.exists() and {f: _files(bundle, f) for f in ("fragment", "index")} == before
    # A meta file that cannot be read: nothing is removed, and the caller indexes from nothing.
    stale.write_bytes(b"x")
    meta = bundle / f"pagefind.{_meta_hash(bundle)}.pf_meta"
    data = gzip.decompress(meta.read_bytes())
    for damaged in (data[:-3], b"pagefind_dcd\xff", b"other" + data[12:]):
        meta.write_bytes(gzip.compress(damaged))
        assert not settle(bundle, planted, frozenset()) and stale.exists()
    meta.unlink()
    assert not settle(bundle, planted, frozenset()) and stale.exists()


def test_the_fragments_must_be_of_just_the_pages_given(tmp_path: Path) -> None:
    """The fragments the new meta names are each of another page, and of the pages Pagefind was
    given: a fragment taken over under a name given to another page's content would show a page
    that is not there (a removed one) and leave one out."""
    bundle = _bundle(tmp_path, {"en/a/index.html": page("en", "rice"), "en/b/index.html": page("en", "wheat")})
    planted = frozenset({f"fragment/{next((bundle / 'fragment').iterdir()).name}"})
    assert settle(bundle, planted, frozenset({"/en/a/", "/en/b/"})) and settle(bundle, planted, None)
    assert not settle(bundle, planted, frozenset({"/en/a/", "/en/c/"}))
    assert not settle(bundle, planted, frozenset({"/en/a/"}))


def test_only_files_still_as_recorded_are_planted_and_as_hard_links(tmp_path: Path) -> None:
    out = _bundle(tmp_path / "out", {"en/a/index.html": page("en", "rice"), "en/b/index.html": page("en", "wheat")})
    site = out.parent.parent
    files = sorted(str(p.relative_to(site)) for p in out.rglob("*") if p.is_file())
    recorded = stats(site, files)
    fragments = sorted(p for p in files if "/fragment/" in p)
    (site / fragments[0]).write_bytes((site / fragments[0]).read_bytes())  # rewritten since: not as recorded
    src, paths = seeds(site, recorded, ("en",))
    assert src == site and fragments[1] in paths and fragments[0] not in paths
    assert all(p.startswith(("pagefind/en/fragment/", "pagefind/en/index/", "pagefind/en/filter/")) for p in paths)
    dest = tmp_path / "dest"
    assert plant(site, dest, [*paths, "pagefind/en/fragment/gone.pf_fragment"]) == [True] * len(paths) + [False]
    assert all(os.stat(dest / p).st_ino == os.stat(site / p).st_ino for p in paths)
    assert seeds(site, recorded, ("zh",))[1] == []
    # A folder of the bundle replaced by a link to one outside (same files): nothing is taken from it.
    outside = tmp_path / "outside"
    (site / "pagefind/en/fragment").rename(outside)
    (site / "pagefind/en/fragment").symlink_to(outside)
    assert not [p for p in seeds(site, recorded, ("en",))[1] if "/fragment/" in p]
    assert [p for p in seeds(site, recorded, ("en",))[1] if "/index/" in p]


@pytest.mark.parametrize("kind", ["fragment", "index"])
def test_a_file_that_does_not_hold_what_its_name_says_is_found(tmp_path: Path, kind: str) -> None:
    """A file whose content is another's (here: one byte more) still decompresses, but does not
    hold the content its name is the hash of: what a file taken over under a name the new index
    gave to other content looks like."""
    bundle = _bundle(tmp_path, {"en/a/index.html": page("en", "rice"), "en/b/index.html": page("en", "wheat paddy")})
    assert problems([bundle]) == []
    target = sorted((bundle / kind).iterdir())[0]
    target.write_bytes(gzip.compress(gzip.decompress(target.read_bytes()) + b" "))
    found = problems([bundle])
    assert found == [f"en/{kind}/{target.name} does not hold the content its name is the hash of"]
    # Read ahead (a file taken over, read while Pagefind runs): the same finding, and settle refuses it.
    known = read_ahead([target])
    assert problems([bundle], known=known) == found
    assert not settle(bundle, frozenset({f"{kind}/{target.name}"}), None, known)


def test_a_file_read_ahead_counts_as_read_and_one_no_longer_named_is_removed(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, {"en/a/index.html": page("en", "rice"), "en/b/index.html": page("en", "wheat")})
    fragments = sorted((bundle / "fragment").iterdir())
    stale = bundle / "fragment" / "en_0123456.pf_fragment"
    stale.write_bytes(gzip.compress(b"pagefind_dcd{}"))  # damaged, but not named by the new meta: removed
    known = read_ahead([*fragments, stale])
    assert known[stale][0] == "does not hold the content its name is the hash of"
    assert sorted(page for _, page in (known[f] for f in fragments)) == ["/en/a/", "/en/b/"]
    planted = frozenset(f"fragment/{f.name}" for f in (*fragments, stale))
    assert settle(bundle, planted, frozenset({"/en/a/", "/en/b/"}), known) and not stale.exists()
    # Each page once: a fragment read ahead counts as its page's (here, the same page twice).
    twice = {**known, fragments[1]: (None, "/en/a/")}
    assert not settle(bundle, planted, frozenset({"/en/a/", "/en/b/"}), twice)
