import os
from pathlib import Path

import pytest

from edition.model import OutputFile, Rendered
from edition.write import MARKER, OutputRefused, check_output, settle, write


def site(*files: tuple[str, bytes]) -> Rendered:
    return Rendered(tuple(OutputFile(p, d) for p, d in files), ())


def test_write_then_replace_whole_tree(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    assert write(site(("a/index.html", b"1"), ("b.txt", b"2")), out, tmp_path) == 2
    assert (out / MARKER).is_file() and (out / "a/index.html").read_bytes() == b"1"
    write(site(("c.txt", b"3")), out, tmp_path)
    settle()
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "c.txt"])
    assert [p.name for p in tmp_path.iterdir()] == ["_site"], "no temporary folder is left behind"
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_a_failure_while_writing_keeps_the_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "_site"
    write(site(("old.txt", b"old")), out, tmp_path)

    class Boom(KeyboardInterrupt):
        pass

    real = os.open

    def interrupted(path: str, *args: int) -> int:  # the writer opens each file it makes (write.put)
        if str(path).endswith("/two.txt"):
            raise Boom
        return real(path, *args)

    monkeypatch.setattr(os, "open", interrupted)
    with pytest.raises(Boom):
        write(site(("one.txt", b"1"), ("two.txt", b"2")), out, tmp_path)
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "old.txt"])
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]


@pytest.mark.parametrize("target", [".", "content", "content/speeches", "theme", ".git/x"])
def test_refuses_the_sources(tmp_path: Path, target: str) -> None:
    (tmp_path / "content").mkdir()
    with pytest.raises(OutputRefused):
        check_output(tmp_path / target, tmp_path)


def test_refuses_a_folder_with_other_files_and_leaves_them(tmp_path: Path) -> None:
    other = tmp_path / "docs"
    other.mkdir()
    (other / "mine.txt").write_text("keep me")
    with pytest.raises(OutputRefused, match="already holds files that edition did not write"):
        write(site(("a.txt", b"1")), other, tmp_path)
    assert os.listdir(other) == ["mine.txt"]


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    write(site(("a.txt", b"1")), tmp_path / "out", tmp_path)
    assert (tmp_path / "out" / "a.txt").read_bytes() == b"1"


@pytest.mark.parametrize("handed", [False, True])  # waited for (a preview), or left to a process of its own (the CLI)
@pytest.mark.parametrize("names", [4, 400])  # a level down one rm per folder, or (past the pipe's size) one rm
def test_an_old_tree_is_removed_whole_and_nothing_its_links_point_to(tmp_path: Path, names: int,
                                                                       handed: bool) -> None:
    import re
    import time

    from edition import swap

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep\n")
    old = tmp_path / "._site.old-1-x"
    for top in ("en", "zh", "-n"):  # a name rm would read as an option
        for i in range(names):
            (old / top / f"f{i:0{120}d}").mkdir(parents=True)  # long names: 400 of them overflow the pipe
            (old / top / f"f{i:0{120}d}" / "index.html").write_text("x")
    (old / "robots.txt").write_text("x")
    (old / "en" / "link").symlink_to(outside)  # a link to a folder: the link goes, not what it points to
    (old / "linked").symlink_to(outside / "keep.txt")
    (old / MARKER).write_text("")
    swap.remove_later(old)
    if handed:
        swap.hand_over()
        # Under a name that says whose it is, so that a build starting meanwhile leaves it alone.
        assert not old.exists()
        assert swap.sweep(tmp_path / "_site") == []
        deadline = time.monotonic() + 60
        while (left := [p.name for p in tmp_path.iterdir() if p.name.startswith("._site.")]) \
                and time.monotonic() < deadline:
            assert all(re.fullmatch(r"\._site\.new-\d+-x", name) for name in left), left
            time.sleep(0.02)
        assert left == []
    else:
        swap.settle()
    assert not old.exists() and (outside / "keep.txt").read_text() == "keep\n"
