"""What linking gives (link.py's output): every link target, back-link, suggestion and term use,
resolved before rendering."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic
from .documents import Edition


@dataclass(frozen=True)
class Target:
    """Where a cross-link goes; the URL is completed per language tree by the renderer."""

    kind: str  # "speech", "page", "person", "event"
    id: str
    para: int | None


@dataclass(frozen=True)
class BackLink:
    source_kind: str  # "speech" or "page"
    source: str  # slug of the citing document
    para: int | None  # the paragraph of the citing document that holds the link
    via: str  # "link" or "related"


@dataclass(frozen=True)
class Suggestion:
    """A speech to read next, and why: the same event, the same speaker, shared tags."""

    slug: str
    event: bool
    speaker: bool
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Use:
    """How one cell of an aligned pair renders a term: the sentence around the form found."""

    key: str  # language key of the cell
    kind: str  # "agreed", "variant", "avoid", or "" when the cell holds none of the term's forms
    before: str  # the sentence up to the form (plain text)
    form: str  # the form as written ("" when none)
    after: str


@dataclass(frozen=True)
class Occurrence:
    """A term in one aligned paragraph of a speech: one row of the term's concordance."""

    term: str
    speech: str  # slug
    para: int
    uses: tuple[Use, ...]  # one per section of the speech, in site language order
    status: str  # "ok", "variant", "inconsistent", "ignored", "single" (one text only)


@dataclass(frozen=True)
class Linked:
    edition: Edition
    # (document path, section key, ref index) -> target; keyed by the document's source path
    targets: tuple[tuple[tuple[str, str, int], Target], ...]
    backlinks: tuple[tuple[tuple[str, str], tuple[BackLink, ...]], ...]  # (kind, id) -> links
    diagnostics: tuple[Diagnostic, ...] = ()
    suggestions: tuple[tuple[str, tuple[Suggestion, ...]], ...] = ()  # speech slug -> related reading
    concordance: tuple[Occurrence, ...] = ()  # by term, then in speech order (see terms.py)

    def rows_by(self, field: str) -> dict[str, tuple[Occurrence, ...]]:
        """The concordance grouped by `term` or by `speech`, each group in the concordance's order."""
        out: dict[str, list[Occurrence]] = {}
        for occ in self.concordance:
            out.setdefault(getattr(occ, field), []).append(occ)
        return {k: tuple(v) for k, v in out.items()}
