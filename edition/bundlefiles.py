"""The content-named files of a search bundle, taken over from the last bundle of a tree that is
indexed again.

Input: the last bundle's files with their recorded stat (a build's output listing, or the
preview's snapshot) and the folder Pagefind is about to write. Output: hard links of those files in
that folder before Pagefind starts (`plant`), and, once it is done, the folder without the files
its new index no longer names, with whether it is sound (`settle`).

Why: Pagefind names each fragment, index chunk and filter file by the hash of its content, and
does not write (nor compress) a file whose name already exists. After one edit nearly every
fragment is the one the last build wrote: taken over, Pagefind writes one instead of a whole tree
(one tree of 1,000 speeches: 1.5 s instead of 2.4 s).

A name is only the first seven hexadecimal digits of that hash, so a file taken over could bear
the name the new index gives to other content, which Pagefind would then not write. `settle` makes
sure none does, else the tree is indexed again from nothing:
- every file holds the content its name is the hash of (`indexcheck`: a file damaged or edited);
- the fragments the new meta files name are each of another page, and of just the pages Pagefind
  was given: a file taken over under a name given to other content (another page's old fragment,
  or a removed page's) shows its page twice, or a page that is not there, and leaves one out.
What no check can see is a changed page's new fragment named like its own old one (a chance of
one in 2^28 for each page changed); Pagefind itself trusts a name as far as that.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from pathlib import Path

from . import indexcheck
from .cache import stats
from .indexcheck import MAGIC
from .model import SEARCH_BUNDLE

HASHED = ("fragment", "index", "filter")  # Pagefind's folders of content-named files


def seeds(out: Path, recorded: dict[str, tuple[int, int, int, int]], keys: tuple[str, ...]
          ) -> tuple[Path, list[str]]:
    """`out` and the content-named bundle files of the trees `keys` in it that are still as
    `recorded` (the stat the last build or index left, `cache.stats`): the same regular file,
    neither replaced nor edited since."""
    # (`stats` takes nothing from a folder a link has replaced: the new site would hold files from outside it.)
    prefixes = tuple(f"{SEARCH_BUNDLE}/{key}/{folder}/" for key in keys for folder in HASHED)
    wanted = {p: st for p, st in recorded.items() if p.startswith(prefixes)}
    now = stats(out, list(wanted))
    return out, sorted(p for p, st in wanted.items() if now.get(p) == st)


def plant(src: Path, dest: Path, paths: list[str]) -> list[bool]:
    """Hard links of `src/<path>` at `dest/<path>`; a file that cannot be linked (gone, or another
    file system) is left to Pagefind to write. Says of each path whether it was linked."""
    linked: list[bool] = []
    made: set[str] = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        if folder not in made:
            os.makedirs(dest / folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(src / path, dest / path, follow_symlinks=False)
        except OSError:
            linked.append(False)
            continue
        linked.append(True)
    return linked


def settle(bundle: Path, planted: frozenset[str], expected: frozenset[str] | None,
           known: dict[Path, tuple[str | None, str | None]] | None = None) -> bool:
    """After Pagefind indexed a tree over `planted` files of the last bundle (paths in the bundle,
    like `fragment/en_04bf617.pf_fragment`): remove those its meta files no longer name, and say
    whether the bundle is sound (see the module's docstring). `expected`: the URLs (like
    `/en/speeches/x/`) of the pages it was given to index (None: not known, a whole tree).
    `known`: the planted files as `indexcheck.read_ahead` found them while Pagefind ran, so that
    only what Pagefind wrote is read now."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        pages: list[str] = []
        named: set[str] = set()
        for info in entry["languages"].values():
            some, others = _named(gzip.decompress((bundle / f"pagefind.{info['hash']}.pf_meta").read_bytes()))
            pages += some
            named |= others | set(some)
    except (OSError, EOFError, zlib.error, ValueError, IndexError, KeyError, TypeError, AttributeError,
            RecursionError):
        return False
    for folder in HASHED:
        try:
            entries = list(os.scandir(bundle / folder))
        except FileNotFoundError:
            continue
        for found in entries:
            if found.name.partition(".")[0] not in named:
                os.unlink(found.path)
    urls: list[str] = []
    if indexcheck.problems([bundle], urls=urls, known=known):
        return False
    # Each page once: a fragment taken over under a name the index gave to another page's content
    # shows that page twice, or a page that is not there, and leaves one out.
    return len(urls) == len(set(urls)) == len(pages) and (expected is None or set(urls) == expected)


def _named(data: bytes) -> tuple[list[str], set[str]]:
    """The file hashes a meta file names: its pages' fragments (in page order), and its index
    chunks and filters (Pagefind 1.x: [version, [[fragment, words]…], [[from, to, chunk]…],
    [[filter, file]…], …])."""
    if not data.startswith(MAGIC):
        raise ValueError("not a Pagefind meta file")
    meta, end = _item(data, len(MAGIC))
    if end != len(data) or not isinstance(meta, list) or len(meta) < 4:
        raise ValueError("not a Pagefind 1.x meta file")
    _version, pages, chunks, filters = meta[:4]
    names = [page[0] for page in pages]
    others = [chunk[2] for chunk in chunks] + [f[1] for f in filters]
    if not all(isinstance(n, str) and "_" in n for n in (*names, *others)):
        raise ValueError("a file name that is not Pagefind's")
    return names, set(others)


def _item(data: bytes, i: int) -> tuple[object, int]:
    """One CBOR item of `data` at `i` and where the next starts: the definite-length kinds that
    minicbor writes for Pagefind (integers, byte and text strings, arrays, maps)."""
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        if i + size > len(data):
            raise ValueError("cut short")
        n, i = int.from_bytes(data[i:i + size], "big"), i + size
    else:
        raise ValueError(f"a CBOR item Pagefind does not write ({head:#04x})")
    if major in (0, 1):
        return (n if major == 0 else -1 - n), i
    if major in (2, 3):
        if i + n > len(data):
            raise ValueError("cut short")
        raw = data[i:i + n]
        return (raw.decode("utf-8") if major == 3 else raw), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _item(data, i)
            items.append(item)
        return items, i
    if major == 5:
        pairs = {}
        for _ in range(n):
            key, i = _item(data, i)
            pairs[str(key)], i = _item(data, i)
        return pairs, i
    raise ValueError(f"a CBOR item Pagefind does not write ({head:#04x})")
