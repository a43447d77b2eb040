"""The build cache (.edition-cache): a warm CLI build gives what a clean build gives, writes
nothing when nothing changed, and never trusts a cache file that is truncated, edited, from
another version or left by a killed build."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from edition import cache as cache_module
from edition.cache import FOLDER, Cache
from edition.cachefile import MAGIC, Output
from edition.cachefile import pack as _pack
from edition.model import UnitRecord

from .conftest import THEME, run, tree_digest

CLOSING = "content/speeches/2020-05-03-closing.md"


def site_files(folder: Path) -> dict[str, str]:
    """A built site's files, the search bundle aside (it varies from run to run, see test_cli)."""
    return {k: v for k, v in tree_digest(folder).items() if not k.startswith("pagefind/")}


@pytest.fixture
def root(golden_copy: Path) -> Path:
    return golden_copy


def clean_build(root: Path, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    code, log = run("build", "--root", str(root), "--out", str(out), "--no-cache", "-q")
    assert code == 0, log
    return site_files(out)


def build(root: Path) -> str:
    code, log = run("build", "--root", str(root))
    assert code == 0, log
    return log


def edit(root: Path, path: str, old: str, new: str) -> None:
    p = root / path
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_warm_build_writes_nothing_when_nothing_changed(root: Path, tmp_path: Path) -> None:
    build(root)
    assert (root / FOLDER / ".gitignore").read_text().splitlines()[-1] == "*"  # the cache ignores itself
    before = tree_digest(root / "_site")
    log = build(root)
    assert "· 0 files written ·" in log
    assert tree_digest(root / "_site") == before  # the search bundle included


def test_a_warm_build_after_an_edit_equals_a_clean_build(root: Path, tmp_path: Path) -> None:
    build(root)
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    log = build(root)
    assert "render        16 files" in log  # the edited speech's unit, the aligned texts and their pages
    assert site_files(root / "_site") == clean_build(root, tmp_path)


def test_an_output_changed_by_hand_is_not_trusted(root: Path, tmp_path: Path) -> None:
    build(root)
    page = root / "_site/en/speeches/2020-05-03-closing/index.html"
    page.write_text("vandalised")
    (root / "_site/zh/speeches/2020-05-01-opening/index.html").unlink()
    build(root)
    assert site_files(root / "_site") == clean_build(root, tmp_path)


def entries(root: Path) -> list[Path]:
    found = sorted(p for p in (root / FOLDER).rglob("*") if p.is_file() and p.name != ".gitignore")
    assert len(found) >= 5  # four documents and the output's record
    return found


def damage_truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])


def damage_edit(p: Path) -> None:
    """A hand edit that keeps the file's length: one byte of the body changed."""
    data = bytearray(p.read_bytes())
    data[-10] ^= 0x01
    p.write_bytes(bytes(data))


def damage_version(p: Path) -> None:
    """Written by another version of the generator: another salt, a valid checksum."""
    data = p.read_bytes()
    head, salt, rest = data.split(b"\n", 2)
    p.write_bytes(head + b"\n" + b"0" * len(salt) + b"\n" + rest)


def damage_empty(p: Path) -> None:
    p.write_bytes(b"")


@pytest.mark.parametrize("damage", [damage_truncate, damage_edit, damage_version, damage_empty])
def test_a_damaged_cache_gives_a_correct_build(root: Path, tmp_path: Path, damage: Callable[[Path], None]) -> None:
    build(root)
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    build(root)
    for p in entries(root):
        damage(p)
    edit(root, CLOSING, "谢谢各位。", "谢谢诸位。")
    build(root)
    assert site_files(root / "_site") == clean_build(root, tmp_path)
    build(root)  # and the cache written over the damaged one is good again
    assert "· 0 files written ·" in build(root)


def test_a_cache_file_that_would_run_code_is_refused(root: Path, tmp_path: Path) -> None:
    build(root)
    cache = Cache.open(root, THEME)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    for p in entries(root):
        p.write_bytes(_pack(cache.salt, Evil()))  # a valid header and checksum around a hostile pickle
    assert pickle.loads(_pack(cache.salt, 1)[len(MAGIC) + 65 + 65:]) == 1  # the layout the test relies on
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    build(root)
    assert not marker.exists()
    assert site_files(root / "_site") == clean_build(root, tmp_path)


