"""Cache: what a build derived, kept in `.edition-cache/` of the site root for the next build.

Input: the site root and values to keep. Output: the values back, or nothing. Three kinds of entry:
a validated document, keyed by the digest of exactly what its validation reads (its path and
text, the site settings, the people and the events; see validate.py); a value another stage
derived (the related reading), keyed by the digest of what it read; and, per output folder, the
record of the last build's units (`model.UnitRecord`: what each made and the digest of every
input it read) with the size and time of each file written. Every entry carries the generator's
digest (its code and the theme's templates and static files); an entry that is truncated,
edited, written by another version or by a killed build fails its checksum or its header and is
ignored: the build then derives the value again. Values are read back by an unpickler that knows
only the model's classes (the entries' format: cachefile.py). The cache folder ignores itself for git
(a `.gitignore` of `*`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .cachefile import Finished, Output, classes, dumps, generator_digest, loads, pack, unpack
from .model import UnitRecord
from .record import field_digests

FOLDER = ".edition-cache"
BUCKETS = 256  # of the units' record (pack_units)
_CLASSES = classes()


@dataclass
class Cache:
    """A build's view of the cache folder; keeps what it read or wrote in memory too (a preview's
    rebuilds ask again for the same documents)."""

    root: Path
    salt: str
    disk: bool = True  # False: in memory only (--no-cache, `check`, the API's default)
    _docs: dict[str, object] = field(default_factory=dict)
    # The last render's input values and digests (record.Known), kept in memory for a preview's next build.
    known: dict[tuple[str, ...], tuple[object, str]] = field(default_factory=dict, repr=False)
    # What the renderer keeps for a preview's next build (its compiled templates), opaque here.
    session: dict[str, Any] = field(default_factory=dict, repr=False)
    # (kind, slug) -> field -> digest, of the documents this build validated (record.Inputs).
    fields: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict, repr=False)
    _used: set[str] = field(default_factory=set)
    # The last record of units read or written: bucket -> (its records, their pickle) (pack_units).
    _buckets: dict[int, tuple[tuple[UnitRecord, ...], bytes]] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, root: Path, theme: Path, disk: bool = True) -> Cache:
        """The cache of a site root. Only a folder of its own is used: a symbolic link in its place
        (committed to a repository, say) could lead the cache's writes and deletions anywhere, so
        the build then runs as with --no-cache."""
        folder = root / FOLDER
        disk = disk and not any(f.is_symlink() for f in (folder, folder / "docs", folder / "derived",
                                                          folder / "outputs")) \
            and (folder.is_dir() or not folder.exists()) and not _tracked(root, folder)
        return cls(folder, generator_digest(theme) if disk else "", disk)

    # ------------------------------------------------------------ documents
    def begin(self) -> None:
        """A new build: the documents' field digests are this build's documents' only."""
        self.fields = {}

    def get(self, key: str) -> object | None:
        """A validated document: (document or None, diagnostics)."""
        self._used.add(key)
        entry = self._docs.get(key)
        if entry is None:
            entry = self._read(self.root / "docs" / key[:2] / key)
            if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[2], dict)):
                return None
            self._docs[key] = entry
        self._note(entry)
        return entry[:2]

    def put(self, key: str, value: object) -> None:
        assert isinstance(value, tuple) and len(value) == 2
        doc = value[0]
        entry = (*value, field_digests(doc) if doc is not None else {})
        self._used.add(key)
        self._docs[key] = entry
        self._note(entry)
        self._write(self.root / "docs" / key[:2] / key, entry)

    # ------------------------------------------------------------ other derived values
    def recall(self, kind: str, key: str) -> object | None:
        """A value a stage derived (link.Memory), by the digest of what it was derived from."""
        name = f"{kind}-{key}"
        self._used.add(name)
        if name not in self._docs:
            value = self._read(self.root / "derived" / name)
            if value is None:
                return None
            self._docs[name] = value
        return self._docs[name]

    def keep(self, kind: str, key: str, value: object) -> None:
        name = f"{kind}-{key}"
        self._used.add(name)
        self._docs[name] = value
        self._write(self.root / "derived" / name, value)

    def field_digests(self, kind: str, slug: str) -> dict[str, str] | None:
        return self.fields.get((kind, slug))

    def _note(self, entry: tuple[object, ...]) -> None:
        doc = entry[0]
        if doc is not None:
            self.fields[(doc.kind, doc.slug)] = entry[2]  # type: ignore[attr-defined,assignment]

    def prune(self) -> None:
        """Forget documents this build did not ask for (an edited file's old versions)."""
        self._docs = {k: v for k, v in self._docs.items() if k in self._used}
        if self.disk:
            for p in (*self.root.glob("docs/*/*"), *self.root.glob("derived/*")):
                if p.name not in self._used and _regular(p) and self._inside(p):  # never a folder or a link
                    with contextlib.suppress(OSError):
                        p.unlink()
        self._used = set()

    # ------------------------------------------------------------ outputs
    def _output_file(self, out: Path) -> Path:
        # By the umask too: a file kept from the output is a hard link, which keeps the mode it was
        # made with, so after the umask changed the site would mix modes (one first built under 077
        # unreadable to a web server). Not by the files' modes: a default ACL sets those itself.
        key = f"{out.resolve()}\0{_umask()}"
        return self.root / "outputs" / hashlib.sha256(key.encode()).hexdigest()[:32]

    def output(self, out: Path) -> Output | None:
        value = self._read(self._output_file(out))
        if not isinstance(value, Output):
            return None
        if value.packed:
            buckets: dict[int, tuple[tuple[UnitRecord, ...], bytes]] = {}
            try:
                for n, body in value.packed:
                    records = loads(body, _CLASSES)
                    if not (isinstance(records, tuple) and all(isinstance(r, UnitRecord) for r in records)):
                        return None
                    buckets[n] = (records, body)
                by_unit = {r.unit: r for records, _ in buckets.values() for r in records}
                units = tuple(by_unit[u] for u in value.order)
            except Exception:  # inside a checksummed file, yet unreadable or incomplete: no record
                return None
            self._buckets = buckets
            value = replace(value, units=units, packed=(), order=())
        return value

    def pack_units(self, units: tuple[UnitRecord, ...]) -> tuple[tuple[int, bytes], ...]:
        """The units' record as `put_output` writes it, made ahead (while Pagefind runs) and in
        buckets by unit: pickling the whole record takes 2.6 s at 10,000 speeches, and after one edit
        most buckets hold the very records the last build's did, whose pickle is kept."""
        if not self.disk:
            return ()
        groups: dict[int, list[UnitRecord]] = {}
        for r in units:
            groups.setdefault(zlib.crc32("\0".join(r.unit).encode()) % BUCKETS, []).append(r)
        packed = []
        for n in sorted(groups):
            records = tuple(groups[n])
            old = self._buckets.get(n)
            packed.append((n, old[1] if old is not None and old[0] == records else dumps(records)))
        self._buckets = {n: (tuple(groups[n]), body) for n, body in packed}
        return tuple(packed)

    def put_output(self, out: Path, value: Output, packed: tuple[tuple[int, bytes], ...] = ()) -> None:
        if packed:
            value = replace(value, units=(), packed=packed, order=tuple(r.unit for r in value.units))
        self._write(self._output_file(out), value)

    def finished(self, out: Path) -> Finished | None:
        """Kept apart from `output`, whose record of every unit's inputs takes far longer to read."""
        value = self._read(self._output_file(out).with_suffix(".done"))
        return value if isinstance(value, Finished) else None

    def put_finished(self, out: Path, value: Finished) -> None:
        self._write(self._output_file(out).with_suffix(".done"), value)

    def forget_finished(self, out: Path) -> None:
        """The output folder is about to change: its record no longer tells what it holds."""
        if self.disk:
            with contextlib.suppress(OSError):
                self._output_file(out).with_suffix(".done").unlink(missing_ok=True)

    # ------------------------------------------------------------ files
    def _read(self, path: Path) -> object | None:
        if not self.disk:
            return None
        try:  # not through a link, and never from a named pipe put in an entry's place (it would block)
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        finally:
            os.close(fd)
        return unpack(self.salt, data, _CLASSES)

    def _inside(self, path: Path) -> bool:
        """Whether `path`'s folder is the cache's own, not reached through a link put in the cache."""
        return path.parent.resolve().is_relative_to(self.root.resolve()) and not self.root.is_symlink()

    def _write(self, path: Path, value: object) -> None:
        """Whole or not at all: a temporary file renamed into place (a killed build leaves at most a
        stray temporary, never a half entry under a real name)."""
        if not self.disk:
            return
        try:
            if not self.root.is_dir():
                self.root.mkdir(parents=True, exist_ok=True)
                (self.root / ".gitignore").write_text("# written by edition: a build cache, safe to delete\n*\n")
            path.parent.mkdir(parents=True, exist_ok=True)
            if not self._inside(path):
                return
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pack(self.salt, value))
            os.replace(tmp, path)
        except OSError:  # a read-only or full disk: the build goes on without the cache
            return


