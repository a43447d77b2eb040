"""Validate: turn sources into a checked, typed edition.

Input: `model.Sources`. Output: `model.Edition` (site, people, events, tags, speeches newest
first, pages in order) with every problem found as a diagnostic. Front matter is read against
declared fields; bodies are parsed into aligned sections by the markdown package.
Cross-references between documents are the link stage's business.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import unquote

from . import markdown, workers
from .alignment import suspect_alignment
from .datafiles import TEXT_EXPORTS, as_read, events_file, people_file, site_file, tags_file, yaml_of
from .diagnostics import Diagnostic, did_you_mean, did_you_mean_language, error, one_of, warning
from .model import (
    EXPORTS_UP_TO,
    Bilingual,
    Edition,
    Event,
    Page,
    Section,
    Site,
    SourceFile,
    SourceInfo,
    Sources,
    Speech,
    TranslationInfo,
    Unread,
)
from .names import RESERVED_SLUGS, name_problem, shown
from .schema import ID_HINT, ID_RE, Reader
from .termbase import ignore_field, terms_file
from .yamlpos import Node

SPEECH_FIELDS = ("title", "speaker", "date", "event", "place", "original", "source", "translation",
                 "related", "tags", "summary", "draft", "terms")
PAGE_FIELDS = ("title", "order", "draft")


class Parsed(Protocol):
    """Where validated documents are kept between builds (cache.Cache), by the digest of their inputs."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object) -> None: ...


def validate(sources: Sources, drafts: bool = False, base_url: str | None = None,
             parsed: Parsed | None = None, jobs: int = 1) -> Edition:
    """The edition; raises ValidationFailed when site.yml is too broken to read anything else.

    With `parsed`, a document is validated only if no earlier build validated the same inputs: a
    document's validation is a function of its arguments (its file, the site, the people's ids and
    the events), and the key is the digest of exactly those.
    """
    diags: list[Diagnostic] = list(sources.diagnostics)
    by_path = {f.path: f for f in sources.files}
    site_source = by_path.get("content/site.yml")
    if site_source is None:
        diags.append(error("content/site.yml", 0, 0, "missing-file", "there is no content/site.yml",
                           "run the command in the root of a site repository, or create content/site.yml"))
        return _failed(diags)
    site = site_file(site_source, diags, base_url, sources.assets)
    if site is None:
        return _failed(diags)
    if not site.exports_chosen and sum(f.path.startswith("content/speeches/") for f in sources.files) \
            > EXPORTS_UP_TO:  # see model.EXPORTS_UP_TO; decided first, as parsing depends on it
        site = replace(site, exports=())
    keys = site.keys
    # A speaker or event is checked against the ids its file names, an entry with errors of its own
    # included (that entry is reported, not every speech that names it); not at all against a file
    # that could not be parsed, whose one error is the one to fix.
    people, person_ids = people_file(by_path.get("content/people.yml"), keys, diags)
    events, event_ids = events_file(by_path.get("content/events.yml"), keys, diags)
    tags = tags_file(by_path.get("content/tags.yml"), keys, diags)
    terms = terms_file(by_path.get("content/terms.yml"), keys, site.allow_html, diags)
    event_map = {e.id: e for e in events}

    speeches: list[Speech] = []
    pages: list[Page] = []
    # A document is given only what its validation reads (`datafiles.as_read`), and that is its key: a new site
    # title or event name validates nothing again. Whether a term base exists is part of it: without
    # one, a document keeps no `plain` forms.
    seen, seen_events = as_read(site, event_map)
    context = repr((seen, _sorted(person_ids), tuple(seen_events.values()), _sorted(event_ids), bool(terms))).encode()
    documents = [f for f in sources.files if f.path.startswith(("content/speeches/", "content/pages/"))]
    keys = [hashlib.sha256(b"\0".join((f.path.encode(), f.text.encode(), context))).hexdigest() for f in documents]
    entries = [parsed.get(key) if parsed is not None else None for key in keys]
    todo = [i for i, entry in enumerate(entries) if not (isinstance(entry, tuple) and len(entry) == 2)]
    # Parsing is most of this stage, and each document is parsed alone: on every core.
    made = workers.run(document, (seen, person_ids, seen_events, event_ids, bool(terms)), [documents[i] for i in todo],
                       jobs)
    for i, entry in zip(todo, made, strict=True):
        entries[i] = entry
        if parsed is not None:
            parsed.put(keys[i], entry)
    for doc, more in entries:  # type: ignore[misc]
        if doc is not None and doc.draft and not drafts:  # a draft left out is not read for its alignment
            more = tuple(d for d in more if d.code != "alignment-suspect")
        diags.extend(more)
        if isinstance(doc, Speech):
            speeches.append(doc)
        elif isinstance(doc, Page):
            pages.append(doc)
    # A link to one of these is reported as pointing at its file's own errors, not as a typo.
    unread = tuple(sorted((doc for doc, _ in entries if isinstance(doc, Unread)),  # type: ignore[misc]
                          key=lambda u: u.path))
    if not drafts:  # a draft's links are not checked unless drafts are built
        unread = tuple(replace(u, sections=(), related=()) if u.draft else u for u in unread)
    speech_slugs = {s.slug for s in speeches}
    for p in pages:
        if p.slug in speech_slugs:
            diags.append(error(p.path, 1, 1, "slug-clash",
                               f"the page `{p.slug}` has the same slug as a speech",
                               f"rename content/pages/{p.slug}.md: `[[{p.slug}]]` must name one document"))
    left_out = tuple(sorted(s.slug for s in speeches if s.draft) + sorted(p.slug for p in pages if p.draft))
    if not drafts:
        speeches = [s for s in speeches if not s.draft]
        pages = [p for p in pages if not p.draft]
    else:
        left_out = ()
    diags += _missing_assets((*speeches, *pages, *unread), set(sources.assets))
    speeches.sort(key=lambda s: (s.date, s.slug), reverse=True)
    pages.sort(key=lambda p: (p.order is None, p.order or 0, p.slug))
    return Edition(site, tuple(people), tuple(events), tuple(tags), tuple(speeches), tuple(pages),
                   left_out, unread, sources.revisions, tuple(diags), terms, person_ids, event_ids)


