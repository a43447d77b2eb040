"""What rendering gives the writer: the output files and the record of each unit's inputs (render.py's output)."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic

SEARCH_BUNDLE = "pagefind"  # the search indexer's folder in the output (the writer keeps it, the indexer fills it)


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output folder
    data: bytes


@dataclass(frozen=True)
class UnitRecord:
    """What one unit of the render stage made, and from what: the digest of every input it read."""

    unit: tuple[str, ...]
    deps: tuple[tuple[tuple[str, ...], str], ...]  # (key, digest) — see record.py
    files: tuple[tuple[str, str], ...]  # (output path, sha256 of its bytes)
    diagnostics: tuple[Diagnostic, ...] = ()
    searchable: tuple[str, ...] = ()  # output paths of its pages with a body for the search index


@dataclass(frozen=True)
class Rendered:
    files: tuple[OutputFile, ...]  # rendered by this build
    copies: tuple[tuple[str, str], ...]  # (source path on disk, output path): theme and assets
    diagnostics: tuple[Diagnostic, ...] = ()
    kept: tuple[str, ...] = ()  # output paths of units not rendered again: the output holds them already
    units: tuple[UnitRecord, ...] = ()  # every unit of the site, what it made and read
    made: tuple[str, ...] = ()  # output paths rendered by this build (in `files`, or streamed to the writer)

    @property
    def searchable(self) -> tuple[str, ...]:
        """The pages that hold a body for the search index (`data-pagefind-body`), of every unit."""
        return tuple(p for r in self.units for p in r.searchable)
