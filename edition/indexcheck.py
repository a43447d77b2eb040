"""Check a search bundle Pagefind wrote before it replaces a working one.

Input: the bundle folders of one build (one per language tree). Output: what is wrong, as text
(the indexer turns it into a diagnostic), or nothing. Pagefind exits 0 when its writes fail (a
full disk, a file size limit), leaving files cut short; so every file is checked:
- none is empty; `pagefind-entry.json` parses and names a meta file that exists;
- every compressed file (the index, fragments, filters, meta, WebAssembly) decompresses whole,
  which its gzip checksum and length prove, and each one named by its content's hash (all but
  the WebAssembly) holds that content: a file taken over from the last bundle (`bundlefiles`)
  under a name the new index gave to other content is found here;
- the scripts the pages load (pagefind.js, which is an ES module ending in its `export{…};`, and
  its worker) close every bracket they open and end with a statement;
- every script and stylesheet is the same in every bundle of the build (each is written by its
  own Pagefind process; Pagefind writes the same files whatever the site).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from pathlib import Path

COMPRESSED = (".pagefind", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
NAMED_BY_HASH = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")  # `<language>_<hash>.…`
MAGIC = b"pagefind_dcd"  # what Pagefind writes before the content of each compressed file
TEXT = (".js", ".css")
LOADED = ("pagefind.js", "pagefind-worker.js")  # what the theme's search page loads


def problems(bundles: list[Path], checked: tuple[Path, ...] = (), urls: list[str] | None = None,
             known: dict[Path, tuple[str | None, str | None]] | None = None) -> list[str]:
    """What is wrong with `bundles`; of those `checked` when they were written (a bundle a build
    kept, as that build published it), only the scripts are read, to compare them with the others'.
    `urls` gets the URL of each fragment read; `known`: files read already (`read_ahead`)."""
    found: list[str] = []
    texts: dict[str, dict[bytes, Path]] = {}  # file name -> distinct contents across bundles
    for bundle in bundles:
        found += _entry(bundle)
        # Of a bundle checked already only its scripts, which Pagefind writes at its top level.
        for p in files(bundle, recurse=bundle not in checked):
            if bundle in checked and not p.name.endswith(TEXT):
                continue
            read = (known or {}).get(p)
            data = b"" if read else p.read_bytes()
            if read is None and not data:
                read = ("is empty", None)
            elif read is None and p.name.endswith(COMPRESSED):
                read = _compressed(p.name, data)
            if read is not None:
                problem, page = read
                if problem:
                    found.append(f"{_rel(p, bundle)} {problem}")
                elif urls is not None and page is not None:
                    urls.append(page)
            elif p.name.endswith(TEXT):
                texts.setdefault(p.name, {})[data] = p
                if p.name in LOADED and not _whole_script(data, p.name == "pagefind.js"):
                    found.append(f"{_rel(p, bundle)} is cut short ({len(data):,} bytes)")
    for name, versions in sorted(texts.items()):
        if len(versions) > 1:
            where = ", ".join(sorted(p.parent.name for p in versions.values()))
            found.append(f"{name} differs between the bundles ({where})")
    return found


def files(folder: Path, recurse: bool = True) -> list[Path]:
    """The files in `folder` (and in its subfolders, if `recurse`), in order: `os.scandir`, which
    tells a file without a stat (at 10,000 speeches a tree's bundle holds 10,000 fragments, which
    `rglob` listed in 0.5 s after Pagefind ended, on the build's critical path)."""
    found: list[str] = []
    pending = [str(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if recurse:
                    pending.append(entry.path)
            elif entry.is_file():
                found.append(entry.path)
    return [Path(p) for p in sorted(found, key=lambda p: p.split("/"))]  # as Paths sort


def read_ahead(paths: list[Path]) -> dict[Path, tuple[str | None, str | None]]:
    """For `problems(known=…)`: what is wrong with each of the compressed files `paths` (None:
    nothing), and the URL of each fragment. Files taken over from the last bundle are read so while
    Pagefind runs, which never writes over a file of the same name."""
    known: dict[Path, tuple[str | None, str | None]] = {}
    for p in paths:
        try:
            data = p.read_bytes()
        except OSError as e:
            known[p] = (f"cannot be read ({e.strerror})", None)
            continue
        known[p] = _compressed(p.name, data) if data else ("is empty", None)
    return known


def _compressed(name: str, data: bytes) -> tuple[str | None, str | None]:
    """What is wrong with a compressed file of the bundle (None: nothing), and its page's URL if it
    is a fragment."""
    try:
        content = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as e:
        return f"is cut short or damaged ({e})", None
    if name.endswith(NAMED_BY_HASH) and not _holds_its_name(name, content):
        return "does not hold the content its name is the hash of", None
    if name.endswith(".pf_fragment"):
        try:
            return None, str(json.loads(content[len(MAGIC):])["url"])
        except (ValueError, KeyError, TypeError):
            return "has no page address", None
    return None, None


def _whole_script(data: bytes, module: bool) -> bool:
    end = data.rstrip()
    return (all(data.count(a) == data.count(b) for a, b in ((b"{", b"}"), (b"(", b")"), (b"[", b"]")))
            and end.endswith((b";", b"}", b")")) and (not module or b"export{" in end[-500:].replace(b" ", b"")))


def _holds_its_name(name: str, content: bytes) -> bool:
    """Pagefind names a file by the start (seven digits or more) of the SHA-1 of what follows
    `pagefind_dcd` in it, each byte written in hexadecimal without its leading zero."""
    digits = name.rsplit(".", 1)[0].rpartition("_")[2]
    if len(digits) < 7 or not content.startswith(MAGIC):
        return False
    return "".join(f"{b:x}" for b in hashlib.sha1(content[len(MAGIC):], usedforsecurity=False).digest()
                   ).startswith(digits)


def _rel(p: Path, bundle: Path) -> str:
    return f"{bundle.name}/{p.relative_to(bundle).as_posix()}"


def _entry(bundle: Path) -> list[str]:
    entry = bundle / "pagefind-entry.json"
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        languages = data["languages"]
        hashes = [info["hash"] for info in languages.values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        return [f"{bundle.name}/pagefind-entry.json cannot be read ({type(e).__name__}: {e})"]
    return [f"{bundle.name}/pagefind.{h}.pf_meta, named by pagefind-entry.json, is missing"
            for h in hashes if not (bundle / f"pagefind.{h}.pf_meta").is_file()]

