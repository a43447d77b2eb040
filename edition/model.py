"""The immutable values that flow through the pipeline.

Input: nothing (a leaf module). Output: frozen dataclasses for sources, the validated edition,
its parsed sections, the link table and the rendered files. Every stage returns one of these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .diagnostics import Diagnostic

# ---------------------------------------------------------------- load


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the site root, forward slashes: "content/speeches/x.md"
    text: str  # BOM removed, line endings normalised to LF


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


# ---------------------------------------------------------------- validate


@dataclass(frozen=True)
class Bilingual:
    """A text in one or more languages, keyed by language key ("en", "zh")."""

    items: tuple[tuple[str, str], ...]

    def get(self, key: str) -> str | None:
        for k, v in self.items:
            if k == key:
                return v
        return None

    def pick(self, key: str, order: tuple[str, ...]) -> tuple[str, str]:
        """The text in `key`, else the first available in `order`: (text, its language key)."""
        for k in (key, *order):
            v = self.get(k)
            if v is not None:
                return v, k
        k, v = self.items[0]
        return v, k



@dataclass(frozen=True)
class Language:
    key: str
    name: str
    lang: str  # BCP 47 tag


# The download formats besides the pages (see exports.py and the README). When site.yml does not
# say, an edition of up to EXPORTS_UP_TO speeches gets them all, a larger one none: GitHub Pages
# publishes at most 1 GB (and Cloudflare Pages 100,000 files), which the two trees of pages and the
# search index of 10,000 speeches already nearly fill.
EXPORT_FORMATS = ("cite", "source", "text", "json", "tei", "tsv", "tmx")
EXPORTS_UP_TO = 2000


@dataclass(frozen=True)
class Site:
    title: Bilingual
    description: Bilingual | None
    base_url: str
    languages: tuple[Language, ...]
    license: str | None
    editors: tuple[str, ...]
    allow_html: bool
    cname: str | None = None  # a custom domain for GitHub Pages: written to CNAME
    image: str | None = None  # the site's share image (og:image): an asset path under content/, or a URL
    exports: tuple[str, ...] = EXPORT_FORMATS  # the download formats written (site.yml `exports:`)
    exports_chosen: bool = True  # False: by the size of the edition, `exports:` being absent

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(lang.key for lang in self.languages)

    def language(self, key: str) -> Language:
        for lang in self.languages:
            if lang.key == key:
                return lang
        raise KeyError(key)


@dataclass(frozen=True)
class Person:
    id: str
    name: Bilingual
    role: Bilingual | None


@dataclass(frozen=True)
class Event:
    id: str
    name: Bilingual
    place: Bilingual | None
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class CrossRef:
    """One `[[...]]` in a section, as written; resolved by the link stage."""

    kind: str  # "doc" (speech or page), "person", "event", or "invalid" (reported while parsing)
    target: str  # slug or id
    para: int | None  # N of `#pN`
    label: str | None  # the `|label`, as text
    raw: str  # the whole `[[...]]`
    block: int  # 1-based number of the block it stands in (a note's: the block citing the note)
    line: int
    column: int


@dataclass(frozen=True)
class Mark:
    """One editorial intervention."""

    kind: str  # "add", "del", "corr", "comment"
    id: str  # element id: "ed-en-3"
    block: int
    text: str  # plain text of the mark (corrected text for a correction)
    source: str  # the source reading of a correction, else ""


@dataclass(frozen=True)
class Note:
    number: int
    label: str
    html: str  # with cross-link placeholders
    block: int  # the block that first refers to it


@dataclass(frozen=True)
class Section:
    """One language section of a speech or page, rendered to HTML fragments.

    Cross-links are left as placeholders (see markdown.PLACEHOLDER) that the renderer fills in
    from the link table, so a section is parsed once and shown on every language tree.
    """

    key: str
    line: int  # the line of the opening fence
    blocks: tuple[str, ...]
    notes: tuple[Note, ...]
    refs: tuple[CrossRef, ...]
    marks: tuple[Mark, ...]
    # The same blocks for the exports: TEI P5 elements and plain text (notes follow the blocks).
    tei: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    lines: tuple[tuple[int, int], ...] = ()  # (line, column) where each block starts in the source
    plain: tuple[str, ...] = ()  # each block's text as edited: corrections read as corrected, no
    # removed text, no comments (what the term check reads); cross-links stay placeholders


@dataclass(frozen=True)
class SourceInfo:
    publisher: str | None
    url: str | None


@dataclass(frozen=True)
class TranslationInfo:
    translator: str | None
    published: dt.date | None
    url: str | None
    license: str | None


@dataclass(frozen=True)
class Speech:
    slug: str
    path: str
    title: Bilingual
    speakers: tuple[str, ...]
    date: dt.date
    event: str | None
    place: Bilingual | None
    original: str
    source: SourceInfo | None
    translation: TranslationInfo | None
    related: tuple[tuple[str, int, int], ...]  # (slug, line, column of the entry)
    tags: tuple[str, ...]
    summary: Bilingual | None  # HTML
    draft: bool
    sections: tuple[Section, ...]
    # `terms: {ignore: [...]}`: (term id, line, column) of each entry, and the reason if given
    terms_ignore: tuple[tuple[str, int, int], ...] = ()
    terms_reason: str | None = None

    kind = "speech"

    def section(self, key: str) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None



@dataclass(frozen=True)
class Page:
    slug: str
    path: str
    title: Bilingual
    order: int | None
    sections: tuple[Section, ...]
    draft: bool = False

    kind = "page"

    def section(self, key: str) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None


@dataclass(frozen=True)
class Term:
    """One entry of content/terms.yml."""

    id: str
    forms: Bilingual  # the term in each language: the agreed rendering
    variants: tuple[str, ...]  # acceptable renderings
    avoid: tuple[str, ...]  # renderings the edition treats as wrong
    note: Bilingual | None  # HTML
    line: int = 0


@dataclass(frozen=True)
class Edition:
    site: Site
    people: tuple[Person, ...]
    events: tuple[Event, ...]
    tags: tuple[tuple[str, Bilingual], ...]
    speeches: tuple[Speech, ...]  # newest first
    pages: tuple[Page, ...]  # in navigation order
    drafts: tuple[str, ...] = ()  # slugs of drafts left out of this build
    revisions: tuple[tuple[str, tuple[Revision, ...]], ...] = ()  # from Sources
    diagnostics: tuple[Diagnostic, ...] = ()
    terms: tuple[Term, ...] = ()  # the term base, in the order of terms.yml

    def silencing(self) -> dict[str, tuple[Speech, ...]]:
        """Term id -> the speeches that silence it (`terms: {ignore}`), in the edition's order."""
        out: dict[str, list[Speech]] = {}
        for s in self.speeches:
            for ident in dict.fromkeys(i for i, _, _ in s.terms_ignore):
                out.setdefault(ident, []).append(s)
        return {k: tuple(v) for k, v in out.items()}


# ---------------------------------------------------------------- link


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


# ---------------------------------------------------------------- render / write


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
