"""First look: a preview shows a saved document's own pages before the rebuild that follows.

Input: the last good build of a preview session (`pipeline.Result`), its `Options` and the paths
of the files just saved. Output: the pages written — each saved speech's or page's own page in
every language tree, rendered from the last build's model with the saved documents put in
(validated, their links resolved, their terms checked) and each written whole into the output
folder — or None when the save is not one a first look can show alone: a new, deleted or renamed
document, a data file, a template, a document that does not validate, whose links break or whose
slug, date, draft state or related reading's fields changed (what other pages read of it).

The full rebuild runs after it either way and is what the folder ends up holding: the first look
only puts the page an editor is looking at on screen sooner, as Hugo's server does in its "fast
render mode". Nothing is written when anything is in doubt.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .datafiles import as_read
from .diagnostics import Severity
from .inplace import replace_files
from .link import relink
from .load import load_one
from .model import Page, Speech
from .pipeline import Options, Result
from .render import render_units
from .terms import terms
from .validate import document


@dataclass
class Looker:
    """A preview's first looks: its own compiled templates (a build may be using the renderer's)."""

    opts: Options
    session: dict[str, Any] = field(default_factory=dict)

    def prepare(self, good: Result) -> None:
        """Compile the templates a first look uses (a speech's, a page's) before the first save:
        their output is dropped."""
        if good.linked is None or good.sources is None:
            return
        ed = good.linked.edition
        units = (*(("speech", s.slug) for s in ed.speeches[:1]), *(("page", p.slug) for p in ed.pages[:1]))
        render_units(good.linked, good.sources.template_dirs, units, self.session, good.sources.theme_digest, {})

    def look(self, good: Result, saved: Iterable[str]) -> tuple[tuple[str, str], ...] | None:
        """(path, sha256) of each page written, or None (nothing written)."""
        if good.edition is None or good.linked is None or good.sources is None:
            return None
        ed = good.edition
        docs = {d.path: d for d in (*ed.speeches, *ed.pages)}
        root = self.opts.root.resolve()
        rels = set()
        for p in saved:
            path = Path(p).resolve()
            if root not in path.parents:
                return None
            rels.add(path.relative_to(root).as_posix())
        if not rels or not rels <= docs.keys():
            return None  # a new or deleted document, a data file, a template: the full build alone
        site, events = as_read(ed.site, {e.id: e for e in ed.events})  # what the build's validation gives it
        context = (site, frozenset(p.id for p in ed.people), events, frozenset(e.id for e in ed.events), bool(ed.terms))
        new: list[Speech | Page] = []
        texts = {}
        for rel in sorted(rels):
            source = load_one(self.opts.root, rel)
            if source is None:
                return None
            doc, diags = document(context, source)
            if not isinstance(doc, Speech | Page) or any(d.severity == Severity.ERROR for d in diags) \
                    or not _same_place(docs[rel], doc):
                return None
            new.append(doc)
            texts[rel] = source.text
        linked = relink(good.linked, tuple(new))
        if linked is None:
            return None
        linked = terms(linked, only=frozenset(d.slug for d in new if isinstance(d, Speech)))
        made = render_units(linked, good.sources.template_dirs, tuple((d.kind, d.slug) for d in new),
                            self.session, good.sources.theme_digest, texts)
        if made is None:
            return None
        pages = tuple(f for f in made if f.path.endswith(".html"))
        replace_files(self.opts.out, self.opts.root, pages)
        return tuple((f.path, hashlib.sha256(f.data).hexdigest()) for f in pages)


def _same_place(old: Speech | Page, new: Speech | Page) -> bool:
    """Whether other pages read of `new` what they read of `old` (its place in lists, its related
    reading's fields): then the saved document's own pages are all that must change first."""
    if type(old) is not type(new) or (old.slug, old.draft) != (new.slug, new.draft):
        return False
    if isinstance(old, Speech) and isinstance(new, Speech):
        return (old.date, old.event, old.speakers, old.tags, [r[0] for r in old.related]) == \
            (new.date, new.event, new.speakers, new.tags, [r[0] for r in new.related])
    return getattr(old, "order", None) == getattr(new, "order", None)


UNKNOWN = (("site",), "written by a first look")  # a dependency no build's digest equals


def shown(good: Result, pages: tuple[tuple[str, str], ...]) -> Result:
    """`good` as the output folder now holds it: the pages a first look wrote have their digests
    in its record, and their units a dependency that never holds, so that the next build renders
    them again and rewrites any page that is not what it makes (the text may have gone back)."""
    if good.rendered is None or not pages:
        return good
    now = dict(pages)
    units = tuple(replace(r, files=tuple((p, now.get(p, d)) for p, d in r.files), deps=(*r.deps, UNKNOWN))
                  if any(p in now for p, _ in r.files) else r for r in good.rendered.units)
    return replace(good, rendered=replace(good.rendered, units=units))
