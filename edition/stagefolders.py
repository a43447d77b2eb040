"""The folders of a staged site, made ahead by a process of their own (part of the writer).

Input: a staged site and the folders of the output the last build published (its listing). Output:
those folders, made while the build works out which units changed (`ahead`); once the staged site
is complete, those it did not fill are removed again (`prune`), so that it is what a clean build
makes.

Why: a build stages a whole new site beside the output, and making its folders was the largest
cost of a rebuild besides Pagefind, which reads the pages they hold: about 150 µs a folder on this
machine's ext4, so at 10,000 speeches 20,000 folders and 3 s, half of it before the search index
could start. A thread would not do: waiting on the kernel, it gets Python back only every 5 ms
while the main thread computes. The process is only ahead of the writer: `put` and `link_kept`
still make any folder they find missing, so a process that fails or lags costs time, not output.
No folder is made where the new site has a file: the folders of pages are named by ids and slugs,
which hold no dot, and every file a unit writes has one; the static files, named by the editor (a
folder of assets may have become a file), are kept off by name.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .swap import die_with_parent

# Folders come on stdin, separated by NUL; each is made with its parents (mode 0o777 less the umask,
# as the writer makes them). `-I`: nothing is imported from the working folder, the staged site.
MAKE = "import os,sys\nfor p in sys.stdin.buffer.read().split(b'\\0'):\n    os.makedirs(p, exist_ok=True)\n"


@dataclass(frozen=True)
class Ahead:
    proc: subprocess.Popen[bytes]
    folders: frozenset[str]  # relative to the staged site, without a trailing slash, ancestors included


def ahead(staged: Path, tree: Iterable[str], skip: str, files: Iterable[str] = ()) -> Ahead | None:
    """Start making the folders of `tree` (a listing: a folder's path ends with "/") in `staged`,
    but `skip` and what it holds (the search bundle, which Pagefind writes), and any of the `files`
    the new site has (its static files: one may now be where a folder was) and what it would hold."""
    kept_off = (f"{skip}/", *(f"{f}/" for f in files))
    folders = sorted((p[:-1] for p in tree if p.endswith("/") and not p.startswith(kept_off)),
                     key=lambda p: p.split("/"))  # each folder just before what it holds
    if not folders:
        return None
    leaves = [f for f, after in zip(folders, [*folders[1:], ""], strict=True) if not after.startswith(f"{f}/")]
    try:
        proc = subprocess.Popen([sys.executable, "-I", "-c", MAKE], cwd=staged, stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent())
    except OSError:
        return None
    try:
        with proc.stdin:  # type: ignore[union-attr]
            proc.stdin.write("\0".join(leaves).encode())  # type: ignore[union-attr]
    except OSError:
        pass  # it died: the writer makes the folders
    return Ahead(proc, frozenset(folders))


def stop(made: Ahead | None) -> None:
    """Before a staged site is discarded: the process must not make folders in it meanwhile."""
    if made is not None:
        if made.proc.poll() is None:
            made.proc.kill()
        made.proc.wait()


def prune(staged: Path, made: Ahead | None, files: Iterable[str]) -> None:
    """Once the staged site holds all its `files` (paths relative to it): wait for the process, then
    remove the folders made ahead that none of them is in (a speech removed since the last build),
    deepest first. A folder that holds anything stays, whatever `files` says: rmdir refuses it."""
    if made is None:
        return
    made.proc.wait()
    used: set[str] = set()
    for path in files:
        folder = path.rpartition("/")[0]
        while folder and folder not in used:
            used.add(folder)
            folder = folder.rpartition("/")[0]
    for folder in sorted(made.folders - used, key=lambda f: -f.count("/")):
        with contextlib.suppress(OSError):
            os.rmdir(staged / folder)