Ids = frozenset[str] | None  # the ids a data file names; None: the file could not be parsed


def _sorted(ids: Ids) -> tuple[str, ...] | None:
    return None if ids is None else tuple(sorted(ids))


def document(context: tuple[Site, Ids, dict[str, Event], Ids, bool], f: SourceFile
              ) -> tuple[Speech | Page | Unread, tuple[Diagnostic, ...]]:
    """One speech or page, validated and parsed, with its problems (in a worker, or not). With no
    term base (`context[4]` false) the blocks' `plain` forms are dropped once the alignment check
    has read them: nothing else does, and at 10,000 speeches they are 240 MB of the model."""
    site, person_ids, event_map, event_ids, term_base = context
    found: list[Diagnostic] = []
    doc = _speech(f, site, person_ids, event_map, event_ids, found) if f.path.startswith("content/speeches/") \
        else _page(f, site, found)
    if isinstance(doc, Speech) or (isinstance(doc, Unread) and doc.kind == "speech"):
        found += suspect_alignment(site, doc)  # left out for its own errors or not: all is said at once
    if isinstance(doc, (Speech, Page)) and not term_base:
        doc = replace(doc, sections=tuple(replace(s, plain=()) for s in doc.sections))
    return doc, tuple(found)


def _missing_assets(docs: tuple[Speech | Page | Unread, ...], assets: set[str]) -> list[Diagnostic]:
    """A link or image naming a file of content/assets/ that is not there (a broken image)."""
    out = []
    for doc in docs:
        for s in doc.sections:
            for url, path, line, col in s.assets:
                if "content/" + unquote(path) not in assets:
                    out.append(error(doc.path, line, col, "missing-asset",
                                     f"`{url}` names content/{unquote(path)}, which is not there",
                                     "put the file in content/assets/, or correct the path (from the "
                                     "document's folder, `../assets/…`; or `assets/…`)"))
    return out


def _failed(diags: list[Diagnostic]) -> None:
    raise ValidationFailed(tuple(diags))


class ValidationFailed(Exception):
    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        super().__init__(f"{len(diagnostics)} problems")
        self.diagnostics = diagnostics


