"""Whether a build has anything to do: the digest of everything it reads, and whether the output
folder is as the last build published it.

Input: the loaded sources and the options that change the output; the output folder and the
listing the last build recorded. Output: a digest (`inputs_digest`), a yes or no (`unchanged`,
`made_as_now`).
A build that reads what the last one read, into the output as that one left it, makes nothing
(pipeline.py says its diagnostics again).
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from .model import SEARCH_BUNDLE, Sources
from .write import listing, new_modes


def unchanged(out: Path, tree: dict[str, tuple[int, int, int, int]], search: str) -> bool:
    """The output folder is as the build that recorded `tree` published it: no file added, removed
    or rewritten by hand, the search bundle included unless this build leaves it to a later index."""
    if not made_as_now(tree):
        return False
    if search == "now":
        return listing(out) == tree
    prefix = SEARCH_BUNDLE + "/"
    return listing(out, skip=SEARCH_BUNDLE) == {p: v for p, v in tree.items() if not p.startswith(prefix)}


def made_as_now(tree: dict[str, tuple[int, int, int, int]]) -> bool:
    """Every file and folder of `tree` (a `listing`) has the permissions this build would give it.
    Not after the umask changed: a file kept from that output is a hard link, which keeps its mode,
    so the site would mix modes (a site first built under umask 077 unreadable to the web server)."""
    modes = new_modes()
    if modes is None:
        return True
    file, folder = modes
    return all(stat.S_IMODE(m) == (folder if stat.S_ISDIR(m) else file) or stat.S_ISLNK(m)
               for _size, _mtime, _ino, m in tree.values())


def inputs_digest(sources: Sources, options: tuple[object, ...]) -> str:
    """Everything a build reads: the sources' texts, the templates and static files (their digest),
    the site's history, what loading them reported, and `options`, those that change the output."""
    h = hashlib.sha256(repr((*options, sources.template_dirs, sources.static, sources.assets,
                             sources.theme_digest, sources.revisions, sources.diagnostics)).encode())
    for f in sources.files:
        data = f.text.encode()
        h.update(f"\0{f.path}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()
