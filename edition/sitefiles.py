"""The files of a site, read only from inside its root: the loader's walk of the file system.

Input: the site root and the paths the loader asks about. Output: whether each is a regular file
or folder to read, and a diagnostic for each that is not (a symbolic link out of the site, into
its .git folder or round in a loop, a name that is not UTF-8, a file or folder that cannot be read,
a folder where a file should be, a named pipe...). Part of the loader (load.py).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .diagnostics import Diagnostic, error

LITTER = (".#", "._")  # Emacs's lock of a file being edited (a link to nowhere), macOS's resource forks


def litter(name: str) -> bool:
    """A file an editor or an operating system leaves beside the sources, never one of them:
    read, it would stop the build (an Emacs lock is a link that points to nothing)."""
    return name.startswith(LITTER)


def utf8(name: str) -> bool:
    """Whether a name read from the file system is UTF-8 (Python keeps other bytes as surrogates)."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


class Found:
    """The files of a site, read only from inside its root (a symbolic link may point elsewhere
    inside it, never out of it nor into .git/); what cannot be read is reported, never skipped."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real = root.resolve()
        self.diags: list[Diagnostic] = []
        self._known: dict[Path, Path] = {}  # paths found safe -> where they lead

    def _rel(self, p: Path) -> str:
        return p.relative_to(self.root).as_posix()

    def _safe(self, p: Path) -> bool:
        """False (and an error naming the link) when `p`, or a folder it is in, is a symbolic link
        that leads out of the site root or into its .git folder."""
        # In a folder found safe, a file that is not itself a link is safe: no resolving per file.
        known = self._known.get(p.parent)
        if known is not None and not p.is_symlink() and not (known == self.real and p.name == ".git"):
            return True
        try:
            target = p.resolve()
        except (RuntimeError, OSError):  # a link that leads back to itself, through others or not
            self.diags.append(error(self._rel(p), 0, 0, "symlink-broken",
                                    "this symbolic link leads round in a loop (to itself, through other links)",
                                    "fix or remove the link"))
            return False
        git = self.real / ".git"
        if target != self.real and self.real not in target.parents:
            where = "outside the site"
        elif target == git or git in target.parents:
            where = "into the site's .git folder"
        elif target == self.real and p != self.root:  # the walk would copy the output into itself
            where = "to the site's root folder, which holds the output and the build cache"
        else:
            self._known[p] = target
            return True
        # The link to name: `p` itself, or the folder on its way that is one (content/ linked away).
        link = next((q for q in (p, *p.parents) if q.is_symlink() and self.root in q.parents), p)
        shown = f"`{os.readlink(link)}`" if link.is_symlink() else f"`{target}`"
        leads = link.resolve()
        if link.is_symlink() and (link.parent / os.readlink(link)).is_symlink():
            shown += f", a link itself, which leads to `{leads}`"  # a chain: name where it ends
        self.diags.append(error(self._rel(link), 0, 0, "symlink-outside",
                                f"this symbolic link points {where} (to {shown}); it is not read",
                                "copy the file into the site, or remove the link"))
        return False

    def _named(self, p: Path) -> bool:
        """False (and an error) for a name that is not UTF-8: no URL or file name can carry it."""
        if utf8(p.name):
            return True
        shown = os.fsencode(self._rel(p)).decode("utf-8", "backslashreplace")  # the bytes, as \xff
        self.diags.append(error(shown, 0, 0, "encoding", "the file name is not valid UTF-8",
                                "rename the file (the name above shows each byte that is not UTF-8)"))
        return False

    def listing(self, folder: Path) -> list[Path]:
        """The entries of a folder, sorted; one that cannot be read is reported, not skipped."""
        try:
            return sorted(folder.iterdir())
        except OSError as e:
            self.diags.append(error(self._rel(folder), 0, 0, "file-unreadable",
                                    f"the folder cannot be read: {e.strerror}",
                                    "check its permissions (`chmod a+rx`)"))
            return []

    def folder(self, p: Path) -> bool:
        if not p.is_symlink() and not p.exists():
            return False
        if not self._named(p):
            return False
        if not self._safe(p):
            return False
        if not p.is_dir():
            self.diags.append(error(self._rel(p), 0, 0, "not-a-folder", "this should be a folder",
                                    "move the file away"))
            return False
        return True

    def regular(self, p: Path, missing_ok: bool = False) -> bool:
        """Whether `p` is a regular file to read; anything else in its place is reported."""
        if not p.is_symlink() and not p.exists():
            return False  # absent, or deleted since its folder was listed (a checkout)
        if not self._named(p) or not self._safe(p):
            return False
        try:
            mode = p.stat().st_mode
        except FileNotFoundError:
            return self._broken(p) if p.is_symlink() else False
        except OSError:
            return self._broken(p)
        if stat.S_ISREG(mode):
            if os.access(p, os.R_OK):
                return True
            self.diags.append(error(self._rel(p), 0, 0, "file-unreadable", "the file cannot be read: Permission denied",
                                    "check its permissions (`chmod a+r`)"))
            return False
        kind = "a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode) else \
            "a socket" if stat.S_ISSOCK(mode) else "a device"
        self.diags.append(error(self._rel(p), 0, 0, "not-a-file", f"this is {kind}, not a file",
                                "a source must be a plain file; rename or remove it"))
        return False

    def _broken(self, p: Path) -> bool:
        try:
            target = os.readlink(p)
        except OSError:  # gone meanwhile
            return False
        self.diags.append(error(self._rel(p), 0, 0, "symlink-broken",
                                f"this symbolic link points to nothing (`{target}`)",
                                "fix or remove the link"))
        return False

    def tree(self, top: Path) -> list[Path]:
        """The regular files under `top`, sorted; links are followed only inside the site."""
        if not self.folder(top):
            return []
        out: list[Path] = []
        seen: set[Path] = set()

        def walk(folder: Path) -> None:
            real = folder.resolve()
            if real in seen:  # a link back up the tree
                return
            seen.add(real)
            for p in self.listing(folder):
                if litter(p.name):
                    continue
                if p.is_dir() and not p.is_symlink():
                    if self._named(p):
                        walk(p)
                elif p.is_symlink() and p.is_dir():
                    if self._safe(p):
                        walk(p)
                elif self.regular(p):
                    out.append(p)

        walk(top)
        return out
