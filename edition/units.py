"""Units: the render stage's pieces of work, each the outputs made from one thing on every tree.

Input: a `RenderContext` (the linked edition, a view per language tree sharing one `Recorder`, the
template call and the source texts) and a unit id. Output: `UnitResult`: the unit's files, the
keys it read from the model (record.py) and its diagnostics — plain values, so a unit can be
rendered in a worker process and its result cached. `plan` lists the units of an edition in a
fixed order. A speech's unit is everything made from it: its page on every tree, the citation
files and the exports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import aligned, drawings, exports, tbx
from .diagnostics import Diagnostic
from .model import Linked, OutputFile, Part, Speech
from .record import Key, Recorder
from .urls import doc_path, paginate
from .views import View

UnitId = tuple[str, ...]
Emit = Callable[..., None]  # (template, output path, files, failures, **context)
Failures = dict[tuple[str, int, str, str], list[str]]  # (template, line, message, hint) -> output files


@dataclass(frozen=True)
class UnitResult:
    unit: UnitId
    files: tuple[OutputFile, ...]
    deps: tuple[Key, ...]
    diagnostics: tuple[Diagnostic, ...]
    failures: tuple[tuple[tuple[str, int, str, str], tuple[str, ...]], ...] = ()  # template errors, by place
    parts: tuple[Part, ...] = ()  # pieces of its files a later build may take as they are (no digests yet)


@dataclass(frozen=True)
class RenderContext:
    linked: Linked
    views: dict[str, View]  # one per language tree, in site order; all record into `rec`
    rec: Recorder
    emit: Emit
    texts: dict[str, str]  # source path -> text, for the Markdown export
    # What a unit keeps for the same unit of the next build in this process (a preview's): parts
    # of files by the digest of their input, so that a save does not make them all again.
    memo: dict[str, Any]
    reuse: dict[UnitId, tuple[Part, ...]]  # of each unit, the last build's parts whose inputs are unchanged

    @classmethod
    def make(cls, linked: Linked, emit: Emit, texts: dict[str, str], rec: Recorder,
             memo: dict[str, Any] | None = None, reuse: dict[UnitId, tuple[Part, ...]] | None = None
             ) -> RenderContext:
        views = View.all_of(linked, linked.edition.site.keys, rec)
        return cls(linked, views, rec, emit, texts, {} if memo is None else memo, reuse or {})

    @property
    def first(self) -> View:
        return next(iter(self.views.values()))


LISTS = {"person": "person.html", "event": "event.html", "tag": "list.html", "year": "list.html",
         "speeches": "list.html"}


def plan(linked: Linked) -> tuple[UnitId, ...]:
    """Every unit of the edition, in the order the site is laid out."""
    ed = linked.edition
    v = View.of(linked, ed.site.keys[0])
    return (("home",), ("search",), ("list", "speeches", ""),
            *(("index", k) for k in ("people", "events", "tags", "years")), ("timeline",),
            *(("speech", s.slug) for s in ed.speeches), *(("page", p.slug) for p in ed.pages),
            *(("list", "person", p.id) for p in ed.people), *(("list", "event", e.id) for e in ed.events),
            *(("list", "tag", t) for t, _name, _n in v.browse.tags),
            *(("list", "year", str(y)) for y, _n in v.browse.years),
            *((("terms",), *(("term", t.id) for t in ed.terms)) if ed.terms else ()),
            ("root",), ("sitemap",), ("robots",), ("feed",), ("aligned",), ("static",))


def pages(v: View) -> list[tuple[str, str, int]]:
    """(kind, id, page number) of every HTML page of a tree, in plan order (the sitemap's)."""
    ed = v.edition
    out: list[tuple[str, str, int]] = [("home", "", 1), ("search", "", 1)]
    out += [("speeches", "", p.number) for p in paginate("speeches", "", ed.speeches)]
    out += [(k, "", 1) for k in ("people", "events", "tags", "years", "timeline")]
    out += [("speech", s.slug, 1) for s in ed.speeches] + [("page", p.slug, 1) for p in ed.pages]
    out += [("downloads", "", 1)] if set(ed.site.exports) & set(aligned.ALIGNED) else []
    for kind, idents, items in (("person", [p.id for p in ed.people], v.browse.speeches_by),
                                ("event", [e.id for e in ed.events], v.browse.speeches_at),
                                ("tag", [t for t, _name, _n in v.browse.tags], v.browse.speeches_tagged),
                                ("year", [str(y) for y, _n in v.browse.years], v.browse.speeches_in)):
        for ident in idents:
            out += [(kind, ident, p.number) for p in paginate(kind, ident, items(ident))]  # type: ignore[operator]
    if ed.terms:
        out.append(("terms", "", 1))
        for term in ed.terms:
            out += [("term", term.id, p.number) for p in paginate("term", term.id, v.termbase.concordance(term.id))]  # type: ignore[arg-type]
    return out


def render_unit(ctx: RenderContext, unit: UnitId) -> UnitResult:
    files: list[OutputFile] = []
    failed: Failures = {}
    ctx.rec.start()
    ctx.rec.note("site")  # every output shows the site's title, languages and base URL
    parts = _UNITS[unit[0]](ctx, unit, files, failed) or ()
    return UnitResult(unit, tuple(files), ctx.rec.stop(), (),
                      tuple((place, tuple(pages)) for place, pages in failed.items()), parts)


# ---------------------------------------------------------------- the units

def _page(ctx: RenderContext, files: list[OutputFile], failed: Failures, template: str, kind: str,
          ident: str = "", number: int = 1, **context: Any) -> None:
    alternates = tuple((v.language.lang, v.absolute(v.url(kind, ident, number=number))) for v in ctx.views.values())
    for key, v in ctx.views.items():
        folder = doc_path(key, kind, ident, number)
        ctx.emit(template, folder + "index.html", files, failed, v=v.at(folder), kind=kind, ident=ident, number=number,
                 alternates=alternates, canonical=v.absolute(v.url(kind, ident, number=number)), **context)


def _listing(ctx: RenderContext, files: list[OutputFile], failed: Failures, template: str, kind: str,
             ident: str, items: tuple[Speech, ...], **context: Any) -> None:
    for pager in paginate(kind, ident, items):
        _page(ctx, files, failed, template, kind, ident, pager.number, pager=pager, **context)


def _single(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    kind = unit[0] if unit[0] != "index" else unit[1]
    context = {"drawing": drawings.timeline(ctx.first.edition.speeches)} if kind == "timeline" else {}
    _page(ctx, files, failed, f"{kind}.html", kind, **context)


def _list(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    _, kind, ident = unit
    v = ctx.first
    if kind == "speeches":
        _listing(ctx, files, failed, "list.html", kind, "", v.edition.speeches)
    elif kind == "person":
        _listing(ctx, files, failed, "person.html", kind, ident, v.browse.speeches_by(ident), person=v.person(ident))
    elif kind == "event":
        held = v.browse.speeches_at(ident)
        pairs = []
        for s in held:
            for t in v.browse.cites(s):
                cited = v.doc("speech", t.id) if t.kind == "speech" and t.id != s.slug else None
                if cited is not None and cited.event == ident:  # type: ignore[union-attr]
                    pairs.append((s.slug, t.id))
        _listing(ctx, files, failed, "event.html", kind, ident, held, event=v.event(ident),
                 arcs=drawings.arcs(held, tuple(pairs)) if pairs else None)
    else:
        items = v.browse.speeches_tagged(ident) if kind == "tag" else v.browse.speeches_in(ident)
        _listing(ctx, files, failed, "list.html", kind, ident, items)


def _speech(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    first, views = ctx.first, ctx.views
    speech: Speech = first.doc("speech", unit[1])  # type: ignore[assignment]
    citing = tuple(dict.fromkeys((b.source_kind, b.source) for b in first.backlinks("speech", speech.slug)
                                 if b.via == "link"))
    cited = tuple((t.kind, t.id) for t in first.browse.cites(speech))
    _page(ctx, files, failed, "speech.html", "speech", speech.slug, doc=speech,
          web=drawings.web("speech", speech.slug, citing, cited) if citing or cited else None)
    path = speech.path
    ctx.rec.note("source", path)
    # its citation records and its texts for other tools, in the formats the site asks for
    files.extend(exports.speech_files(views, speech, ctx.texts.get(path)))


def _doc_page(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    _page(ctx, files, failed, "page.html", "page", unit[1], doc=ctx.first.doc("page", unit[1]))


def _root(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    langs = tuple(ctx.views.values())
    ctx.emit("root.html", "index.html", files, failed, v=ctx.first.at(""), views=tuple(w.at("") for w in langs))
    # 404.html is served for a missing URL at any depth: its links stay under the base path.
    ctx.emit("404.html", "404.html", files, failed, v=ctx.first, views=langs)


def _sitemap(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    first, langs = ctx.first, tuple(ctx.views.values())
    homes = tuple((v.language.lang, v.absolute(v.home_url())) for v in langs)
    entries: list[tuple[str, tuple[tuple[str, str], ...], str | None]] = [
        (first.absolute(first.root_url()), homes, None)]  # the language chooser; then (URL, alternates, lastmod)
    for kind, ident, number in pages(first):
        if kind == "search":  # a search page without a query is nothing to list for crawlers
            continue
        alternates = tuple((v.language.lang, v.absolute(v.url(kind, ident, number=number))) for v in langs)
        lastmod = first.cite.last_revised(kind, ident)
        entries.extend((href, alternates, lastmod) for _, href in alternates)
    ctx.emit("sitemap.xml", "sitemap.xml", files, failed, v=ctx.first, entries=tuple(entries))


def _robots(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    ctx.emit("robots.txt", "robots.txt", files, failed, v=ctx.first)


def _feed(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    for key, v in ctx.views.items():
        ctx.emit("feed.xml", f"{key}/feed.xml", files, failed, v=v, speeches=v.edition.speeches[:50])


def _aligned(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> tuple[Part, ...]:
    """The edition's aligned pairs, compressed, and the page of each tree that offers them with their sizes."""
    memo = ctx.memo.setdefault("aligned", {})
    if (read := ctx.memo.pop("aligned_from", None)) is not None and not memo:  # see render.memo_from
        memo.update(aligned.members(read(), ctx.reuse.get(unit, ())))
    made, parts = aligned.edition_files(ctx.views, ctx.first.edition.speeches, memo, ctx.reuse.get(unit, ()), ctx.rec)
    files.extend(f for _, f in made)
    if made:
        downloads = tuple((fmt, f.path, len(f.data)) for fmt, f in made)
        _page(ctx, files, failed, "downloads.html", "downloads", downloads=downloads)
    return parts


def _terms(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    """The term base: its index and its TBX and CSV exports."""
    ed = ctx.first.edition
    _page(ctx, files, failed, "terms.html", "terms")
    files.append(OutputFile(f"{exports.FOLDER}/terms.tbx", tbx.term_base_tbx(ed).encode()))
    files.append(OutputFile(f"{exports.FOLDER}/terms.csv", tbx.term_base_csv(ed).encode()))


def _term(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    """A term's pages: the term and its concordance (the rows of that term alone: a save re-renders
    the terms whose rows changed, and a cold build spreads the terms over the cores)."""
    v = ctx.first
    term = v.termbase.term(unit[1])
    if term is not None:
        _listing(ctx, files, failed, "term.html", "term", term.id, v.termbase.concordance(term.id), term=term)  # type: ignore[arg-type]


def _static(ctx: RenderContext, unit: UnitId, files: list[OutputFile], failed: Failures) -> None:
    files.append(OutputFile(".nojekyll", b""))
    site = ctx.linked.edition.site
    if site.cname:
        files.append(OutputFile("CNAME", site.cname.encode() + b"\n"))


_UNITS: dict[str, Callable[[RenderContext, UnitId, list[OutputFile], Failures], tuple[Part, ...] | None]] = {
    "home": _single, "search": _single, "index": _single, "timeline": _single, "list": _list,
    "speech": _speech, "page": _doc_page, "root": _root, "sitemap": _sitemap, "robots": _robots,
    "feed": _feed, "aligned": _aligned, "terms": _terms, "term": _term, "static": _static}