def test_a_killed_build_leaves_nothing_that_is_trusted(root: Path, tmp_path: Path) -> None:
    """A build killed while writing the cache leaves a temporary file; one killed between
    publishing the output and recording it leaves a record of the output before."""
    build(root)
    records = sorted((root / FOLDER / "outputs").iterdir())  # the units' record, and the build's (.done)
    assert [p.suffix for p in records] == ["", ".done"]
    old = [p.read_bytes() for p in records]
    (records[0].parent / ".tmp-1234").write_bytes(old[0][:100])
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    build(root)
    for p, data in zip(records, old, strict=True):  # as if killed before the new records were written
        p.write_bytes(data)
    build(root)
    assert site_files(root / "_site") == clean_build(root, tmp_path)
    edit(root, CLOSING, "谢谢各位。", "谢谢大家。")  # the sources the old records were made from, again
    build(root)
    assert site_files(root / "_site") == clean_build(root, tmp_path)
    records[1].write_bytes(old[1])  # killed after the units' record, before the build's
    build(root)
    assert site_files(root / "_site") == clean_build(root, tmp_path)


def test_no_cache_and_clean(root: Path, tmp_path: Path) -> None:
    code, log = run("build", "--root", str(root), "--no-cache", "-q")
    assert code == 0, log
    assert not (root / FOLDER).exists()
    build(root)
    assert (root / FOLDER).is_dir()
    code, log = run("clean", "--root", str(root))
    assert code == 0 and "removed" in log
    assert not (root / FOLDER).exists()
    assert (root / "_site").is_dir()  # the output is not the cache's to remove


