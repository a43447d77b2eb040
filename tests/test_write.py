import os
import subprocess
import time
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
    import time

    from edition import removal

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
    removal.remove_later(old)
    if handed:
        removal.hand_over(tmp_path / "_site")
        # Under a name of its own kind, removed by a process that holds its lock (see the test below).
        assert not old.exists()
        deadline = time.monotonic() + 60
        while (left := [p.name for p in tmp_path.iterdir() if p.name.startswith("._site.")]) \
                and time.monotonic() < deadline:
            assert left == ["._site.gone-x"], left
            time.sleep(0.02)
        assert left == []
    else:
        removal.settle()
    assert not old.exists() and (outside / "keep.txt").read_text() == "keep\n"


def test_a_folder_handed_to_a_remover_is_swept_only_once_its_remover_is_gone(tmp_path: Path) -> None:
    """The remover of a `.<out>.gone-…` folder holds its lock; a build's sweep leaves the folder
    while it does (whatever the pids: a remover in a container that ended is gone too)."""
    import fcntl

    from edition import swap

    gone = tmp_path / "._site.gone-abc"
    (gone / "en").mkdir(parents=True)
    (gone / "en" / "index.html").write_text("x")
    (gone / MARKER).write_text("")
    fd = os.open(gone, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    assert swap.sweep(tmp_path / "_site") == [] and (gone / "en" / "index.html").is_file()
    os.close(fd)  # its remover ended
    assert swap.sweep(tmp_path / "_site") == [gone] and not gone.exists()


def test_a_link_put_in_place_of_an_old_tree_leads_the_removal_nowhere(tmp_path: Path) -> None:
    """The removal opens the folder once, without following a link, and removes through that
    handle: a link put in its place (before, or while rm runs) leaves what it points to alone."""
    import time

    from edition import removal

    from .test_faults import _strays

    victim = tmp_path / "victim"
    (victim / "en").mkdir(parents=True)
    (victim / "keep.txt").write_text("keep\n")
    (victim / MARKER).write_text("")  # even one that looks like the writer's
    before = sorted(str(p.relative_to(victim)) for p in victim.rglob("*"))
    tree, aside = tmp_path / "._site.old-1-x", tmp_path / "aside"
    (tree / "en").mkdir(parents=True)
    (tree / "keep.txt").write_text("x")
    (tree / MARKER).write_text("")
    # A link in its place before the removal starts: nothing is removed.
    tree.rename(aside)
    tree.symlink_to(victim)
    removal.remove(tree)
    assert sorted(str(p.relative_to(victim)) for p in victim.rglob("*")) == before
    # Opened, then swapped for a link, then handed over to a process of its own.
    tree.unlink()
    aside.rename(tree)
    removal.remove_later(tree)
    tree.rename(aside)
    tree.symlink_to(victim)
    removal.hand_over(tmp_path / "_site")
    started, deadline = time.monotonic() + 1, time.monotonic() + 30  # it may take a moment to appear
    while (time.monotonic() < started or _strays(REMOVER)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _strays(REMOVER) == []
    assert sorted(str(p.relative_to(victim)) for p in victim.rglob("*")) == before



def test_a_removal_that_cannot_finish_keeps_the_marker_for_the_next_sweep(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that cannot be removed (immutable, a read-only folder) keeps the folder marked, so a
    later sweep removes it once it can; and a folder left empty (a removal cut short after its
    marker) counts as the writer's."""

    from edition import removal, swap

    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that is no longer alive
    tree = tmp_path / f"._site.new-{gone.pid}-x"  # (an "old" one would be put back as the missing output)
    (tree / "en").mkdir(parents=True)
    (tree / "stuck.txt").write_text("x")
    (tree / MARKER).write_text("")
    real = os.unlink

    def unlink(path: str, *args: object, **kwargs: object) -> None:
        if path == "stuck.txt":
            raise PermissionError(1, "Operation not permitted", path)
        real(path, *args, **kwargs)  # type: ignore[arg-type]
    with monkeypatch.context() as m:
        m.setattr(removal.shutil, "which", lambda name: None)  # no rm(1): the removal is Python's
        m.setattr(removal.os, "unlink", unlink)
        removal.remove(tree)
    assert sorted(p.name for p in tree.iterdir()) == [MARKER, "stuck.txt"]
    assert swap.sweep(tmp_path / "_site") == [tree] and not tree.exists()
    empty = tmp_path / f"._site.new-{gone.pid}-y"
    empty.mkdir()
    assert swap.sweep(tmp_path / "_site") == [empty] and not empty.exists()


REMOVER = "edition.removal import remove"  # in the command line of a process a removal is handed to


def test_a_listing_is_the_listing_but_one_folder_joined_with_that_folders(tmp_path: Path) -> None:
    from edition.write import listing
    for rel in ("index.html", "en/speeches/a/index.html", "pagefind/en/fragment/en_1.pf_fragment",
                "pagefind/pagefind.js", "pagefinder/x.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    (tmp_path / "pagefind/empty").mkdir()
    whole = listing(tmp_path)
    assert listing(tmp_path, skip="pagefind") | listing(tmp_path, within="pagefind") == whole
    assert set(listing(tmp_path, within="pagefind")) == {"pagefind/", "pagefind/en/", "pagefind/en/fragment/",
                                                        "pagefind/en/fragment/en_1.pf_fragment",
                                                        "pagefind/pagefind.js", "pagefind/empty/"}
    assert listing(tmp_path, within="absent") == {}
    assert listing(tmp_path, within="index.html") == {"index.html": whole["index.html"]}


def test_the_staged_tree_of_a_killed_build_not_yet_reaped_is_swept(tmp_path: Path) -> None:
    """A build killed where no process reaps it (a container whose first process reaps no child)
    stays a zombie, which `kill(pid, 0)` finds: its staged tree is swept as a dead build's."""
    from edition import swap

    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        stat_file = Path(f"/proc/{pid}/stat")
        deadline = time.monotonic() + 10
        while stat_file.read_bytes().rpartition(b")")[2].split()[0] != b"Z":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        staged = tmp_path / f"._site.new-{pid}-abc"
        (staged / "en").mkdir(parents=True)
        (staged / MARKER).write_text("")
        assert swap.sweep(tmp_path / "_site") == [staged]
        assert not staged.exists()
    finally:
        os.waitpid(pid, 0)
