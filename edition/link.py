"""Link: resolve every cross-link and `related:` entry before anything is rendered.

Input: `model.Edition`. Output: `model.Linked`: for each `[[...]]` of each section its target
(speech, page, person or event, with the paragraph), for each target its back-links, and for
each speech its related reading (see related.py).
Unknown slugs, ids and paragraphs become diagnostics naming the file and line.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import defaultdict
from dataclasses import replace
from typing import Protocol

from .diagnostics import Diagnostic, did_you_mean, error
from .model import BackLink, CrossRef, Edition, Linked, Page, Speech, Suggestion, Target, Unread
from .related import inputs_digest, suggest


class Memory(Protocol):
    """Values derived in an earlier build, by the digest of what they were derived from (cache.Cache)."""

    def recall(self, kind: str, key: str) -> object | None: ...

    def keep(self, kind: str, key: str, value: object) -> None: ...

    def field_digests(self, kind: str, slug: str) -> dict[str, str] | None:
        """The digest of each field of a document as validated (record.field_digests)."""


def link(edition: Edition, memory: Memory | None = None) -> Linked:
    """The links resolved; with `memory`, the last build's table when no document's sections or
    `related:` changed, nor the people's and events' ids, the drafts left out or the order."""
    key = _inputs_digest(edition, memory) if memory is not None else None
    kept = memory.recall("links", key) if memory is not None and key is not None else None
    if isinstance(kept, tuple) and len(kept) == 3:
        targets, backlinks, diags = kept
    else:
        targets, backlinks, diags = _link(edition)
        if memory is not None and key is not None:
            memory.keep("links", key, (targets, backlinks, diags))
    return Linked(edition, targets, backlinks, diags, _suggestions(edition, memory))


def _inputs_digest(edition: Edition, memory: Memory) -> str | None:
    """The digest of everything `_link` reads, from the documents' field digests; None if one has none."""
    read: list[object] = [sorted(p.id for p in edition.people), sorted(e.id for e in edition.events), edition.drafts,
                          edition.unread]
    for doc in (*edition.speeches, *edition.pages):
        fields = memory.field_digests(doc.kind, doc.slug)
        if fields is None or "sections" not in fields:
            return None
        read.append((doc.kind, doc.slug, doc.path, fields["sections"], fields.get("related")))
    return hashlib.blake2b(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()


def _link(edition: Edition) -> tuple[tuple[tuple[tuple[str, str, int], Target], ...],
                                      tuple[tuple[tuple[str, str], tuple[BackLink, ...]], ...],
                                      tuple[Diagnostic, ...]]:
    diags: list[Diagnostic] = []
    known = _Known(edition)
    targets: list[tuple[tuple[str, str, int], Target]] = []
    back: dict[tuple[str, str], set[BackLink]] = defaultdict(set)
    for doc in (*edition.speeches, *edition.pages):
        _refs(doc, known, diags, targets, back)
    for u in edition.unread:  # left out for errors of their own: their links are checked all the same
        for section in u.sections:
            for ref in section.refs:
                if ref.kind != "invalid" and not (ref.kind == "doc" and ref.target == u.slug):  # its own ¶: moot
                    _resolve(u, ref, known, diags)
        for slug, line, col in u.related:
            if slug not in known.speeches and slug != u.slug:
                diags.append(_unknown(u.path, line, col, "related-unknown", "related speech", slug,
                                      known.speeches, known))
    for s in edition.speeches:
        for slug, line, col in s.related:
            if slug == s.slug:
                diags.append(error(s.path, line, col, "related-self", f"`{slug}` lists itself as related",
                                   "remove it from `related:`"))
            elif slug in known.speeches:
                back[("speech", slug)].add(BackLink("speech", s.slug, None, "related"))
            elif slug in known.pages:
                diags.append(error(s.path, line, col, "related-unknown",
                                   f"`{slug}` is a page; `related:` lists speeches",
                                   f"link to the page in the text with `[[{slug}]]`"))
            else:
                diags.append(_unknown(s.path, line, col, "related-unknown", "related speech",
                                      slug, known.speeches, known))
    return tuple(targets), _ordered(edition, back), tuple(diags)


def relink(linked: Linked, docs: tuple[Speech | Page, ...]) -> Linked | None:
    """`linked` with `docs` put in place of the documents of the same paths, their links resolved
    again (a preview's first look, firstlook.py). The caller keeps what other documents read of
    these (slug, date, related reading's fields) as it was; None if a link of theirs is broken."""
    ed = linked.edition
    new = {d.path: d for d in docs}
    edition = replace(ed, speeches=tuple(new.get(s.path, s) for s in ed.speeches),  # type: ignore[misc]
                      pages=tuple(new.get(p.path, p) for p in ed.pages))  # type: ignore[misc]
    known = _Known(edition)
    diags: list[Diagnostic] = []
    targets, linked_to = [], set()
    for entry in linked.targets:
        if entry[0][0] in new:
            linked_to.add((entry[1].kind, entry[1].id))
        else:
            targets.append(entry)
    mine = {(d.kind, d.slug) for d in docs}
    # Only the targets these documents link (or linked) to get their back-links sorted again: the
    # documents keep their places, so every other list stays as it is. What they linked to is in
    # their old targets: no need to look through every back-link (60,000 at 10,000 speeches).
    kept = dict(linked.backlinks)
    back: dict[tuple[str, str], set[BackLink]] = defaultdict(set)
    for key in linked_to:
        links = kept.get(key, ())
        if any(b.via == "link" and (b.source_kind, b.source) in mine for b in links):
            back[key].update(b for b in links if b.via != "link" or (b.source_kind, b.source) not in mine)
            del kept[key]  # its old links from these documents gone (they may link to it again below)
    for doc in docs:
        _refs(doc, known, diags, targets, back)
    if diags:
        return None
    for key in back:
        back[key].update(kept.pop(key, ()))
    merged = sorted((*kept.items(), *_ordered(edition, back)))
    return replace(linked, edition=edition, targets=tuple(targets), backlinks=tuple(merged))


class _Known:
    """What a link can name, by slug or id."""

    def __init__(self, edition: Edition) -> None:
        self.speeches = {s.slug: s for s in edition.speeches}
        self.pages = {p.slug: p for p in edition.pages}
        self.people = {p.id for p in edition.people}
        self.events = {e.id for e in edition.events}
        self.named = {"person": edition.person_ids, "event": edition.event_ids}
        self.drafts = set(edition.drafts)
        self.unread = {u.slug: u.path for u in edition.unread}  # slug -> its file, which has errors of its own


def _refs(doc: Speech | Page, known: _Known, diags: list[Diagnostic],
          targets: list[tuple[tuple[str, str, int], Target]], back: dict[tuple[str, str], set[BackLink]]) -> None:
    """The targets of one document's cross-links, and the back-links they make."""
    for section in doc.sections:
        for i, ref in enumerate(section.refs):
            if ref.kind == "invalid":
                continue
            target = _resolve(doc, ref, known, diags)
            if target is None:
                continue
            targets.append(((doc.path, section.key, i), target))
            if (target.kind, target.id) != (doc.kind, doc.slug):
                # A page has no paragraph numbers (the spec): its back-link names the page alone.
                para = ref.block or None if doc.kind == "speech" else None
                back[(target.kind, target.id)].add(BackLink(doc.kind, doc.slug, para, "link"))


def _ordered(edition: Edition, back: dict[tuple[str, str], set[BackLink]]
             ) -> tuple[tuple[tuple[str, str], tuple[BackLink, ...]], ...]:
    """Each target's back-links in the order of the documents that make them."""
    order = {("speech", s.slug): i for i, s in enumerate(edition.speeches)}
    order.update({("page", p.slug): len(order) + i for i, p in enumerate(edition.pages)})
    return tuple(
        (key, tuple(sorted(links, key=lambda b: (order[(b.source_kind, b.source)], b.para or 0, b.via))))
        for key, links in sorted(back.items()) if links)


def _suggestions(edition: Edition, memory: Memory | None) -> tuple[tuple[str, tuple[Suggestion, ...]], ...]:
    """Related reading, or the last build's when nothing it is made from changed."""
    key = inputs_digest(edition.speeches) if memory is not None else ""
    kept = memory.recall("related", key) if memory is not None else None
    if isinstance(kept, tuple):
        return kept
    made = tuple(sorted(suggest(edition.speeches).items()))
    if memory is not None:
        memory.keep("related", key, made)
    return made


def _resolve(doc: Speech | Page | Unread, ref: CrossRef, known: _Known, diags: list[Diagnostic]) -> Target | None:
    if ref.kind in ("person", "event"):
        ids, file = (known.people, "people.yml") if ref.kind == "person" else (known.events, "events.yml")
        if ref.target in ids:
            return Target(ref.kind, ref.target, None)
        named = known.named[ref.kind]
        if named is None or ref.target in named:  # its file's own error is the one to fix
            return None
        diags.append(error(doc.path, ref.line, ref.column, "crosslink-unknown",
                           f"`{ref.raw}`: there is no {ref.kind} `{ref.target}` in {file}",
                           did_you_mean(ref.target, ids) or f"add the {ref.kind} to content/{file}"))
        return None
    target_doc: Speech | Page | None = known.speeches.get(ref.target) or known.pages.get(ref.target)
    if target_doc is None:
        diags.append(_unknown(doc.path, ref.line, ref.column, "crosslink-unknown", f"`{ref.raw}`: the slug",
                              ref.target, {**known.speeches, **known.pages}, known))
        return None
    if ref.para is not None:
        count = max((len(s.blocks) for s in target_doc.sections), default=0)
        if ref.para > count:
            has = f"it has {count} paragraph{'s' if count != 1 else ''}" if count else "it has no text"
            diags.append(error(doc.path, ref.line, ref.column, "crosslink-paragraph",
                               f"`{ref.raw}`: {target_doc.kind} `{ref.target}` has no paragraph {ref.para}; {has}",
                               f"link to an existing paragraph, or to the {target_doc.kind} as a whole"))
            return None
    return Target(target_doc.kind, target_doc.slug, ref.para)


def _unknown(path: str, line: int, col: int, code: str, what: str, slug: str, names: object,
             known: _Known) -> Diagnostic:
    if slug in known.unread:  # not a typo: the document is there, and its own errors are reported with it
        file = known.unread[slug]
        return error(path, line, col, code, f"{what} `{slug}` is left out of this build: {file} has errors of its own",
                     f"fix {file}: this link then resolves")
    if slug in known.drafts:
        return error(path, line, col, code, f"{what} `{slug}` is a draft, left out of this build",
                     "build with --drafts, or publish it by removing `draft: true`")
    return error(path, line, col, code, f"{what} `{slug}` names no speech or page",
                 did_you_mean(slug, names) or "check the file name in content/speeches/ or content/pages/")  # type: ignore[arg-type]