def _front(f: SourceFile, diags: list[Diagnostic]) -> tuple[Node | None, str, int]:
    """The front matter's node, the body and the body's first line."""
    lines = f.text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        diags.append(error(f.path, 1, 1, "front-matter-missing", "the file does not start with front matter",
                           "begin the file with a line `---`, the YAML fields, and another `---`"))
        return None, "", 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            node = yaml_of(f, diags, "\n".join(lines[1:i]) + "\n", 2)
            if node is None and not any(d.path == f.path for d in diags):
                diags.append(error(f.path, 1, 1, "front-matter-empty", "the front matter is empty",
                                   "it needs at least `title`"))
            return node, "\n".join(lines[i + 1:]), i + 2
    diags.append(error(f.path, 1, 1, "front-matter-unclosed", "the front matter opened here is never closed",
                       "end the YAML fields with a line `---`"))
    return None, "", 1


def _slug(f: SourceFile, diags: list[Diagnostic]) -> str | None:
    slug = PurePosixPath(f.path).stem
    if not ID_RE.match(slug):
        diags.append(error(f.path, 1, 1, "bad-slug", f"the file name `{slug}.md` is not a valid slug", ID_HINT))
        return None
    if problem := name_problem(slug):
        diags.append(error(f.path, 1, 1, "bad-slug", f"the slug {shown(slug)} {problem}", "rename the file"))
        return None
    if f.path.startswith("content/pages/") and slug in RESERVED_SLUGS:
        diags.append(error(f.path, 1, 1, "reserved-slug",
                           f"the page slug `{slug}` is the name of the edition's own /{slug}/ section",
                           f"rename content/pages/{slug}.md; the reserved names are {one_of(RESERVED_SLUGS)}"))
        return None
    return slug


def _body(f: SourceFile, body: str, first: int, site: Site, diags: list[Diagnostic],
          original: str | None) -> tuple[Section, ...]:
    sections, more = markdown.parse_body(body, f.path, first, site.keys, site.allow_html,
                                         bool(set(site.exports) & TEXT_EXPORTS))
    diags.extend(more)
    # A note label or a mark that could not be read changes where blocks end: the count of blocks
    # then says nothing of the alignment, and that error is the one to fix.
    shifted = {d.line for d in more if d.code in BLOCK_SHIFTING and d.severity == "error"}
    if len(sections) >= 2:
        base = next((s for s in sections if s.key == original), sections[0])
        ends = {s.key: min((t.line for t in sections if t.line > s.line), default=1 << 30) for s in sections}
        for s in sections:
            if any(s.line <= n < ends[s.key] or base.line <= n < ends[base.key] for n in shifted):
                continue
            if s is not base and len(s.blocks) != len(base.blocks):
                diags.append(warning(
                    f.path, s.line, 1, "alignment",
                    f"the `{s.key}` section has {_blocks(len(s.blocks))} but the `{base.key}` section has "
                    f"{_blocks(len(base.blocks))}", "blocks are aligned by position: ¶N of one section faces ¶N of "
                    "the other; the extra blocks stand alone at the end"))
    # A section with no text yet (what `new` writes: a comment to fill in) is not part of the
    # edition: its page says so, as for a section left out.
    return tuple(s for s in sections if s.blocks)


BLOCK_SHIFTING = ("footnote-label", "mark-syntax", "comment-unclosed")


def _blocks(n: int) -> str:
    return f"{n} block{'' if n == 1 else 's'}"


