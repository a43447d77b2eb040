"""Load: read a site repository's sources from disk.

Input: the site root and the theme folder. Output: `model.Sources`: every YAML and Markdown file
of `content/` as text (UTF-8, BOM removed, LF line endings), the asset paths, the template
folders. Files that cannot be decoded become diagnostics. The only reader of the file system
besides the writer and the search indexer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from pathlib import Path

from .diagnostics import Diagnostic, error, site_path
from .model import Revision, SourceFile, Sources

DATA_FILES = ("site.yml", "people.yml", "events.yml", "tags.yml")


def decode(data: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, error(path, line, col, "encoding", f"the file is not valid UTF-8 (byte 0x{data[e.start]:02x})",
                           "save the file as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def load(root: Path, theme: Path) -> Sources:
    content = root / "content"
    files: list[SourceFile] = []
    diags: list[Diagnostic] = []
    paths: list[Path] = [content / name for name in DATA_FILES if (content / name).is_file()]
    for sub in ("speeches", "pages"):
        folder = content / sub
        if folder.is_dir():
            paths.extend(sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.is_file()))
    for p in paths:
        rel = p.relative_to(root).as_posix()
        try:
            data = p.read_bytes()
        except FileNotFoundError:  # deleted since the folder was listed (a checkout): not a source any more
            continue
        text, problem = decode(data, rel)
        if problem:
            diags.append(problem)
        else:
            assert text is not None
            files.append(SourceFile(rel, text))
    assets_dir = content / "assets"
    assets = tuple(sorted(p.relative_to(root).as_posix() for p in assets_dir.rglob("*") if p.is_file())
                   ) if assets_dir.is_dir() else ()
    template_dirs = tuple(str(d) for d in (root / "templates", theme / "templates") if d.is_dir())
    static = _static_files(theme) + tuple((str(root / a), a.removeprefix("content/")) for a in assets)
    return Sources(str(root), tuple(files), assets, template_dirs, str(theme), static, tuple(diags),
                   _digest(template_dirs, static), _revisions(root), _templates(template_dirs, root))


def _templates(template_dirs: tuple[str, ...], root: Path) -> tuple[SourceFile, ...]:
    """Every template's text under the path its diagnostics name (see `diagnostics.site_path`)."""
    out = []
    for folder in template_dirs:
        for p in sorted(Path(folder).rglob("*")):
            text, _ = decode(p.read_bytes(), "") if p.is_file() else (None, None)
            if text is not None:
                out.append(SourceFile(site_path(str(p), str(root)), text))
    return tuple(out)


def _revisions(root: Path, per_file: int = 10) -> tuple[tuple[str, tuple[Revision, ...]], ...]:
    """Each speech's and page's commits, newest first, when the site is a git checkout; else none
    (nothing is invented). Only the site repository's own history counts: a site folder nested in
    another repository (a test fixture, a monorepo) is not described by that repository's log."""
    if not (root / ".git").exists():
        return ()
    try:
        proc = subprocess.run(["git", "-C", str(root), "log", "--relative", "--name-only", "--no-renames",
                               "--format=%x1e%h%x1f%as%x1f%s", "--", "content/speeches", "content/pages"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    if proc.returncode != 0:
        return ()
    found: dict[str, list[Revision]] = {}
    for record in proc.stdout.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, date, message = head.split("\x1f", 2)
        for name in names.split():
            revs = found.setdefault(name, [])
            if len(revs) < per_file:
                revs.append(Revision(dt.date.fromisoformat(date), message.strip(), commit))
    return tuple(sorted((path, tuple(revs)) for path, revs in found.items()))


def _digest(template_dirs: tuple[str, ...], static: tuple[tuple[str, str], ...]) -> str:
    """A fingerprint of the templates and static files: a preview re-renders everything when it changes."""
    h = hashlib.sha1()
    for folder in template_dirs:
        for p in sorted(Path(folder).rglob("*")):
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
        h.update(f"{src}\0{dest}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def _static_files(theme: Path) -> tuple[tuple[str, str], ...]:
    """(path on disk, output path) of the theme's static files, copied to /theme/."""
    static = theme / "static"
    if not static.is_dir():
        return ()
    return tuple((str(p), "theme/" + p.relative_to(static).as_posix())
                 for p in sorted(static.rglob("*")) if p.is_file())