def test_related_reading_is_derived_again_exactly_when_what_it_reads_changed(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import edition.link

    made: list[int] = []
    real = edition.link.suggest
    monkeypatch.setattr(edition.link, "suggest", lambda speeches: made.append(len(speeches)) or real(speeches))
    build(root)
    assert made == [3]
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")  # a text edit: nothing related reading reads
    build(root)
    assert made == [3]
    edit(root, "content/speeches/2020-05-01-opening.md", "tags: [governance]", "tags: [governance, trade]")
    build(root)
    assert made == [3, 3]
    assert site_files(root / "_site") == clean_build(root, tmp_path)
    assert len(list((root / FOLDER / "derived").glob("related-*"))) == 1  # the superseded value is not kept


def test_the_link_table_is_kept_until_a_document_changes(root: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import edition.link

    made: list[int] = []
    real = edition.link._link
    monkeypatch.setattr(edition.link, "_link", lambda ed: made.append(1) or real(ed))
    build(root)
    build(root)
    assert made == [1]  # nothing changed: the last table
    edit(root, CLOSING, "正如[[2020-05-01-opening]]所说", "正如[[2020-05-01-opening#p2]]所说")
    build(root)
    assert made == [1, 1]
    assert site_files(root / "_site") == clean_build(root, tmp_path)


def test_a_cache_written_by_another_runtime_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The generator's digest covers Python and zlib too: another zlib compresses the same text to
    other bytes, and the compressed downloads a warm build reuses must be this runtime's; and the
    libraries' versions: another mistune may parse the same text to other HTML."""
    import zlib

    from edition.cachefile import generator_digest

    here = generator_digest(THEME)
    assert generator_digest(THEME) == here
    monkeypatch.setattr(zlib, "ZLIB_RUNTIME_VERSION", "0.0.0-other")
    assert generator_digest(THEME) != here
    monkeypatch.undo()
    assert generator_digest(THEME) == here
    # nor by other versions of the libraries that parse, render and index: a mistune upgrade, say
    import edition.cachefile

    real = edition.cachefile.metadata.version
    for dist in ("mistune", "Jinja2", "pagefind_bin_extended"):
        monkeypatch.setattr(edition.cachefile.metadata, "version",
                            lambda d, dist=dist: "0.0.0" if d == dist else real(d))
        assert generator_digest(THEME) != here, dist


def test_every_entry_a_build_writes_is_read_back(root: Path) -> None:
    """Diagnostics included: a warning's severity was pickled through `getattr`, which the cache's
    unpickler refuses, so a document with a warning was parsed again by every build, and one unit
    with a diagnostic made the whole record of the output unreadable."""
    edit(root, "content/speeches/2020-05-01-opening.md", "女士们、先生们：", "女士们、先生们：\n\n多一段。")
    assert "warning[alignment]" in build(root)
    cache = Cache.open(root, THEME)
    entries = [p for p in (root / FOLDER).rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert len(entries) > 5 and [p for p in entries if cache._read(p) is None] == []


def test_a_new_site_title_or_event_name_validates_no_document_again(root: Path, tmp_path: Path) -> None:
    """A document's entry is keyed by what its validation reads (datafiles.as_read): the site's
    title, description, licence and editors and an event's name are not, its event's days are."""

    def entries() -> set[str]:
        return {p.name for p in (root / FOLDER / "docs").glob("*/*")}

    build(root)
    first = entries()
    assert len(first) >= 4
    edit(root, "content/site.yml", '"Golden Edition"', '"Gilded Edition"')
    edit(root, "content/site.yml", '"CC BY 4.0"', '"CC BY-SA 4.0"')
    edit(root, "content/events.yml", '"Forum 2020"', '"The Forum of 2020"')
    build(root)
    assert entries() == first
    assert site_files(root / "_site") == clean_build(root, tmp_path)
    edit(root, "content/events.yml", "end: 2020-05-03", "end: 2020-05-02")  # a speech of the 3rd now warns
    log = build(root)
    assert "date-outside-event" in log and entries() != first
    assert site_files(root / "_site") == clean_build(root, tmp_path)


def test_the_record_of_units_is_kept_in_buckets_and_an_unchanged_bucket_is_not_pickled_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 10,000 speeches the record of every unit's inputs took 2.6 s to pickle after each edit; a
    bucket whose records are equal (by value) to those the cache read keeps the pickle it had."""
    out = tmp_path / "_site"

    def unit(i: int, text: str = "d") -> UnitRecord:
        return UnitRecord(("speech", "en", f"s{i}"), ((("speech", f"s{i}", "body"), text),),
                          ((f"en/speeches/s{i}/index.html", "h"),))

    def written(units: tuple[UnitRecord, ...]) -> tuple[tuple[int, bytes], ...]:
        cache = Cache(tmp_path / FOLDER, "salt")
        last = cache.output(out)
        packed = cache.pack_units(units)
        cache.put_output(out, Output(units, {}, "", None, {}), packed)
        assert last is None or Cache(tmp_path / FOLDER, "salt").output(out) is not None
        return packed

    pickled: list[int] = []  # the records in each pickle made
    monkeypatch.setattr(cache_module, "dumps", lambda v: pickled.append(len(v)) or pickle.dumps(v))
    first = tuple(unit(i) for i in range(1000))
    packed = written(first)
    assert sum(pickled) == 1000
    assert len(packed) > 100
    assert Cache(tmp_path / FOLDER, "salt").output(out).units == first  # type: ignore[union-attr]
    # A copy equal by value; one record changed, one added at the front (every position moves).
    now = (unit(1000), *pickle.loads(pickle.dumps(first[:500])), unit(500, "e"), *first[501:])
    pickled.clear()
    again = written(now)
    assert 2 <= sum(pickled) <= 20  # two buckets of about four records, not all 1,001
    assert Cache(tmp_path / FOLDER, "salt").output(out).units == now  # type: ignore[union-attr]
    assert len(set(again) - set(packed)) <= 2  # the buckets of the changed and the added record
    assert Cache(tmp_path / FOLDER, "salt", disk=False).pack_units(now) == ()


def _modes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): os.lstat(p).st_mode & 0o7777 for p in folder.rglob("*")}


@pytest.mark.parametrize("edit", [False, True], ids=["nothing changed", "one speech changed"])
def test_a_build_under_another_umask_gives_every_file_the_mode_a_clean_build_would(
        site: Path, tmp_path: Path, edit: bool) -> None:
    """A kept file is a hard link to the last output's, which keeps that build's mode: after the
    umask changed, the site mixed 0600 and 0644 files (and a build with nothing to do kept 0600)."""
    out, ref = tmp_path / "out", tmp_path / "ref"
    before = os.umask(0o077)
    try:
        assert run("--root", str(site), "--out", str(out))[0] == 0
        os.umask(0o022)
        if edit:
            first = site / "content/speeches/first.md"
            first.write_text(first.read_text(encoding="utf-8").replace("Hello.", "Hello again."), encoding="utf-8")
        assert run("--root", str(site), "--out", str(out))[0] == 0
        assert run("--root", str(site), "--out", str(ref), "--no-cache")[0] == 0
    finally:
        os.umask(before)
    # (the search bundle's meta file is named by a hash of content Pagefind does not make reproducibly)
    assert {p: m for p, m in _modes(out).items() if not p.endswith(".pf_meta")} == \
        {p: m for p, m in _modes(ref).items() if not p.endswith(".pf_meta")}
    assert set(_modes(out).values()) == {0o644, 0o755}
