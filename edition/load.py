"""Load: read a site repository's sources from disk.

Input: the site root and the theme folder. Output: `model.Sources`: every YAML and Markdown file
of `content/` as text (UTF-8, BOM removed, LF line endings), the asset paths, the template
folders. Files that cannot be decoded become diagnostics; which files may be read at all is
sitefiles.py's part. The only reader of the file system besides the writer and the search indexer.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import textcheck
from .diagnostics import Diagnostic, error, site_path
from .model import SourceFile, Sources
from .revisions import revisions
from .sitefiles import Found, litter, utf8

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
            listed = [p for p in found.listing(folder) if not litter(p.name)]
            paths.extend(p for p in listed if p.suffix == ".md" and found.regular(p))
            found.diags.extend(_misnamed_documents(root, listed))
    if content.is_dir():
        found.diags.extend(_misnamed_data(root, found.listing(content)))
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


MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkd", ".mkdn", ".md")


def _misnamed_documents(root: Path, listed: list[Path]) -> list[Diagnostic]:
    """Speeches and pages the build would pass over without a word: `x.MD`, `x.markdown`, and
    Markdown files in a folder of their own (a speech is content/speeches/<slug>.md)."""
    out = []
    for p in listed:
        if p.suffix == ".md":  # a document (most entries: no question asked of the file system)
            continue
        rel = p.relative_to(root).as_posix()
        if p.suffix.lower() in MARKDOWN_SUFFIXES and not p.name.startswith("."):
            out.append(error(rel, 0, 0, "misnamed-file", f"`{p.name}` is not read: a speech or page is a `.md` file",
                             f"rename it `{p.stem}.md`"))
        elif p.is_dir() and not p.is_symlink() and not p.name.startswith(".") \
                and any(q.suffix == ".md" for q in p.rglob("*")):
            out.append(error(rel, 0, 0, "misnamed-file", "the Markdown files in this folder are not read: "
                             f"speeches and pages stand directly in {p.parent.relative_to(root).as_posix()}/",
                             "move them up (a draft is marked `draft: true`), or out of content/"))
    return out


def _misnamed_data(root: Path, listed: list[Path]) -> list[Diagnostic]:
    """A data file under another spelling (`people.yaml`, `Tags.yml`): read by no one."""
    out = []
    for p in listed:
        meant = p.stem.lower() + ".yml"
        if p.name not in DATA_FILES and meant in DATA_FILES and p.suffix.lower() in (".yml", ".yaml") \
                and not (p.parent / meant).exists():
            out.append(error(p.relative_to(root).as_posix(), 0, 0, "misnamed-file",
                             f"`{p.name}` is not read: the file is named `{meant}`", f"rename it `{meant}`"))
    return out


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
        out.extend(Path(top) / name for name in files if utf8(name))  # others: reported by the walk
    return sorted(out)


def _digest(template_dirs: tuple[str, ...], static: tuple[tuple[str, str], ...]) -> str:
    """A fingerprint of the templates and static files: a preview re-renders everything when it changes."""
    h = hashlib.sha1()
    for folder in template_dirs:
        for p in _files(folder):
            if p.is_file():
                try:
                    h.update(os.fsencode(p) + b"\0" + p.read_bytes() + b"\0")
                except OSError:  # gone or unreadable: reported by the walk of the site's templates/
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
            if rel.parts[0] == "templates" or not p.is_file() or not utf8(p.name):
                continue  # a name that is not UTF-8 is reported by the walk of the site's own theme/
            out["theme/" + (rel.relative_to("static") if rel.parts[0] == "static" else rel).as_posix()] = str(p)
    return tuple(sorted(((src, dest) for dest, src in out.items()), key=lambda x: x[1]))
