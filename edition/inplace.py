"""In place: a preview's publish, file by file, into the output folder it serves.

Input: `model.Rendered` of a rebuild (or the few files of a first look) and what the folder holds
(the `Rendered` it was written from). Output: the folder holding the new site, each changed file
replaced whole (a temporary file renamed over it, never seen half-written), the files the site no
longer has removed with the folders they leave empty. A build's whole publish is write.py's.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .model import OutputFile, Rendered
from .write import check_output


def update(rendered: Rendered, out: Path, root: Path, previous: Rendered) -> int:
    """A preview's publish: only the files whose bytes differ from `previous` (what `out` holds)
    are written, each into a temporary file renamed over the old one, so no file is ever
    half-written; files the new build no longer has are removed. Returns the number written."""
    check_output(out, root)
    old = {path: digest for r in previous.units for path, digest in r.files}
    new = {path: digest for r in rendered.units for path, digest in r.files}
    written = 0
    for f in rendered.files:
        target = out / f.path
        if old.get(f.path) == new.get(f.path) and target.is_file():
            continue
        _whole(target, f.data)
        written += 1
    for path in old.keys() - new.keys():
        (out / path).unlink(missing_ok=True)
        _prune(out / path, out)
    for src, dest in rendered.copies:
        if _changed(Path(src), out / dest):
            (out / dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, out / dest)
            written += 1
    return written


def replace_files(out: Path, root: Path, files: tuple[OutputFile, ...]) -> None:
    """Files of a built output replaced one by one, each whole (a preview's first look)."""
    check_output(out, root)
    for f in files:
        _whole(out / f.path, f.data)


def _whole(target: Path, data: bytes) -> None:
    """A file written into a temporary one renamed over it: never seen half-written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".edition-", dir=target.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


def _prune(removed: Path, out: Path) -> None:
    """Remove the folders a removed file leaves empty, up to the output folder (a deleted
    speech's folder must not linger as an empty page)."""
    folder = removed.parent
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or gone): the folders above are not empty either
            return
        folder = folder.parent


def _changed(src: Path, dest: Path) -> bool:
    try:
        return src.read_bytes() != dest.read_bytes()
    except FileNotFoundError:
        return True
