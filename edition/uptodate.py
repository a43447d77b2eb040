"""Whether a build has anything to do: the digest of everything it reads, and whether the output
folder is as the last build published it.

Input: the loaded sources and the options that change the output; the output folder and the
listing the last build recorded. Output: a digest (`inputs_digest`), a yes or no (`unchanged`).
A build that reads what the last one read, into the output as that one left it, makes nothing
(pipeline.py says its diagnostics again).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .model import SEARCH_BUNDLE, Sources
from .write import listing


def unchanged(out: Path, tree: dict[str, tuple[int, int, int, int]], search: str) -> bool:
    """The output folder is as the build that recorded `tree` published it: no file added, removed
    or rewritten by hand, the search bundle included unless this build leaves it to a later index."""
    if search == "now":
        return listing(out) == tree
    prefix = SEARCH_BUNDLE + "/"
    return listing(out, skip=SEARCH_BUNDLE) == {p: v for p, v in tree.items() if not p.startswith(prefix)}


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
