"""Render: turn the linked edition into the files of the site.

Input: `model.Linked`, the template folders (the site's first, then the theme's) and the static
files to copy. Output: `model.Rendered`: every page of every language tree, the language chooser,
404.html, sitemap.xml, robots.txt and .nojekyll, as bytes. Links were resolved before this
stage; templates only look URLs up through a `views.View`. The only module importing Jinja2.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2

from . import aligned, workers
from .diagnostics import Diagnostic, did_you_mean, error, site_path
from .model import Linked, OutputFile, Part, Rendered, UnitRecord
from .record import Inputs, Known, Recorder, Tracked, untracked
from .units import RenderContext, UnitId, UnitResult, plan, render_unit
from .urls import PATHS
from .views import MOVED, View


def environment(template_dirs: tuple[str, ...], rec: Recorder | None = None) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(list(template_dirs)),
        # Escaped for HTML and XML; a plain-text file (robots.txt) says its URLs as they are.
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default_for_string=True, default=True),
        undefined=_Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # An environment lives while the templates' digest holds (`_session_env`): asking the
        # file system whether each template changed, at every page, would only cost (2 % of render).
        auto_reload=False,
    )
    env.globals["ui_of"] = _ui_of
    env.rec = rec or Recorder()
    return env


def _ui_of(key: str) -> dict[str, str]:
    from . import i18n

    return i18n.ui(key)


class _Environment(jinja2.Environment):
    """Jinja's environment, noting each template an output uses (see record.py)."""

    rec: Recorder

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        if isinstance(name, str):
            self.rec.note("template", name)
        return super().get_template(name, parent, globals)


class _Undefined(jinja2.StrictUndefined):
    """A tracked object's missing attribute is reported as the model object's (a speech has no
    `titel`). Made here, on a miss, rather than in the environment's `getattr`, which every
    attribute a template reads goes through (millions at 1,000 speeches)."""

    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = jinja2.utils.missing, name: str | None = None,
                 exc: type[jinja2.exceptions.TemplateRuntimeError] = jinja2.UndefinedError) -> None:
        super().__init__(hint, untracked(obj) if isinstance(obj, Tracked) else obj, name, exc)


MEMO_FILES = tuple(aligned.ALIGNED.values())  # the output files `memo_from` reads


def memo_from(read: Callable[[], dict[str, bytes]]) -> dict[str, Any]:
    """The renderer's memo (`render`'s `session["memo"]`) for a build that does not follow another
    in the same process (the CLI): `read` gives the last output's aligned downloads (the writer
    reads them), whose compressed members the aligned unit reuses — read only when that unit is
    rendered again, so that a build that keeps it reads nothing."""
    return {"aligned_from": read}


