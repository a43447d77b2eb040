"""The build cache's entries and their file format (cache.py keeps them in `.edition-cache/`).

Input: a value and the generator's digest (its "salt"). Output: bytes that carry a header, the
salt and a checksum before the pickled value; read back only when all three hold, by an unpickler
that knows only the model's classes (a hand-made file cannot run code). The generator's digest
covers its code, the theme and the runtime: a cache written by anything else is never read.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import pickle
import sys
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from . import model
from .diagnostics import Diagnostic

LIBRARIES = ("Jinja2", "MarkupSafe", "mistune", "PyYAML", "pagefind", "pagefind_bin_extended")
MAGIC = b"edition-cache 1\n"
_ALLOWED = {("datetime", "date"), ("builtins", "frozenset"), ("builtins", "set"),
            ("edition.diagnostics", "Diagnostic"), ("edition.diagnostics", "Severity"), ("edition.cachefile", "Output"),
            ("edition.cachefile", "Finished"),
            *((c.__module__, c.__qualname__) for c in map(model.__dict__.get, model.__all__) if isinstance(c, type))}


def generator_digest(theme: Path) -> str:
    """The code of this generator, the theme's files and the runtime (Python, zlib: another zlib
    compresses the same text to other bytes; the libraries that parse, render and index): a cache
    written by anything else is not read."""
    h = hashlib.sha256(f"{sys.version}\0{zlib.ZLIB_RUNTIME_VERSION}\0".encode())
    for dist in LIBRARIES:
        try:
            h.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}?\0".encode())
    package = Path(__file__).resolve().parent  # the edition package
    for folder in (package, theme):
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix not in (".pyc",) and "__pycache__" not in p.parts:
                try:
                    h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
                except OSError:  # vanished while listed: the digest differs, the cache is not read
                    h.update(b"?")
    return h.hexdigest()


class _Unpickler(pickle.Unpickler):
    """Only the model's values: a hand-made cache file cannot run code."""

    def __init__(self, file: io.BytesIO, allowed: dict[tuple[str, str], type]) -> None:
        super().__init__(file)
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        found = self.allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cached value")
        return found


def classes() -> dict[tuple[str, str], type]:
    """The allowed classes themselves, looked up once (by the cache) rather than for every file read."""
    return {(m, n): getattr(importlib.import_module(m), n) for m, n in _ALLOWED}


def dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def pack(salt: str, value: object) -> bytes:
    body = dumps(value)
    return MAGIC + salt.encode() + b"\n" + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def loads(body: bytes, allowed: dict[tuple[str, str], type]) -> object:
    """A pickle of the model's values only (raises on anything else)."""
    return _Unpickler(io.BytesIO(body), allowed).load()


def unpack(salt: str, data: bytes, allowed: dict[tuple[str, str], type]) -> object | None:
    head = MAGIC + salt.encode() + b"\n"
    if not data.startswith(head) or len(data) < len(head) + 65:
        return None
    digest, body = data[len(head):len(head) + 64], data[len(head) + 65:]
    if data[len(head) + 64:len(head) + 65] != b"\n" or hashlib.sha256(body).hexdigest().encode() != digest:
        return None
    try:
        return loads(body, allowed)
    except Exception:  # checksummed yet unreadable: treat as absent, never as trusted
        return None


@dataclass(frozen=True)
class Output:
    """The last build into one output folder: its units, and each file's (size, mtime_ns, inode,
    mode) as written."""

    units: tuple[model.UnitRecord, ...]
    stats: dict[str, tuple[int, int, int, int]]
    copies: str  # digest of the static files copied
    indexed: str | None  # the search bundle was made from exactly these pages, by this Pagefind (index.search_identity)
    tree: dict[str, tuple[int, int, int, int]]  # the whole folder as published (write.listing)
    # On disk: `units` pickled apart in buckets, (bucket, pickle) (Cache.pack_units, while the index
    # is made), and the units' order; a bucket whose units did not change keeps its pickle.
    packed: tuple[tuple[int, bytes], ...] = ()
    order: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Finished:
    """The last build published into one output folder, known by the digest of everything it read
    (uptodate.inputs_digest): what a build that reads the same says again, without deriving it."""

    inputs: str
    tree: dict[str, tuple[int, int, int, int]]  # the whole folder as published (write.listing)
    diagnostics: tuple[Diagnostic, ...]
    documents: int
    site: model.Site
    indexed: str | None  # its search bundle was made from exactly these pages, by this Pagefind (index.search_identity)
