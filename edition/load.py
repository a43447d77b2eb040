"""Load: read a site repository's sources from disk.

Input: the site root and the theme folder. Output: `model.Sources`: every YAML and Markdown file
of `content/` as text (UTF-8, BOM removed, LF line endings), the asset paths, the template
folders. Files that cannot be decoded become diagnostics. The only reader of the file system
besides the writer and the search indexer.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from . import textcheck
from .diagnostics import Diagnostic, error, site_path
from .model import SourceFile, Sources
from .revisions import revisions

DATA_FILES = ("site.yml", "people.yml", "events.yml", "tags.yml", "terms.yml")


def decode(data: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        start = e.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)  # counted after the BOM
        before = data[:start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # lines as the text's
        line = before.count(b"\n") + 1
        # Counted in characters, as every other column (the line up to here decodes: the error is the first)
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8-sig")) + 1
        return None, error(path, line, col, "encoding", f"the file is not valid UTF-8 (byte 0x{data[start]:02x})",
                           "save the file as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def load(root: Path, theme: Path) -> Sources:
    content = root / "content"
    files: list[SourceFile] = []
    found = Found(root)
    paths = [p for name in DATA_FILES if found.regular(content / name, missing_ok=True)
             for p in (content / name,)]
    for sub in ("speeches", "pages"):
        folder = content / sub
        if found.folder(folder):
            paths.extend(p for p in sorted(folder.iterdir()) if p.suffix == ".md" and found.regular(p))
    for p in paths:
        rel = p.relative_to(root).as_posix()
        try:
            data = p.read_bytes()
        except FileNotFoundError:  # deleted since the folder was listed (a checkout): not a source any more
            continue
        except OSError as e:
            found.diags.append(error(rel, 0, 0, "file-unreadable", f"the file cannot be read: {e.strerror}",
                                     "check its permissions (`chmod a+r`)"))
            continue
        text, problem = decode(data, rel)
        if problem:
            found.diags.append(problem)
        else:
            assert text is not None
            clean, bad = textcheck.control_characters(text, rel)
            found.diags.extend(bad)
            files.append(SourceFile(rel, clean, text if bad else None))
    assets = tuple(p.relative_to(root).as_posix() for p in found.tree(content / "assets"))
    own = [root / "templates", root / "theme"]  # the site's own: inside the root, so links are checked too
    for folder in own:
        found.tree(folder)
    themes = _themes(root, theme)
    template_dirs = tuple(str(d) for d in (root / "templates", *(t / "templates" for t in reversed(themes)))
                          if d.is_dir())
    static = _static_files(themes) + tuple((str(root / a), a.removeprefix("content/")) for a in assets)
    revs, history = revisions(root, (f.path for f in files))
    return Sources(str(root), tuple(files), assets, template_dirs, str(theme), static, tuple(found.diags) + history,
                   _digest(template_dirs, static), revs, _templates(template_dirs, root))


def load_one(root: Path, rel: str) -> SourceFile | None:
    """One document just saved, read as `load` reads it; None when it cannot be read as it stands
    (gone, not a regular file, a link out of the site, not UTF-8, control characters): the full
    build reports why."""
    found = Found(root)
    p = root / rel
    if not found.regular(p):
        return None
    try:
        data = p.read_bytes()
    except OSError:
        return None
    text, problem = decode(data, rel)
    if problem or text is None:
        return None
    text, bad = textcheck.control_characters(text, rel)
    return None if bad or found.diags else SourceFile(rel, text)


def _templates(template_dirs: tuple[str, ...], root: Path) -> tuple[SourceFile, ...]:
    """Every template's text under the path its diagnostics name (see `diagnostics.site_path`)."""
    out = []
    for folder in template_dirs:
        for p in _files(folder):
            text, _ = decode(p.read_bytes(), "") if p.is_file() else (None, None)
            if text is not None:
                out.append(SourceFile(site_path(str(p), str(root)), text))
    return tuple(out)


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
        target = p.resolve()
        git = self.real / ".git"
        if target != self.real and self.real not in target.parents:
            where = "outside the site"
        elif target == git or git in target.parents:
            where = "into the site's .git folder"
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

    def folder(self, p: Path) -> bool:
        if not p.is_symlink() and not p.exists():
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
        if not self._safe(p):
            return False
        try:
            mode = p.stat().st_mode
        except FileNotFoundError:
            return self._broken(p) if p.is_symlink() else False
        except OSError:
            return self._broken(p)
        if stat.S_ISREG(mode):
            return True
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
            for p in sorted(folder.iterdir()):
                if p.is_dir() and not p.is_symlink():
                    walk(p)
                elif p.is_symlink() and p.is_dir():
                    if self._safe(p):
                        walk(p)
                elif self.regular(p):
                    out.append(p)

        walk(top)
        return out


def _files(folder: str) -> list[Path]:
    """The files under a templates folder, sorted, through linked folders too: Jinja opens a
    template by its path, so one in a linked folder is used (rglob does not enter them). Each real
    folder is walked once (a link back up the tree is no loop)."""
    out: list[Path] = []
    seen: set[str] = set()
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        out.extend(Path(top) / name for name in files)
    return sorted(out)


def _digest(template_dirs: tuple[str, ...], static: tuple[tuple[str, str], ...]) -> str:
    """A fingerprint of the templates and static files: a preview re-renders everything when it changes."""
    h = hashlib.sha1()
    for folder in template_dirs:
        for p in _files(folder):
            if p.is_file():
                try:
                    h.update(p.as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
                except FileNotFoundError:
                    continue
    for src, dest in static:
        try:
            st = os.stat(src)
        except FileNotFoundError:  # gone since listed: the next build sees it gone
            continue
        # ctime too: a file rewritten at its size with its mtime put back (cp -p, touch -r) is another file
        h.update(f"{src}\0{dest}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0".encode())
    return h.hexdigest()


def _themes(root: Path, theme: Path) -> tuple[Path, ...]:
    """The bundled theme, then the site's own `theme/` on top of it (when it is another folder)."""
    own = root / "theme"
    return (theme, own) if own.is_dir() and own.resolve() != theme.resolve() else (theme,)


def _static_files(themes: tuple[Path, ...]) -> tuple[tuple[str, str], ...]:
    """(path on disk, output path) of the files copied to /theme/: each theme's `static/` and, as
    the spec lays a site out ("theme/: CSS, JS, fonts, icons copied to the site"), any other file
    of `theme/` but its templates; a later theme's file replaces an earlier one's."""
    out: dict[str, str] = {}
    for theme in themes:
        for p in sorted(theme.rglob("*")) if theme.is_dir() else ():
            rel = p.relative_to(theme)
            if rel.parts[0] == "templates" or not p.is_file():
                continue
            out["theme/" + (rel.relative_to("static") if rel.parts[0] == "static" else rel).as_posix()] = str(p)
    return tuple(sorted(((src, dest) for dest, src in out.items()), key=lambda x: x[1]))
