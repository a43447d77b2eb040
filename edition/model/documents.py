"""What validation gives (validate.py's output): the edition's documents, people, events and
terms, with their parsed sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from .sources import Revision


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
    # The files of content/assets/ its links and images name (markdown.ASSET): (the URL as
    # written, the path from the site root, line, column), checked against the files there.
    assets: tuple[tuple[str, str, int, int], ...] = ()


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
        return _section(self.sections, key)


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
        return _section(self.sections, key)


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
class Unread:
    """A speech or page left out of the build because its file has errors of its own, with what
    of it can still be checked (its body's cross-links, its `related:`): a run reports all the
    problems of a file at once, not those behind its first."""

    slug: str  # the file's name without .md (which may be the error)
    path: str
    sections: tuple[Section, ...] = ()
    related: tuple[tuple[str, int, int], ...] = ()  # (slug, line, column), as Speech.related
    draft: bool = False
    original: str | None = None  # as Speech's, where it could be read: the alignment and term checks
    terms_ignore: tuple[tuple[str, int, int], ...] = ()  # read them too

    @property
    def kind(self) -> str:
        return "speech" if self.path.startswith("content/speeches/") else "page"

    def section(self, key: str | None) -> Section | None:
        return _section(self.sections, key) if key is not None else None


@dataclass(frozen=True)
class Edition:
    site: Site
    people: tuple[Person, ...]
    events: tuple[Event, ...]
    tags: tuple[tuple[str, Bilingual], ...]
    speeches: tuple[Speech, ...]  # newest first
    pages: tuple[Page, ...]  # in navigation order
    drafts: tuple[str, ...] = ()  # slugs of drafts left out of this build
    unread: tuple[Unread, ...] = ()  # documents left out: their files have errors (by path)
    revisions: tuple[tuple[str, tuple[Revision, ...]], ...] = ()  # from Sources
    diagnostics: tuple[Diagnostic, ...] = ()
    terms: tuple[Term, ...] = ()  # the term base, in the order of terms.yml
    # The ids people.yml and events.yml name, entries with errors of their own included; None for
    # a file that could not be parsed. A cross-link to one of those is not reported: its file is.
    person_ids: frozenset[str] | None = frozenset()
    event_ids: frozenset[str] | None = frozenset()

    def silencing(self) -> dict[str, tuple[Speech, ...]]:
        """Term id -> the speeches that silence it (`terms: {ignore}`), in the edition's order."""
        out: dict[str, list[Speech]] = {}
        for s in self.speeches:
            for ident in dict.fromkeys(i for i, _, _ in s.terms_ignore):
                out.setdefault(ident, []).append(s)
        return {k: tuple(v) for k, v in out.items()}


def _section(sections: tuple[Section, ...], key: str) -> Section | None:
    """A document's section in one language (speeches and pages both have them)."""
    return next((s for s in sections if s.key == key), None)