def _speech(f: SourceFile, site: Site, people: Ids, events: dict[str, Event], event_ids: Ids,
            diags: list[Diagnostic]) -> Speech | Unread:
    slug = _slug(f, diags)
    node, body, first = _front(f, diags)
    if node is None:  # the fields cannot be read; the body still can
        return Unread(PurePosixPath(f.path).stem, f.path, _body(f, body, first, site, diags, None))
    keys = site.keys
    r = Reader(f.path, keys)
    fields = r.fields(node, "a speech", SPEECH_FIELDS, ("title", "speaker", "date", "original"))
    original = r.text(fields.get("original"), "original")
    if original is not None and original not in keys:
        r.err(fields["original"], "unknown-language", f"`original: {original}` is not a language of the site",
              did_you_mean_language(original, keys) or f"the language keys of site.yml are {one_of(keys)}")
        original = None
    default = original or keys[0]
    title = r.bilingual(fields.get("title"), "title", default)
    speakers = []
    for ident, n in r.ids(fields.get("speaker"), "speaker"):
        if people is not None and ident not in people:
            r.err(n, "unknown-person", f"speaker `{ident}` is not in people.yml",
                  did_you_mean(ident, people) or "add the person to content/people.yml")
        speakers.append(ident)
    if "speaker" in fields and not speakers and fields["speaker"].value is not None and not r.diagnostics:
        r.err(fields["speaker"], "missing-key", "`speaker` names nobody", "give an id of people.yml")
    date = r.date(fields.get("date"), "date")
    event = None
    if "event" in fields:
        ev = r.ids(fields["event"], "event")
        if ev:
            event, n = ev[0]
            if event_ids is not None and event not in event_ids:
                r.err(n, "unknown-event", f"event `{event}` is not in events.yml",
                      did_you_mean(event, events) or "add the event to content/events.yml")
    if date is not None and event in events:
        _within_event(r, fields["date"], date, events[event])
    place = r.bilingual(fields.get("place"), "place", default)
    if place is None and event in events:
        place = events[event].place
    source = translation = None
    if "source" in fields and fields["source"].value is not None:  # left empty: none
        sf = r.fields(fields["source"], "source", ("publisher", "url"))
        source = SourceInfo(r.text(sf.get("publisher"), "publisher"), r.url(sf.get("url"), "url"))
    if "translation" in fields and fields["translation"].value is not None:  # left empty: none
        tf = r.fields(fields["translation"], "translation", ("translator", "published", "url", "license"))
        translation = TranslationInfo(r.text(tf.get("translator"), "translator"),
                                      r.date(tf.get("published"), "published"),
                                      r.url(tf.get("url"), "url"), r.text(tf.get("license"), "license"))
    related = tuple((s, n.line, n.column) for s, n in r.ids(fields.get("related"), "related"))
    tags = tuple(t for t, _ in r.ids(fields.get("tags"), "tag"))
    summary = r.bilingual(fields.get("summary"), "summary", default)
    if summary:
        summary = Bilingual(tuple((k, markdown.render_inline(v, site.allow_html))
                                  for k, v in summary.items))
    draft = r.boolean(fields.get("draft"), "draft")
    ignored, reason = ignore_field(r, fields.get("terms"))
    diags.extend(r.diagnostics)
    sections = _body(f, body, first, site, diags, original)
    # Other problems are reported but do not hide the body: its links are still checked.
    if slug is None or title is None or date is None or original is None:
        return Unread(PurePosixPath(f.path).stem, f.path, sections, related, bool(draft),
                      original if original in keys else None, ignored)
    return Speech(slug, f.path, title, tuple(speakers), date, event, place, original, source, translation,
                  related, tags, summary, bool(draft), sections, ignored, reason)


def _within_event(r: Reader, node: Node, date: dt.date, event: Event) -> None:
    """A speech dated outside its event's days is a warning (a typo in one or the other)."""
    start, end = event.start, event.end
    if ((start is None or date >= start) and (end is None or date <= end)) or (start and end and end < start):
        return  # within its days, or the event's days are wrong, which events.yml's error says
    if start and end:
        days = f"is held on {start}" if start == end else f"runs from {start} to {end}"
    else:
        days = f"starts on {start}" if start else f"ends on {end}"
    r.diagnostics.append(warning(r.path, node.line, node.column, "date-outside-event",
                                 f"date {date} is outside event `{event.id}`, which {days}",
                                 "check the date, or the event's `start` and `end` in content/events.yml"))


def _page(f: SourceFile, site: Site, diags: list[Diagnostic]) -> Page | Unread:
    slug = _slug(f, diags)
    node, body, first = _front(f, diags)
    if node is None:
        return Unread(PurePosixPath(f.path).stem, f.path, _body(f, body, first, site, diags, None))
    keys = site.keys
    r = Reader(f.path, keys)
    fields = r.fields(node, "a page", PAGE_FIELDS, ("title",))
    title = r.bilingual(fields.get("title"), "title", keys[0])
    order = r.integer(fields.get("order"), "order")
    draft = r.boolean(fields.get("draft"), "draft")
    diags.extend(r.diagnostics)
    sections = _body(f, body, first, site, diags, None)
    if slug is None or title is None:
        return Unread(PurePosixPath(f.path).stem, f.path, sections, (), bool(draft))
    return Page(slug, f.path, title, order, sections, bool(draft))
