"""Views: what a template sees of the edition on one language tree.

Input: `model.Linked` and a language key. Output: `View`, an immutable helper that templates
call for URLs, interface strings, texts in the page language, and the aligned rows of a document
with its cross-links filled in. No Jinja here: the renderer wraps strings it marks safe.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urljoin

from . import fill, i18n, typeset
from .browse import Browse
from .citeview import Citing
from .memo import memo, shared
from .model import (
    BackLink,
    Bilingual,
    Edition,
    Event,
    Language,
    Linked,
    Mark,
    Note,
    Page,
    Person,
    Section,
    Site,
    Speech,
    Target,
)
from .record import Recorder, TrackedEdition
from .searchview import SearchView
from .termview import TermBase
from .urls import base_path, doc_path, relative

# The theme's one inline script (base.html: the reader's chosen view, set before the page is
# drawn), admitted by its hash; tests check every inline script of every page against it.
VIEW_SCRIPT = ('try{var ev=localStorage.getItem("edition-view");'
               'if(ev)document.documentElement.dataset.view=ev}catch(e){}')
# Only the site's own scripts and styles run; Pagefind needs WebAssembly and its worker (same
# origin). Images and media may come from elsewhere (a Markdown image may link out).
CSP = ("default-src 'self'; "
       f"script-src 'self' 'sha256-{base64.b64encode(hashlib.sha256(VIEW_SCRIPT.encode()).digest()).decode()}' "
       "'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: https: http:; media-src 'self' https: http:; "
       "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")


@dataclass(frozen=True)
class Cell:
    key: str  # language key
    lang: str  # BCP 47 tag
    role: str  # "orig", "trans" (or "text" on pages)
    html: str | None


@dataclass(frozen=True)
class Row:
    n: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Text:
    """A string in some language, and whether that differs from the page's."""

    value: str
    key: str
    lang: str
    foreign: bool


# Where the view's methods of earlier versions are now (a site template may still call them).
MOVED = {**{n: "browse." + n for n in ("speeches_by", "speeches_at", "speeches_tagged", "speeches_in", "years",
                                       "tags", "tag_name", "tag_names", "suggestions", "cites", "label_lines")},
         "citation": "cite.record", "cite_format": "cite.format", "cite_styles": "cite.styles",
         "paragraph_citation": "cite.paragraph",
         **{n: "cite." + n for n in ("feed_summary", "feed_entries", "jsonld", "og_locale", "share_image",
                                     "last_revised", "revisions")},
         "terms": "termbase.terms", "term": "termbase.term", "term_name": "termbase.name",
         "mark_terms": "termbase.mark",
         **{n: "termbase." + n for n in ("concordance", "uses", "by_speech", "form_lang", "ignoring", "paras")},
         "indexed_key": "search.indexed_key", "search_filters": "search.filters", "search_strings": "search.strings"}


