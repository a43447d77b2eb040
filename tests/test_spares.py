"""Spares: the replaced output's folders, kept in the cache's folder for the next build's staged tree."""

from __future__ import annotations

import os
from pathlib import Path

from edition.cache import FOLDER
from edition.write import MARKER

from .conftest import base_files, run, speech, tree_digest, write_site


def _spares(root: Path) -> list[Path]:
    folder = root / FOLDER / "spares"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _build(root: Path, *args: str) -> None:
    code, printed = run("--root", str(root), *args)
    assert code == 0, printed


def _site(folder: Path) -> dict[str, str]:
    """The files of a built site, the search bundle aside (Pagefind's is not byte-reproducible)."""
    return {p: d for p, d in tree_digest(folder).items() if not p.startswith("pagefind/")}


def _clean(root: Path, tmp_path: Path) -> dict[str, str]:
    """What a clean build of the same sources writes."""
    other = tmp_path / "clean"
    _build(root, "--no-cache", "--out", str(other))
    return _site(other)


def _folders(tree: Path) -> set[str]:
    return {p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_dir()}


def test_the_replaced_outputs_folders_are_the_next_builds(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {**base_files(), "content/speeches/second.md": speech("Second")})
    _build(root)
    assert _spares(root) == []  # nothing was replaced
    write_site(root, {"content/speeches/first.md": speech("First, edited")})
    _build(root)
    spare, = _spares(root)
    # Folders only (and the writer's marker): no file of it can be a link to one of the output.
    assert [p.name for p in spare.rglob("*") if not p.is_dir()] == [MARKER]
    assert _folders(spare) == _folders(root / "_site")
    folder = os.stat(spare / "en" / "speeches" / "first").st_ino
    write_site(root, {"content/speeches/first.md": speech("First, edited again")})
    _build(root)
    assert os.stat(root / "_site" / "en" / "speeches" / "first").st_ino == folder  # taken, not made anew
    assert len(_spares(root)) == 1
    assert _site(root / "_site") == _clean(root, tmp_path)
    # A speech deleted: the spare still has its folders; the output does not.
    (root / "content" / "speeches" / "second.md").unlink()
    _build(root)
    assert not (root / "_site" / "en" / "speeches" / "second").exists()
    assert _site(root / "_site") == _clean(root, tmp_path)
    assert _folders(root / "_site") == _folders(tmp_path / "clean")


def test_nothing_found_in_a_spare_is_published(tmp_path: Path) -> None:
    """A spare is trusted for its folders only: a file put there (by hand, by a cache restored from
    elsewhere) is removed, a folder where the site has a file is replaced by the file."""
    root = write_site(tmp_path / "site", base_files())
    _build(root)
    write_site(root, {"content/speeches/first.md": speech("Changed")})
    _build(root)
    spare, = _spares(root)
    for planted in ("en/planted.html", "en/speeches/first/planted.txt", "pagefind/en/planted.js", "new/a.txt"):
        (spare / planted).parent.mkdir(parents=True, exist_ok=True)
        (spare / planted).write_text("planted\n")
    (spare / "en" / "index.html" / "deep").mkdir(parents=True)
    write_site(root, {"content/speeches/first.md": speech("Changed again")})
    _build(root)
    assert [p for p in tree_digest(root / "_site") if "planted" in p] == []
    assert _site(root / "_site") == _clean(root, tmp_path)
    assert _folders(root / "_site") == _folders(tmp_path / "clean")


def test_a_link_found_in_a_spare_is_never_written_through(tmp_path: Path) -> None:
    """A hard link planted in a spare where the next build writes a file, kept or made (a page of
    the edited speech, a page taken from the output, a static file): the file it shares stays as it was."""
    root = write_site(tmp_path / "site", base_files())
    _build(root)
    write_site(root, {"content/speeches/first.md": speech("Changed")})
    _build(root)
    spare, = _spares(root)
    out = root / "_site"
    witnesses = {}
    for path in ("en/speeches/first/index.html", "en/people/index.html", "theme/edition.css"):
        assert (out / path).is_file() and (spare / path).parent.is_dir()
        witnesses[path] = (tmp_path / path.replace("/", "_"), (out / path).read_bytes())
        os.link(out / path, witnesses[path][0])  # the file's bytes, wherever its other names go
        os.link(out / path, spare / path)
    write_site(root, {"content/speeches/first.md": speech("Changed again")})
    _build(root)
    for witness, before in witnesses.values():
        assert witness.read_bytes() == before
    assert _site(root / "_site") == _clean(root, tmp_path)


def test_a_spares_folder_that_is_a_link_is_never_used(tmp_path: Path) -> None:
    """A link in the spares' place could lead the builds' renames and removals anywhere."""
    victim = tmp_path / "victim"
    (victim / "123-abc").mkdir(parents=True)
    (victim / "123-abc" / MARKER).write_text("not edition's\n")
    (victim / "123-abc" / "precious.txt").write_text("keep\n")
    root = write_site(tmp_path / "site", base_files())
    _build(root)
    (root / FOLDER / "spares").symlink_to(victim)
    for title in ("One", "Two"):
        write_site(root, {"content/speeches/first.md": speech(title)})
        _build(root)
    assert sorted(p.name for p in victim.iterdir()) == ["123-abc"]
    assert (victim / "123-abc" / "precious.txt").read_text() == "keep\n"
    assert _site(root / "_site") == _clean(root, tmp_path)


def test_without_the_cache_no_spare_is_kept_or_used(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", base_files())
    for title in ("One", "Two", "Three"):
        write_site(root, {"content/speeches/first.md": speech(title)})
        _build(root, "--no-cache")
    assert not (root / FOLDER).exists()
    assert sorted(p.name for p in root.iterdir()) == ["_site", "content"]
