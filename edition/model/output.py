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
class Part:
    """A piece of a unit's file that the next build may take as it is (a member of the aligned
    downloads, aligned.py): what it holds and where, the keys it read (record.py), with their
    digests once the renderer has them, the digest of what it made in each format and where in
    that format's file the build put it."""

    holds: tuple[str, ...]  # the slugs of its speeches
    place: tuple[bool, bool]  # (first, last): the file's head and end are in it
    reads: tuple[tuple[str, ...], ...]
    made: tuple[tuple[str, str], ...]  # (format, digest of its text)
    digests: tuple[str, ...] = ()  # of `reads`, in order
    spans: tuple[tuple[int, int], ...] = ()  # (offset, length) of each of `made` in its file

    @property
    def deps(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        return tuple(zip(self.reads, self.digests, strict=True))


@dataclass(frozen=True)
class UnitRecord:
    """What one unit of the render stage made, and from what: the digest of every input it read."""

    unit: tuple[str, ...]
    deps: tuple[tuple[tuple[str, ...], str], ...]  # (key, digest) — see record.py
    files: tuple[tuple[str, str], ...]  # (output path, sha256 of its bytes)
    diagnostics: tuple[Diagnostic, ...] = ()
    searchable: tuple[str, ...] = ()  # output paths of its pages with a body for the search index
    parts: tuple[Part, ...] = ()  # pieces of its files a later build may take as they are


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