def stats(folder: Path, paths: list[str]) -> dict[str, tuple[int, int, int, int]]:
    """(size, mtime_ns, inode, mode) of each path that is a regular file, as write.listing gives
    them: a file replaced under its name at the same size and time is another file, and a link put
    in a file's place is no file of the build's (the writer would link the link itself), nor is a
    file in a folder that a link has replaced."""
    out = {}
    base = str(folder) + os.sep
    real: dict[str, bool] = {"": True}  # folder -> it and those above it are folders, not links to one

    def in_real_folders(name: str) -> bool:
        hit = real.get(name)
        if hit is None:
            try:
                hit = in_real_folders(name.rpartition("/")[0]) and stat.S_ISDIR(os.lstat(base + name).st_mode)
            except OSError:
                hit = False
            real[name] = hit
        return hit
    for p in paths:
        # A folder replaced by a link to one elsewhere (holding the same files, moved there): its
        # files are not the build's to link into the next site.
        if not in_real_folders(p.rpartition("/")[0]):
            continue
        try:
            st = os.lstat(base + p)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            out[p] = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode)
    return out


def _tracked(root: Path, folder: Path) -> bool:
    """Whether git tracks a file of the cache folder: committed (`git add -f`), it came with the
    repository, and its entries can be forged from public data (the code, the sources) to put on
    the pages what no source holds. Such a cache is not read."""
    if not folder.is_dir() or not (root / ".git").exists():
        return False
    try:
        proc = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", FOLDER], capture_output=True,
                              timeout=60)
    except FileNotFoundError:  # no git on this machine: nothing was checked out by it
        return False
    except (OSError, subprocess.TimeoutExpired):
        return True  # cannot tell: not trusted
    return proc.returncode != 0 or bool(proc.stdout)


def _regular(p: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(p).st_mode)
    except OSError:
        return False


def clean(root: Path) -> bool:
    """Remove the cache folder; True if there was one. A symbolic link in its place is removed,
    never what it leads to."""
    folder = root / FOLDER
    if folder.is_symlink():
        folder.unlink()
        return True
    if not folder.is_dir():
        return False
    shutil.rmtree(folder)
    return True


def _umask() -> str:
    """This process's umask, as Linux tells it without changing it (os.umask would, for every thread
    of a preview at once); "" where it cannot be read."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next((line.split()[1] for line in f if line.startswith("Umask:")), "")
    except (OSError, IndexError):
        return ""