def render(linked: Linked, template_dirs: tuple[str, ...], static: tuple[tuple[str, str], ...],
           sources: dict[str, str] | None = None, previous: tuple[UnitRecord, ...] = (),
           usable: Callable[[UnitRecord], bool] | None = None, known: Known | None = None,
           fields: dict[tuple[str, str], dict[str, str]] | None = None, session: dict[str, Any] | None = None,
           templates: str = "", root: str = "", sink: Sink | None = None, jobs: int = 1,
           searched: Callable[[tuple[str, ...], tuple[str, ...]], None] | None = None) -> tuple[Rendered, Known]:
    """Every file of the site, unit by unit (units.py). A unit of `previous` (the last build's
    record) whose inputs all have the digests they had then is not rendered again: its files are
    the ones already in the output (`Rendered.kept`), when `usable` says they still are. Returns
    the inputs' values and digests too, for the next build of a preview (`known`). `session`
    keeps the compiled templates for a preview's next build while `templates` (their digest) holds.

    The units are rendered by `jobs` processes (workers.py), each with the whole context. With a
    `sink`, each unit's files go to it from the process that made them (the writer streams them
    into the staged site), and `Rendered.files` is empty: no process holds the whole site.

    The units whose pages the search index reads (speeches, pages) are rendered first; once the
    last of them is made, `searched(kept, searchable)` is called with their files not rendered
    again and their pages with a search body, so that the index can start beside the rest."""
    texts = sources or {}
    rec = Recorder()
    env = _session_env(session, template_dirs, templates, rec)
    failed: Failures = {}
    inputs = Inputs(linked, template_dirs, texts, known, fields)
    before = {r.unit: r for r in previous}
    files: list[OutputFile] = []
    diags: list[Diagnostic] = []
    records: dict[tuple[str, ...], UnitRecord] = {}
    units = plan(linked)
    todo: list[UnitId] = []
    kept_files: dict[UnitId, list[str]] = {}  # in plan order at the end, as if checked in one pass
    reuse: dict[UnitId, tuple[Part, ...]] = {}  # of a unit rendered again, its pieces that need not be

    def check(batch: list[UnitId]) -> None:
        for unit in batch:
            old = before.get(unit)
            if old is not None and inputs.unchanged(old.deps) and (usable is None or usable(old)):
                records[unit] = old
                kept_files[unit] = [path for path, _ in old.files]
            else:
                todo.append(unit)
                if old is not None and old.parts:
                    reuse[unit] = tuple(p for p in old.parts if inputs.unchanged(p.deps))

    made: list[str] = []

    def run(ctx: RenderContext, batch: list[UnitId], to_search: int) -> None:
        for result, digests, searchable in workers.run(_one, (ctx, sink), batch, jobs, cut=to_search):
            files.extend(result.files)
            made.extend(path for path, _ in digests)
            diags.extend(result.diagnostics)
            for place, pages in result.failures:  # one diagnostic per template place, across units
                failed.setdefault(place, []).extend(pages)
            parts = tuple(replace(p, digests=tuple(inputs.digest(k) for k in p.reads)) for p in result.parts)
            records[result.unit] = UnitRecord(result.unit, tuple((k, inputs.digest(k)) for k in result.deps),
                                              digests, result.diagnostics, searchable, parts)
            if result.unit[0] in SEARCHED:
                to_search -= 1
                if to_search == 0 and searched is not None:
                    searched(tuple(p for u in units if u[0] in SEARCHED and u in kept_files for p in kept_files[u]),
                             tuple(p for u in units if u[0] in SEARCHED for p in records[u].searchable))

    # The units the search index reads first, so that it starts as soon as it can (after one text
    # edit: before the edition-wide downloads are made again, 1.6 s at 1,000 speeches); then those
    # that read the whole edition, beside which the index and the lists keep the cores busy (the
    # order of the output and of the records does not change).
    check([u for u in units if u[0] in SEARCHED])
    # After an edit, the few pages the index reads are made here in this process (workers.run does
    # so with few items), and the index starts before the other units are even checked (at 10,000
    # speeches 1.1 s of the 2.7 s those checks take); a cold build checks all at once, to render on
    # the cores in one go.
    early = searched is not None and len(todo) <= workers.CHUNK
    searched_todo = len(todo)
    if not early:
        check([u for u in units if u[0] not in SEARCHED])
    emit = lambda *a, **k: _emit(env, *a, **k)  # noqa: E731
    ctx = RenderContext.make(linked, emit, texts, rec, session.setdefault("memo", {}) if session is not None else None,
                             dict(reuse))
    todo.sort(key=lambda u: (u[0] not in SEARCHED, u[0] not in WHOLE_EDITION))
    run(ctx, todo if not early else todo[:searched_todo], searched_todo)
    if early:
        check([u for u in units if u[0] not in SEARCHED])
        rest = sorted(todo[searched_todo:], key=lambda u: u[0] not in WHOLE_EDITION)
        run(replace(ctx, reuse=dict(reuse)), rest, 0)
    kept = [p for u in units if u in kept_files for p in kept_files[u]]
    diags[:0] = [d for u in units if u in kept_files for d in records[u].diagnostics]
    rendered = Rendered(tuple(files), static, (*diags, *template_diagnostics(failed, root)), tuple(kept),
                        tuple(records[u] for u in units), tuple(made))
    return rendered, inputs.values


