"""What loading gives: the site's source files, their texts and its git history (load.py's output)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the site root, forward slashes: "content/speeches/x.md"
    text: str  # BOM removed, line endings normalised to LF, control characters made U+FFFD
    as_written: str | None = None  # with its control characters (then only), to show them as escapes


@dataclass(frozen=True)
class Revision:
    """One commit that changed a source file, from the repository's history."""

    date: dt.date
    message: str
    commit: str  # abbreviated hash


@dataclass(frozen=True)
class Sources:
    root: str
    files: tuple[SourceFile, ...]
    assets: tuple[str, ...]  # paths under content/assets/, copied as they are
    template_dirs: tuple[str, ...]  # the site's templates/ first, then the theme's
    theme_dir: str
    static: tuple[tuple[str, str], ...] = ()  # (path on disk, output path): theme files, assets
    diagnostics: tuple[Diagnostic, ...] = ()
    theme_digest: str = ""  # changes when any template or static file changes
    revisions: tuple[tuple[str, tuple[Revision, ...]], ...] = ()  # path -> newest first; () without git
    templates: tuple[SourceFile, ...] = ()  # the template files, to show a template error's line

    def texts(self) -> dict[str, str]:
        return {f.path: f.text for f in (*self.templates, *self.files)}

    def shown(self) -> dict[str, str]:
        """Each file's text as written, for the source lines under diagnostics (which escape controls)."""
        return {f.path: f.as_written or f.text for f in (*self.templates, *self.files)}
