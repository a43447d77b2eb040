"""Render: turn the linked edition into the files of the site.

Input: `model.Linked`, the template folders (the site's first, then the theme's) and the static
files to copy. Output: `model.Rendered`: every page of every language tree, the language chooser,
404.html, sitemap.xml, robots.txt and .nojekyll, as bytes. Links were resolved before this
stage; templates only look URLs up through a `views.View`. The only module importing Jinja2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from .diagnostics import Diagnostic, error
from .model import Linked, OutputFile, Rendered, Speech
from .views import View, doc_path


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
           previous: tuple[Linked, Rendered] | None = None) -> Rendered:
    """Every file of the site. With `previous` (same templates), the pages of documents that did
    not change, and whose links and back-links did not change, are taken from it as they were."""
    env = environment(template_dirs)
    dirty = _dirty(previous[0], linked) if previous else None
    before = {f.path: f for f in previous[1].files} if previous and dirty is not None else {}
    site = linked.edition.site
    views = {lg.key: View.of(linked, lg.key) for lg in site.languages}
    first = views[site.languages[0].key]
    files: list[OutputFile] = []
    diags: list[Diagnostic] = []
    sitemap: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def page(template: str, kind: str, ident: str, **context: Any) -> None:
        alternates = tuple((v.language.lang, v.absolute(v.url(kind, ident))) for v in views.values())
        if kind != "search":  # a search page without a query is nothing to list for crawlers
            sitemap.extend((href, alternates) for _, href in alternates)
        for key, v in views.items():
            out = doc_path(key, kind, ident) + "index.html"
            if dirty is not None and (kind, ident) not in dirty and out in before:
                files.append(before[out])
                continue
            _emit(env, template, out, files, diags, v=v, kind=kind, ident=ident,
                  alternates=alternates, canonical=v.absolute(v.url(kind, ident)), **context)

    page("home.html", "home", "")
    page("search.html", "search", "")
    for speech in linked.edition.speeches:
        page("speech.html", "speech", speech.slug, doc=speech)
    for p in linked.edition.pages:
        page("page.html", "page", p.slug, doc=p)
    for person in linked.edition.people:
        page("person.html", "person", person.id, person=person)
    for event in linked.edition.events:
        page("event.html", "event", event.id, event=event)

    langs = tuple(views.values())
    _emit(env, "root.html", "index.html", files, diags, v=first, views=langs)
    _emit(env, "404.html", "404.html", files, diags, v=first, views=langs)
    _emit(env, "sitemap.xml", "sitemap.xml", files, diags, v=first, entries=tuple(sitemap))
    _emit(env, "robots.txt", "robots.txt", files, diags, v=first)
    files.append(OutputFile(".nojekyll", b""))
    if site.cname:
        files.append(OutputFile("CNAME", site.cname.encode() + b"\n"))
    return Rendered(tuple(files), static, tuple(diags))


def _dirty(prev: Linked, now: Linked) -> set[tuple[str, str]] | None:
    """The documents whose pages must be rendered again, or None when every page must."""
    a, b = prev.edition, now.edition
    nav = [(p.slug, p.title, p.order) for p in a.pages] != [(p.slug, p.title, p.order) for p in b.pages]
    if nav or (a.site, a.people, a.events, a.tags) != (b.site, b.people, b.events, b.tags):
        return None
    docs_a = {(d.kind, d.slug): d for d in (*a.speeches, *a.pages)}
    docs_b = {(d.kind, d.slug): d for d in (*b.speeches, *b.pages)}
    changed = {k for k in docs_a.keys() | docs_b.keys() if docs_a.get(k) != docs_b.get(k)}
    back_a, back_b = dict(prev.backlinks), dict(now.backlinks)
    dirty = changed | {k for k in back_a.keys() | back_b.keys() if back_a.get(k) != back_b.get(k)}
    by_path = {d.path: (d.kind, d.slug) for d in (*b.speeches, *b.pages)}
    for (path, _, _), target in now.targets:  # a link's label is the target's title
        if (target.kind, target.id) in changed and path in by_path:
            dirty.add(by_path[path])
    for s in b.speeches:  # the related list shows titles and whether a text exists
        if any(("speech", slug) in changed for slug, _, _ in s.related):
            dirty.add(("speech", s.slug))
    # Lists (home, a person's, an event's) show each speech's title, speakers, date, event.
    if [_item(s) for s in a.speeches] != [_item(s) for s in b.speeches]:
        dirty.add(("home", ""))
    for kind, ids, has in (("person", [p.id for p in b.people], lambda s, i: i in s.speakers),
                           ("event", [e.id for e in b.events], lambda s, i: s.event == i)):
        for i in ids:
            if [_item(s) for s in a.speeches if has(s, i)] != [_item(s) for s in b.speeches if has(s, i)]:
                dirty.add((kind, i))
    return dirty


def _item(s: Speech) -> tuple[object, ...]:
    return (s.slug, s.title, s.speakers, s.date, s.event, bool(s.sections))


def _emit(env: jinja2.Environment, template: str, out: str, files: list[OutputFile],
          diags: list[Diagnostic], **context: Any) -> None:
    try:
        text = env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as e:
        key = ("template", e.filename, e.lineno)
        if not any(d.code == "template" and (d.path, d.line) == key[1:] for d in diags):
            diags.append(error(_rel(e.filename or template), e.lineno, 0, "template", e.message or str(e),
                               "fix the template; a site's templates/ overrides the theme's"))
        return
    except jinja2.TemplateError as e:
        diags.append(error(_rel(template), 0, 0, "template", f"rendering {out}: {e}",
                           "templates get model objects: check the names against the theme's templates"))
        return
    files.append(OutputFile(out, text.encode("utf-8")))


def _rel(path: str) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()
