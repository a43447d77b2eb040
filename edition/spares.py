"""Spares: the folders of a replaced output tree, kept for the next build's staged tree.

Input: the tree a swap replaced (swap.publish_tree) and the folder that keeps spares (in the build
cache's folder, so on the site's file system, ignored by git and removed by `clean`). Output: a
spare there — the tree's folders, none of its files — and, for the next build, a staged tree made
from it (`claim_spare`).

Why: a build whose staged tree is new creates every folder of the site (at 1,000 speeches about
3,100, at 10,000 about 23,000), and on ext4 without a journal (this project's machine, checked with
`perf`) each creation soon after the last build removed as many pays ext4's scan of its recently
deleted inodes (`recently_deleted`): 1.9 s of mkdir in a one-speech rebuild of 1,000 speeches
(py-spy). Files are never kept, so no file of a staged tree is ever a link to one of the output,
and nothing can be written through one; `write.tidy` removes what a reused tree holds that the
build did not put there.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import subprocess
import tempfile
import threading
from pathlib import Path

from .swap import MARKER, MARKER_TEXT, REMOVER, remove, remove_later, temp_dir


def recycle_later(tree: Path | None, spares: Path | None) -> None:
    """Remove a replaced tree's files in the background, then move its folders into `spares`;
    without `spares` (or when that fails) the tree is removed whole, as `remove_later` does. The
    command waits for it as for a removal (swap.settle)."""
    if tree is None:
        return
    if spares is None:
        remove_later(tree)
        return
    find = shutil.which("find")
    proc = None
    if find is not None:  # below the top level (no pattern is needed to keep the marker: a path may hold `*`)
        with contextlib.suppress(OSError):
            proc = subprocess.Popen([find, str(tree), "-mindepth", "2", "!", "-type", "d", "-delete"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    threading.Thread(target=_recycle, args=(tree, spares, proc), name=REMOVER, daemon=True).start()


def _recycle(tree: Path, spares: Path, find: subprocess.Popen[bytes] | None) -> None:
    try:
        if find is None or find.wait() != 0:
            for folder, _dirs, names in os.walk(tree):  # what find could not remove, or all without it
                for name in names:
                    os.unlink(os.path.join(folder, name))
        else:
            with os.scandir(tree) as top:
                for entry in top:
                    if not entry.is_dir(follow_symlinks=False):
                        os.unlink(entry.path)
        _modes(tree)
        (tree / MARKER).write_text(MARKER_TEXT)
        if not spares.parent.is_dir() or spares.parent.is_symlink():
            raise FileNotFoundError(spares.parent)  # the cache was removed meanwhile (`clean`)
        if not spares.is_dir():
            spares.mkdir()
        if spares.is_symlink():
            raise FileNotFoundError(spares)  # a link put there leads elsewhere: nothing goes there
        dest = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=spares))
        os.rename(tree, dest)  # onto the empty folder just made: the name is this tree's alone
    except OSError:
        remove(tree)
        return
    for other in spares.iterdir():  # one spare is enough
        if other != dest and _ours(other):
            _drop(other, spares)


def _ours(p: Path) -> bool:
    """A spare made by `_recycle`: its name, a folder (not a link) holding the writer's marker."""
    return re.fullmatch(r"\d+-[^/]+", p.name) is not None and p.is_dir() and not p.is_symlink() \
        and (p / MARKER).is_file() and not (p / MARKER).is_symlink()


def _modes(tree: Path) -> None:
    """Every folder given the permissions of one made now (as a clean build makes them): a folder
    of the output given others by hand keeps them no further than this."""
    probe = Path(tempfile.mkdtemp(prefix=".probe-", dir=tree))
    os.rmdir(probe)
    os.mkdir(probe)  # as os.makedirs makes a folder (mkdtemp's are private)
    mode = stat.S_IMODE(os.stat(probe).st_mode)
    os.rmdir(probe)
    find = shutil.which("find")
    if find is not None and subprocess.run([find, str(tree), "-mindepth", "1", "-type", "d", "!", "-perm",
                                            f"{mode:o}", "-exec", "chmod", f"{mode:o}", "{}", "+"],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
        return
    for folder, dirs, _names in os.walk(tree):
        for name in dirs:
            path = os.path.join(folder, name)
            if stat.S_IMODE(os.lstat(path).st_mode) != mode:
                os.chmod(path, mode)


def _drop(spare: Path, spares: Path) -> None:
    """Remove a spare, renamed first to a name of this process's: if a build took it first, it is theirs."""
    try:
        gone = Path(tempfile.mkdtemp(prefix=f".drop-{os.getpid()}-", dir=spares))
        os.rename(spare, gone)
    except OSError:
        return
    remove(gone)


def claim_spare(out: Path, spares: Path | None) -> Path | None:
    """A staged tree for `out` made of a spare: renamed to a new temporary sibling of `out`
    (a rename: two builds never take the same one), with a marker of its own. None if there is none."""
    if spares is None or not spares.is_dir() or spares.is_symlink() or spares.parent.is_symlink():
        return None
    try:
        found = sorted((p for p in spares.iterdir() if _ours(p)), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    except OSError:
        return None
    for spare in found:
        target = temp_dir(out, "new")
        try:
            os.remove(target / MARKER)
            os.rename(spare, target)  # onto the empty folder temp_dir made
        except OSError:
            remove(target)
            continue
        with contextlib.suppress(OSError):
            os.unlink(target / MARKER)  # the spare's: written afresh, never shared
        (target / MARKER).write_text(MARKER_TEXT)
        os.chmod(target, 0o755)  # as temp_dir makes it: a served site must be readable
        return target
    return None


def tidy(staged: Path, tree: dict[str, tuple[int, int, int, int]], keep: set[str], fresh: tuple[str, ...]
         ) -> dict[str, tuple[int, int, int, int]]:
    """The listing `tree` of a staged tree (write.listing) once what the build did not put there is
    removed: files but those it keeps, below `fresh` (the search bundle) and the marker, and every
    folder that then holds no file — the folder of a speech deleted since the spare was the output."""
    stray = [p for p in tree if not p.endswith("/") and p not in keep and p != MARKER and not p.startswith(fresh)]
    for p in stray:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staged / p)
    needed = set()
    for p in tree:
        if p.startswith(fresh) or (not p.endswith("/") and p not in stray):
            end = p.rfind("/", 0, len(p) - 1)
            while end > 0 and (folder := p[:end + 1]) not in needed:
                needed.add(folder)
                end = p.rfind("/", 0, end)
    empty = sorted((p for p in tree if p.endswith("/") and p not in needed), key=len, reverse=True)
    for p in empty:
        with contextlib.suppress(FileNotFoundError):
            os.rmdir(staged / p)
    gone = {*stray, *empty}
    return {p: v for p, v in tree.items() if p not in gone}