@dataclass(frozen=True)
class View:
    linked: Linked
    key: str
    _targets: dict[tuple[str, str, int], Target] = field(compare=False, repr=False)
    _back: dict[tuple[str, str], tuple[BackLink, ...]] = field(compare=False, repr=False)
    # The folder of the page being rendered, from the site root ("en/speeches/x/"): URLs are then
    # relative to it. None (feeds, exports, 404.html, which is served at any depth): URLs from
    # the server root, under the base path.
    here: str | None = None
    _memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)  # shared by copies: memo.py
    _shared: dict[str, object] = field(default_factory=dict, compare=False, repr=False)  # and by the other trees'
    # Notes what each output reads (see record.py): every model object handed out is tracked.
    rec: Recorder = field(default_factory=Recorder, compare=False, repr=False)
    # The view's parts, by concern, made anew for each copy (they make URLs relative to its `here`).
    browse: Browse = field(init=False, compare=False, repr=False)  # lists, tags, years, related reading
    cite: Citing = field(init=False, compare=False, repr=False)  # references, revisions, feeds, metadata
    termbase: TermBase = field(init=False, compare=False, repr=False)  # terms, concordance, term links
    search: SearchView = field(init=False, compare=False, repr=False)  # what the search index takes

    def __post_init__(self) -> None:
        for name, part in (("browse", Browse), ("cite", Citing), ("termbase", TermBase), ("search", SearchView)):
            object.__setattr__(self, name, part(self))

    @classmethod
    def of(cls, linked: Linked, key: str, rec: Recorder | None = None) -> View:
        return cls.all_of(linked, (key,), rec)[key]

    @classmethod
    def all_of(cls, linked: Linked, keys: tuple[str, ...], rec: Recorder | None = None) -> dict[str, View]:
        """A view of each of these trees, sharing their look-ups of links (the same in every
        language: at 10,000 speeches 60,000 targets, made once instead of once per tree)."""
        targets, back, rec, shared = dict(linked.targets), dict(linked.backlinks), rec or Recorder(), {}
        return {key: cls(linked, key, targets, back, rec=rec, _shared=shared) for key in keys}

    def at(self, here: str | None) -> View:
        """This view for the page in folder `here`, sharing what either computes for the whole tree."""
        view = copy.copy(self)
        object.__setattr__(view, "here", here)
        view.__post_init__()
        return view

    # ------------------------------------------------------------ basics
    @property
    def edition(self) -> Edition:
        return TrackedEdition(self.linked.edition, self.rec)  # type: ignore[return-value]

    @property
    def _ed(self) -> Edition:
        """The edition itself, for the view's own lookups (each method notes what it reads)."""
        return self.linked.edition

    @property
    def site(self) -> Site:
        return self._ed.site

    @property
    def language(self) -> Language:
        return self.site.language(self.key)

    @memo
    def ui(self) -> dict[str, str]:
        return i18n.ui(self.key)

    @property
    def others(self) -> tuple[Language, ...]:
        return tuple(lg for lg in self.site.languages if lg.key != self.key)

    def tag_of(self, key: str) -> str:
        return self.site.language(key).lang

    def link(self, path: str) -> str:
        """A URL for `path` (from the site root): relative to the page being rendered, if any."""
        return relative(path, self.here) if self.here is not None else base_path(self.site.base_url) + path

    def url(self, kind: str, ident: str = "", para: int | None = None, key: str | None = None,
            number: int = 1) -> str:
        return self.link(doc_path(key or self.key, kind, str(ident), number) + (f"#p{para}" if para else ""))

    def home_url(self, key: str | None = None) -> str:
        return self.link(f"{key or self.key}/")

    def root_url(self) -> str:
        return self.link("")

    @property
    def csp(self) -> str:
        """The Content-Security-Policy of every page (a <meta>, since GitHub Pages sets no headers)."""
        return CSP

    def asset(self, name: str) -> str:
        return self.link("theme/" + name)

    def absolute(self, url: str) -> str:
        """The absolute URL (canonical, feeds, citations) of a URL made by this view's `url`."""
        return urljoin(self.site.base_url + (self.here or ""), url)

    # ------------------------------------------------------------ text
    def text(self, b: Bilingual | None) -> Text | None:
        if b is None:
            return None
        value, key = b.pick(self.key, self.site.keys)
        return Text(value, key, self.tag_of(key), key != self.key)

    def other_texts(self, b: Bilingual) -> tuple[Text, ...]:
        """The texts besides the one `text` shows (which is another language's where this tree's is
        missing: a title given in the original alone is shown once, not twice)."""
        shown = b.pick(self.key, self.site.keys)[1]
        return tuple(Text(v, k, self.tag_of(k), True) for k, v in b.items if k not in (self.key, shown))

    def date(self, d: dt.date) -> str:
        return i18n.format_date(d, self.key)

    def date_range(self, a: dt.date, b: dt.date | None) -> str:
        return i18n.format_range(a, b, self.key)

    def lang_name(self, key: str, in_key: str | None = None) -> str:
        """The name of language `key` as the interface language `in_key` (default: this tree) writes it."""
        return i18n.language_name(key, in_key or self.key, self.site.language(key).name)

    def file_size(self, n: int) -> str:
        """A download's size as a reader judges it: kB under a megabyte, else MB with one decimal."""
        return self.ui["size_kb"].format(n=max(1, round(n / 1000))) if n < 1_000_000 \
            else self.ui["size_mb"].format(n=f"{n / 1_000_000:.1f}")

    @shared
    def _index(self) -> dict[tuple[str, str], Speech | Page | Person | Event]:
        ed = self._ed
        return {**{("speech", s.slug): s for s in ed.speeches}, **{("page", p.slug): p for p in ed.pages},
                **{("person", p.id): p for p in ed.people}, **{("event", e.id): e for e in ed.events}}

    def _lookup(self, kind: str, ident: str) -> object:
        self.rec.note(kind, ident, "exists")  # absent now and present later (or the reverse) is a change
        return self.rec.wrap(self._index.get((kind, ident)))

    def person(self, ident: str) -> Person | None:
        return self._lookup("person", ident)  # type: ignore[return-value]

    def event(self, ident: str) -> Event | None:
        return self._lookup("event", ident)  # type: ignore[return-value]

    def doc(self, kind: str, slug: str) -> Speech | Page | None:
        return self._lookup(kind, slug)  # type: ignore[return-value]

    # ------------------------------------------------------------ documents
    def role_of(self, doc: Speech | Page, key: str) -> str:
        if doc.kind != "speech":
            return "text"
        return "orig" if key == doc.original else "trans"  # type: ignore[union-attr]

    def rows(self, doc: Speech | Page) -> tuple[Row, ...]:
        """Aligned rows: the page language's cell first, then the others in site order."""
        sections = self.ordered(doc)
        count = max((len(s.blocks) for s in sections), default=0)
        rows = []
        for n in range(1, count + 1):
            cells = tuple(Cell(s.key, self.tag_of(s.key), self.role_of(doc, s.key),
                               self._typeset(s.key, self.termbase.mark(  # type: ignore[arg-type]
                                   doc, s.key, n, self.fill(doc, s.key, s.blocks[n - 1])))
                               if n <= len(s.blocks) else None)
                          for s in sections)
            rows.append(Row(n, cells))
        return tuple(rows)

    def _typeset(self, key: str, html: str) -> str:
        """Chinese cells get their punctuation runs marked (typeset.py); others are unchanged."""
        return typeset.punctuation(html) if self.tag_of(key).lower().startswith("zh") else html

    def missing(self, doc: Speech | Page) -> tuple[str, ...]:
        return tuple(k for k in self.site.keys if doc.section(k) is None)

    def notes(self, doc: Speech | Page) -> tuple[tuple[str, tuple[Note, ...]], ...]:
        return tuple((s.key, tuple(Note(n.number, n.label, self.fill(doc, s.key, n.html), n.block)
                                   for n in s.notes)) for s in self.ordered(doc) if s.notes)

    def marks(self, doc: Speech | Page) -> tuple[tuple[str, Mark], ...]:
        return tuple((s.key, m) for s in self.ordered(doc) for m in s.marks)

    def ordered(self, doc: Speech | Page) -> list[Section]:
        """The document's sections, the page language's first, then the others in site order."""
        order = (self.key, *(k for k in self.site.keys if k != self.key))
        return [s for k in order if (s := doc.section(k)) is not None]

    def backlinks(self, kind: str, ident: str) -> tuple[BackLink, ...]:
        self.rec.note("back", kind, ident)
        return self._back.get((kind, ident), ())

    def label(self, kind: str, ident: str) -> Text:
        if kind in ("speech", "page"):
            d = self.doc(kind, ident)
            return self.text(d.title) if d else Text(ident, self.key, self.language.lang, False)  # type: ignore[return-value]
        obj = self.person(ident) if kind == "person" else self.event(ident)
        return self.text(obj.name) if obj else Text(ident, self.key, self.language.lang, False)  # type: ignore[return-value,union-attr]

    def target(self, path: str, section_key: str, i: int) -> Target | None:
        """Where cross-link i of a document's section leads (the link stage resolved it), if anywhere."""
        return self._targets.get((path, section_key, i))

    def fill(self, doc: Speech | Page, section_key: str, fragment: str, form: str = "html") -> str:
        """A rendered fragment with its cross-links and asset paths made for this tree (fill.py)."""
        return fill.fill(self, doc, section_key, fragment, form)