def render_units(linked: Linked, template_dirs: tuple[str, ...], units: tuple[UnitId, ...],
                 session: dict[str, Any], templates: str, texts: dict[str, str]) -> tuple[OutputFile, ...] | None:
    """The files of `units` alone, as `render` makes them (a preview's first look, firstlook.py);
    None if a template failed (the full build reports it). `session` keeps the compiled templates
    for the next call: its own, not `render`'s, whose environment a build may be using meanwhile."""
    rec = Recorder()
    env = _session_env(session, template_dirs, templates, rec)
    ctx = RenderContext.make(linked, lambda *a, **k: _emit(env, *a, **k), texts, rec)
    files: list[OutputFile] = []
    for unit in units:
        result = render_unit(ctx, unit)
        if result.failures:
            return None
        files.extend(result.files)
    return tuple(files)


def _session_env(session: dict[str, Any] | None, template_dirs: tuple[str, ...], templates: str,
                 rec: Recorder) -> jinja2.Environment:
    """The environment of the session's last call while the templates' digest holds (its compiled
    templates), recording into `rec`; else a new one, kept in the session."""
    if session is not None and session.get("templates") == (template_dirs, templates) and templates:
        env: jinja2.Environment = session["env"]
        env.rec = rec  # type: ignore[attr-defined]
        return env
    env = environment(template_dirs, rec)
    if session is not None:
        session.update(templates=(template_dirs, templates), env=env)
    return env


Sink = Callable[[tuple[OutputFile, ...]], None]  # takes a unit's files as they are made (write.put)
SEARCH_BODY = b"data-pagefind-body"  # the attribute that makes a page's element what Pagefind indexes
WHOLE_EDITION = ("aligned", "sitemap", "feed", "timeline")  # units.py: the costliest units
SEARCHED = ("speech", "page")  # the units whose pages hold a search body with the theme's templates


def _one(state: tuple[RenderContext, Sink | None], unit: UnitId
         ) -> tuple[UnitResult, tuple[tuple[str, str], ...], tuple[str, ...]]:
    """One unit, in whichever process: its result (without the files when they went to the sink),
    the digest of each file, and its pages that hold a body for the search index (index.py reads those alone)."""
    ctx, sink = state
    result = render_unit(ctx, unit)
    digests = tuple((f.path, hashlib.sha256(f.data).hexdigest()) for f in result.files)
    searchable = tuple(f.path for f in result.files if f.path.endswith(".html") and SEARCH_BODY in f.data)
    if sink is None:
        return result, digests, searchable
    sink(result.files)
    return replace(result, files=()), digests, searchable


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
            if owner is View and attr in MOVED:  # a site template written for an earlier version
                hint = f"the view's helpers are grouped now: `v.{attr}` is `v.{MOVED[attr]}` (README: Templates)"
                return path, line, f"the view has no attribute `{attr}`", hint
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
    """The model or view class a Jinja message names (`edition.model.documents.Speech`)."""
    module, _, name = kind.rpartition(".")
    if not module.startswith("edition"):
        return None
    found = getattr(importlib.import_module(module), name, None)
    return found if isinstance(found, type) else None


def _described(kind: str) -> str:
    """`edition.model.documents.Speech` as "a speech", `dict` as "a mapping": no Python names for editors."""
    plain = {"dict": "a mapping", "str": "a text", "list": "a list", "tuple": "a list", "int": "a number",
             "float": "a number", "None": "an empty value (none)", "bool": "true or false"}
    if kind in plain:
        return plain[kind]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind.rpartition(".")[2]).lower()
    return ("an " if words[:1] in "aeiou" else "a ") + words
