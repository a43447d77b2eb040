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
from .model import Linked, OutputFile, Rendered
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


def render(linked: Linked, template_dirs: tuple[str, ...], static: tuple[tuple[str, str], ...]) -> Rendered:
    env = environment(template_dirs)
    site = linked.edition.site
    views = {lg.key: View.of(linked, lg.key) for lg in site.languages}
    first = views[site.languages[0].key]
    files: list[OutputFile] = []
    diags: list[Diagnostic] = []
    sitemap: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def page(template: str, kind: str, ident: str, **context: Any) -> None:
        alternates = tuple((v.language.lang, v.absolute(v.url(kind, ident))) for v in views.values())
        sitemap.extend((href, alternates) for _, href in alternates)
        for key, v in views.items():
            out = doc_path(key, kind, ident) + "index.html"
            _emit(env, template, out, files, diags, v=v, kind=kind, ident=ident,
                  alternates=alternates, canonical=v.absolute(v.url(kind, ident)), **context)

    page("home.html", "home", "")
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
    return Rendered(tuple(files), static, tuple(diags))


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
