"""Render: turn the linked edition into the files of the site.

Input: `model.Linked`, the template folders (the site's first, then the theme's) and the static
files to copy. Output: `model.Rendered`: every page of every language tree, the language chooser,
404.html, sitemap.xml, robots.txt and .nojekyll, as bytes. Links were resolved before this
stage; templates only look URLs up through a `views.View`. The only module importing Jinja2.
"""

from __future__ import annotations

import importlib
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from . import cite, drawings, exports, tbx
from .diagnostics import Diagnostic, did_you_mean, error, site_path
from .model import Linked, OutputFile, Rendered, Speech
from .views import PATHS, View, doc_path, paginate


def environment(template_dirs: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(template_dirs)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["ui_of"] = _ui_of
    return env


def _ui_of(key: str) -> dict[str, str]:
    from . import i18n

    return i18n.ui(key)


def render(linked: Linked, template_dirs: tuple[str, ...], static: tuple[tuple[str, str], ...],
           previous: tuple[Linked, Rendered] | None = None, sources: dict[str, str] | None = None,
           root: str = "") -> Rendered:
    """Every file of the site. With `previous` (same templates), the pages of documents that did
    not change, and whose links and back-links did not change, are taken from it as they were."""
    env = environment(template_dirs)
    dirty, lists_changed = _dirty(previous[0], linked) if previous else (None, True)
    before = {f.path: f for f in previous[1].files} if previous and dirty is not None else {}
    concordance_changed = previous is None or previous[0].concordance != linked.concordance
    site = linked.edition.site
    views = {lg.key: View.of(linked, lg.key) for lg in site.languages}
    first = views[site.languages[0].key]
    files: list[OutputFile] = []
    failed: Failures = {}
    sitemap: list[tuple[str, tuple[tuple[str, str], ...], str | None]] = []  # (URL, alternates, lastmod)

    def page(template: str, kind: str, ident: str = "", number: int = 1, **context: Any) -> None:
        alternates = tuple((v.language.lang, v.absolute(v.url(kind, ident, number=number))) for v in views.values())
        if kind != "search":  # a search page without a query is nothing to list for crawlers
            lastmod = first.last_revised(kind, ident)
            sitemap.extend((href, alternates, lastmod) for _, href in alternates)
        reusable = dirty is not None and (kind, ident) not in dirty and (kind not in LISTS or not lists_changed) \
            and (kind not in ("terms", "term") or not concordance_changed)
        for key, v in views.items():
            folder = doc_path(key, kind, ident, number)
            out = folder + "index.html"
            if reusable and out in before:
                files.append(before[out])
                continue
            _emit(env, template, out, files, failed, v=v.at(folder), kind=kind, ident=ident, number=number,
                  alternates=alternates, canonical=v.absolute(v.url(kind, ident, number=number)), **context)

    def derived(path: str, speech: Speech, make: Callable[[], str]) -> None:
        """A file made from one speech: taken from the last build while that speech's page is."""
        if dirty is not None and ("speech", speech.slug) not in dirty and path in before:
            files.append(before[path])
        else:
            files.append(OutputFile(path, make().encode()))

    def listing(template: str, kind: str, ident: str, items: tuple[Speech, ...], **context: Any) -> None:
        for pager in paginate(kind, ident, items):
            page(template, kind, ident, pager.number, pager=pager, **context)

    ed = linked.edition
    page("home.html", "home")
    page("search.html", "search")
    listing("list.html", "speeches", "", ed.speeches)
    for index_kind in ("people", "events", "tags", "years"):
        page(f"{index_kind}.html", index_kind)
    page("timeline.html", "timeline", drawing=drawings.timeline(ed.speeches))
    for speech in ed.speeches:
        citing = tuple(dict.fromkeys((b.source_kind, b.source) for b in first.backlinks("speech", speech.slug)
                                     if b.via == "link"))
        cited = tuple((t.kind, t.id) for t in first.cites(speech))
        page("speech.html", "speech", speech.slug, doc=speech,
             web=drawings.web("speech", speech.slug, citing, cited) if citing or cited else None)
        for key, v in views.items():  # the reference as files reference managers import
            folder = doc_path(key, "speech", speech.slug)
            for name, fmt in (("cite.bib", cite.bibtex), ("cite.ris", cite.ris), ("cite.json", cite.csl_json)):
                derived(folder + name, speech, lambda v=v, fmt=fmt, s=speech: fmt(v.citation(s)))
    for p in ed.pages:
        page("page.html", "page", p.slug, doc=p)
    for person in ed.people:
        listing("person.html", "person", person.id, first.speeches_by(person.id), person=person)
    slugs_of = {s.slug: s for s in ed.speeches}
    for event in ed.events:
        held = first.speeches_at(event.id)
        pairs = tuple((s.slug, t.id) for s in held for t in first.cites(s)
                      if t.kind == "speech" and t.id != s.slug and slugs_of[t.id].event == event.id)
        listing("event.html", "event", event.id, held, event=event,
                arcs=drawings.arcs(held, pairs) if pairs else None)
    for tag, _name, _count in first.tags:
        listing("list.html", "tag", tag, first.speeches_tagged(tag))
    for year, _count in first.years:
        listing("list.html", "year", str(year), first.speeches_in(year))
    if ed.terms:
        page("terms.html", "terms")
        for term in ed.terms:
            listing("term.html", "term", term.id, first.concordance(term.id), term=term)  # type: ignore[arg-type]

    langs = tuple(views.values())
    _emit(env, "root.html", "index.html", files, failed, v=first.at(""), views=tuple(w.at("") for w in langs))
    # 404.html is served for a missing URL at any depth: its links stay under the base path.
    _emit(env, "404.html", "404.html", files, failed, v=first, views=langs)
    homes = tuple((v.language.lang, v.absolute(v.home_url())) for v in langs)
    sitemap.insert(0, (first.absolute(first.root_url()), homes, None))  # the language chooser
    _emit(env, "sitemap.xml", "sitemap.xml", files, failed, v=first, entries=tuple(sitemap))
    _emit(env, "robots.txt", "robots.txt", files, failed, v=first)
    for key, v in views.items():
        _emit(env, "feed.xml", f"{key}/feed.xml", files, failed, v=v, speeches=ed.speeches[:50])
    for speech in ed.speeches:  # the texts for other tools, beside the pages
        where = exports.paths(speech.slug)
        derived(where["json"], speech, lambda speech=speech: exports.speech_json(views, speech))
        derived(where["tei"], speech, lambda speech=speech: exports.speech_tei(views, speech))
        for sec in speech.sections:
            derived(where["text"].format(key=sec.key), speech,
                    lambda speech=speech, key=sec.key: exports.speech_text(views, speech, key))
        if sources and speech.path in sources:
            derived(where["source"], speech, lambda speech=speech: sources[speech.path])
    files.append(OutputFile(f"{exports.FOLDER}/aligned.tsv", exports.aligned_tsv(views, ed.speeches).encode()))
    files.append(OutputFile(f"{exports.FOLDER}/aligned.tmx", exports.aligned_tmx(views, ed.speeches).encode()))
    if ed.terms:
        files.append(OutputFile(f"{exports.FOLDER}/terms.tbx", tbx.term_base_tbx(ed).encode()))
        files.append(OutputFile(f"{exports.FOLDER}/terms.csv", tbx.term_base_csv(ed).encode()))
    files.append(OutputFile(".nojekyll", b""))
    if site.cname:
        files.append(OutputFile("CNAME", site.cname.encode() + b"\n"))
    return Rendered(tuple(files), static, tuple(template_diagnostics(failed, root)))


LISTS = {"home", "speeches", "people", "events", "tags", "years", "timeline", "person", "event", "tag", "year"}


def _dirty(prev: Linked, now: Linked) -> tuple[set[tuple[str, str]] | None, bool]:
    """The pages that must be rendered again (None: every page), and whether the lists must."""
    a, b = prev.edition, now.edition
    nav = [(p.slug, p.title, p.order) for p in a.pages] != [(p.slug, p.title, p.order) for p in b.pages]
    if nav or (a.site, a.people, a.events, a.tags, a.revisions, a.terms) != \
            (b.site, b.people, b.events, b.tags, b.revisions, b.terms):
        return None, True
    docs_a = {(d.kind, d.slug): d for d in (*a.speeches, *a.pages)}
    docs_b = {(d.kind, d.slug): d for d in (*b.speeches, *b.pages)}
    changed = {k for k in docs_a.keys() | docs_b.keys() if docs_a.get(k) != docs_b.get(k)}
    back_a, back_b = dict(prev.backlinks), dict(now.backlinks)
    dirty = changed | {k for k in back_a.keys() | back_b.keys() if back_a.get(k) != back_b.get(k)}
    by_path = {d.path: (d.kind, d.slug) for d in (*b.speeches, *b.pages)}
    for (path, _, _), target in now.targets:  # a link's label is the target's title
        if (target.kind, target.id) in changed and path in by_path:
            dirty.add(by_path[path])
    for key, links in back_b.items():  # a back-link shows the citing document's title
        if any((x.source_kind, x.source) in changed for x in links):
            dirty.add(key)
    sug_a, sug_b = dict(prev.suggestions), dict(now.suggestions)
    for s in b.speeches:  # related lists show titles and whether a text exists
        shown = [slug for slug, _, _ in s.related] + [x.slug for x in sug_b.get(s.slug, ())]
        if sug_a.get(s.slug) != sug_b.get(s.slug) or any(("speech", slug) in changed for slug in shown):
            dirty.add(("speech", s.slug))
    # Lists show each speech's title, speakers, date, event and tags.
    return dirty, [_item(s) for s in a.speeches] != [_item(s) for s in b.speeches]


def _item(s: Speech) -> tuple[object, ...]:
    return (s.slug, s.title, s.speakers, s.date, s.event, s.tags, bool(s.sections))


Failures = dict[tuple[str, int, str, str], list[str]]  # (template, line, message, hint) -> output files


def _emit(env: jinja2.Environment, template: str, out: str, files: list[OutputFile],
          failed: Failures, **context: Any) -> None:
    try:
        text = env.get_template(template).render(**context)
    except Exception as e:  # a template, or a view it calls: a diagnostic, never a traceback
        failed.setdefault(_failure(e, env, template, context), []).append(out)
        return
    files.append(OutputFile(out, text.encode("utf-8")))


def template_diagnostics(failed: Failures, root: str) -> list[Diagnostic]:
    """One error per template place, however many pages it broke (a typo in speech.html breaks
    every speech page of every language)."""
    out = []
    for (path, line, message, hint), pages in failed.items():
        where = f"`{pages[0]}`" if len(pages) == 1 else f"{len(pages)} pages, e.g. `{pages[0]}`"
        out.append(error(site_path(path, root), line, 0, "template", f"{message} (in {where})", hint))
    return out


def _failure(e: Exception, env: jinja2.Environment, template: str, context: dict[str, Any]
             ) -> tuple[str, int, str, str]:
    """Where in which template the error happened, what it is, and a hint, in a template author's terms."""
    if isinstance(e, jinja2.TemplateSyntaxError):
        return e.filename or template, e.lineno, e.message or str(e), \
            "fix the template; a site's templates/ overrides the theme's"
    path, line = template, 0
    for frame, lineno in traceback.walk_tb(e.__traceback__):  # Jinja puts template lines in the traceback
        name = frame.f_code.co_filename
        if any(Path(name).is_relative_to(d) for d in getattr(env.loader, "searchpath", ())):
            path, line = name, lineno
    hint = "templates get model objects: check the names against the theme's templates"
    if isinstance(e, jinja2.TemplateNotFound):
        return path, line, f"there is no template `{e.name}`", \
            "templates are looked up in the site's templates/, then in the theme's"
    if isinstance(e, jinja2.UndefinedError):
        message = str(e)
        if m := re.fullmatch(r"'(.+)' is undefined", message):
            names = [*context, *env.globals]
            return path, line, f"`{m.group(1)}` is undefined", did_you_mean(m.group(1), names) or hint
        if m := re.fullmatch(r"'?([\w.]+?)(?: object)?'? has no (?:attribute|element) '?(.*?)'?", message):
            kind, attr = m.groups()
            owner = _class(kind)
            names = [n for n in (*dir(owner), *getattr(owner, "__dataclass_fields__", ())) if n[:1] != "_"] \
                if owner else []
            return path, line, f"{_described(kind)} has no attribute `{attr}`", did_you_mean(attr, names) or hint
        return path, line, message, hint
    if isinstance(e, jinja2.TemplateError):
        return path, line, str(e), hint
    if isinstance(e, KeyError) and e.args:
        name = str(e.args[0])
        return path, line, f"a call on this line failed: `{name}` is not a known name", \
            did_you_mean(name, PATHS) or hint
    return path, line, f"a call on this line failed: {e}", hint


def _class(kind: str) -> type | None:
    """The model or view class a Jinja message names (`edition.model.Speech`)."""
    module, _, name = kind.rpartition(".")
    if not module.startswith("edition"):
        return None
    found = getattr(importlib.import_module(module), name, None)
    return found if isinstance(found, type) else None


def _described(kind: str) -> str:
    """`edition.model.Speech` as "a speech", `dict` as "a mapping": no Python names for editors."""
    plain = {"dict": "a mapping", "str": "a text", "list": "a list", "tuple": "a list", "int": "a number",
             "float": "a number", "None": "an empty value (none)", "bool": "true or false"}
    if kind in plain:
        return plain[kind]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind.rpartition(".")[2]).lower()
    return ("an " if words[:1] in "aeiou" else "a ") + words
