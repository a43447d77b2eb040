"""Terms: check the translation against the term base and draw up each term's concordance.

Input: `model.Linked` (the check needs cross-links resolved: a link's label is text too).
Output: the same `Linked` with its `concordance` (every aligned paragraph where a term occurs, with
the sentence and the rendering used in each language) and more diagnostics:
`term-unknown` (an error) for a `terms: {ignore: [...]}` entry that names no term, and
`term-inconsistent` (a warning) at a paragraph where one cell holds a term (its agreed form or a
variant) and the other cell uses an `avoid` form, or neither the agreed form nor a variant.
The text checked is the text as edited: a correction counts as its corrected reading, removed
text and the editors' comments do not count. A speech may silence terms with `terms: {ignore}`.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from itertools import accumulate

from . import i18n, workers
from .diagnostics import Diagnostic, warning
from .markdown import PLACEHOLDER_RE
from .model import Bilingual, Linked, Occurrence, Section, Speech, Target, Term, Unread, Use
from .termbase import unknown_ignored
from .termmatch import CJK, Hit, Matcher

# A sentence ends after a run of Chinese end marks, or of Latin ones followed by white space.
SENTENCE_END = re.compile(r"[。！？；…]+[”’」』）]*\s*|[.!?;]+[\"'”’)\]]*(?:\s+|$)")
SEPARATOR = "\x00"  # not white space, not a word character, not a hyphen: no form spans it
CONTEXT = 140  # characters kept on each side of a form in a long sentence


def terms(linked: Linked, only: frozenset[str] | None = None, jobs: int = 1) -> Linked:
    """`only`: check these speeches alone and keep the concordance of the others as `linked` has
    it (a preview's first look; the speeches' links resolved again, the term base as it was).
    The speeches are checked by `jobs` processes (workers.py); the result does not depend on it."""
    ed = linked.edition
    known = {t.id for t in ed.terms}
    diags: list[Diagnostic] = []
    # A speech left out for errors of its own is checked too (all is said at once), but it has no
    # place in the concordance: the edition does not publish it.
    unread = tuple(u for u in ed.unread if u.kind == "speech" and (only is None or u.slug in only))
    for s in (*(ed.speeches if only is None else (s for s in ed.speeches if s.slug in only)), *unread):
        diags += unknown_ignored(s.path, s.terms_ignore, known)
    if not ed.terms:
        return replace(linked, diagnostics=linked.diagnostics + tuple(diags))
    order = {t.id: i for i, t in enumerate(ed.terms)}
    names = {**{("speech", x.slug): x.title for x in ed.speeches}, **{("page", x.slug): x.title for x in ed.pages},
             **{("person", x.id): x.name for x in ed.people}, **{("event", x.id): x.name for x in ed.events}}
    published = tuple(s for s in sorted(ed.speeches, key=lambda s: (s.date, s.slug)) if only is None or s.slug in only)
    todo = (*published, *unread)
    check = _Check(Matcher(ed.terms), order, {t.id: t for t in ed.terms}, names, dict(linked.targets),
                   ed.site.keys, todo)
    found: list[tuple[int, Occurrence]] = []
    results = workers.run(_speech, check, range(len(todo)), jobs, chunk=32, trim=False)
    for i, (occs, problems) in enumerate(results):
        found += [(order[o.term], o) for o in occs] if i < len(published) else []
        diags += problems
    if only is not None:
        when = {s.slug: (s.date, s.slug) for s in ed.speeches}
        found += [(order[o.term], o) for o in linked.concordance if o.speech not in only and o.term in order]
        found.sort(key=lambda x: (x[0], when.get(x[1].speech, (dt.date.min, "")), x[1].para))
    found.sort(key=lambda x: x[0])  # stable: within a term, speeches stay in date order
    return replace(linked, diagnostics=linked.diagnostics + tuple(diags),
                   concordance=tuple(occ for _, occ in found))


@dataclass(frozen=True)
class _Check:
    """What checking one speech reads; it reaches worker processes by fork."""
    matcher: Matcher
    order: dict[str, int]
    by_id: dict[str, Term]
    names: dict[tuple[str, str], Bilingual]
    targets: dict[tuple[str, str, int], Target]
    keys: tuple[str, ...]
    speeches: tuple[Speech | Unread, ...]


def _speech(check: _Check, i: int) -> tuple[list[Occurrence], list[Diagnostic]]:
    """One speech's occurrences (paragraph by paragraph, terms in the base's order) and warnings."""
    speech = check.speeches[i]
    sections = [sec for k in check.keys if (sec := speech.section(k)) is not None]
    ignored = {t for t, _, _ in speech.terms_ignore}
    found_in = {sec.key: _found(check.matcher, [_filled(check.names, check.targets, check.keys, speech, sec, text)
                                                for text in sec.plain]) for sec in sections}
    occs: list[Occurrence] = []
    diags: list[Diagnostic] = []
    for n in range(1, max((len(sec.plain) for sec in sections), default=0) + 1):
        cells = {key: paras[n - 1] for key, paras in found_in.items() if n <= len(paras)}
        here = {o.term for _, hits in cells.values() for h in hits for o in h.owners}
        for tid in sorted(here, key=check.order.__getitem__):
            occ, problems = _pair(check.by_id[tid], speech, n, cells, tid in ignored)
            occs.append(occ)
            for key, message, hint in problems:
                sec = speech.section(key)
                assert sec is not None
                line, col = sec.lines[n - 1] if n <= len(sec.lines) else (sec.line, 1)
                diags.append(warning(speech.path, line, col, "term-inconsistent", message, hint))
    return occs, diags


def _found(matcher: Matcher, texts: list[str]) -> list[tuple[str, list[Hit]]]:
    """Each paragraph with the forms it holds. A section is searched in one piece (its paragraphs
    joined by a character no form can span), which costs far fewer calls than a search each."""
    joined = SEPARATOR.join(texts)
    starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    out: list[tuple[str, list[Hit]]] = [(t, []) for t in texts]
    for h in matcher.find(joined):
        i = bisect_right(starts, h.start) - 1
        out[i][1].append(replace(h, start=h.start - starts[i], end=h.end - starts[i]))
    return out


def _kinds(term: Term, key: str, hits: list[Hit]) -> list[tuple[str, Hit]]:
    """The term's forms in one cell: (kind, hit); an agreed form of another language counts as
    agreed only for the check's display, never as this cell's rendering."""
    out = []
    for h in hits:
        for o in h.owners:
            if o.term == term.id:
                kind = "agreed" if o.kind == "agreed" and o.key == key else ("other" if o.kind == "agreed" else o.kind)
                out.append((kind, h))
                break
    return out


def _pair(term: Term, speech: Speech | Unread, n: int, cells: dict[str, tuple[str, list[Hit]]], ignored: bool
          ) -> tuple[Occurrence, list[tuple[str, str, str]]]:
    kinds = {key: _kinds(term, key, hits) for key, (_, hits) in cells.items()}
    held = [k for k, ks in kinds.items() if any(kind in ("agreed", "variant") for kind, _ in ks)]
    problems: dict[str, tuple[str, str, str]] = {}
    for a in held:
        shown = next(h.form for kind, h in kinds[a] if kind in ("agreed", "variant"))
        for b in kinds:
            if b == a or b in problems or ignored:
                continue
            agreed = term.forms.get(b)
            avoided = [h for kind, h in kinds[b] if kind == "avoid"]
            good = [kind for kind, _ in kinds[b] if kind in ("agreed", "variant")]
            rendered = f'{shown} is rendered "{agreed}" in the term base' if agreed else \
                f"{shown} has no {b} form in the term base"
            if avoided:
                text = cells[b][0]
                used = " ".join(text[avoided[0].start:avoided[0].end].split())
                problems[b] = (b, f'{rendered}; ¶{n} has "{used}"',
                               f'the term base lists "{avoided[0].form}" under `avoid` for `{term.id}`'
                               + (f'; write "{agreed}" or mark a correction: '
                                  f"{{~~{used}~>{agreed}~~}}" if agreed else ""))
            elif not good and agreed:
                has = "has neither it nor a variant" if _variants(term, agreed) else "does not have it"
                problems[b] = (b, f"{rendered}; ¶{n} {has}", _advice(term, agreed))
    uses = tuple(_use(term, key, cells[key][0], kinds[key], cells, kinds) for key in cells)
    if len(cells) < 2:
        status = "single"
    elif ignored:
        status = "ignored"
    elif problems:
        status = "inconsistent"
    elif any(u.kind == "variant" for u in uses):
        status = "variant"
    else:
        status = "ok"
    return Occurrence(term.id, speech.slug, n, uses, status), list(problems.values())


def _variants(term: Term, agreed: str) -> tuple[str, ...]:
    """The variants written in the script of an agreed form (the list is shared by the languages)."""
    return tuple(v for v in term.variants if bool(CJK.search(v)) == bool(CJK.search(agreed)))


def _advice(term: Term, agreed: str) -> str:
    variants = ", ".join(f'"{v}"' for v in _variants(term, agreed))
    return (f'write "{agreed}"' + (f" or a variant ({variants})" if variants else "")
            + f"; a speech that treats the term otherwise lists it: `terms: {{ignore: [{term.id}]}}`")


def _use(term: Term, key: str, text: str, mine: list[tuple[str, Hit]],
         cells: dict[str, tuple[str, list[Hit]]], kinds: dict[str, list[tuple[str, Hit]]]) -> Use:
    """The cell's rendering and its sentence: an avoided form first (what the reader must see),
    then the agreed form, a variant, another language's form; else the sentence facing the term."""
    for want in ("avoid", "agreed", "variant", "other"):
        for kind, h in mine:
            if kind == want:
                before, after = _sentence(text, h.start, h.end)
                return Use(key, "agreed" if kind == "other" else kind, before, text[h.start:h.end], after)
    # No form here: the sentence at the same relative place as the term in another cell.
    other = next((k for k, ks in kinds.items() if ks), None)
    at = 0
    if other is not None:
        o_text = cells[other][0]
        at = int(len(text) * kinds[other][0][1].start / max(len(o_text), 1))
    before, after = _sentence(text, at, at)
    return Use(key, "", before + after, "", "")


def _sentence(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the sentence around [start, end), before and after it, trimmed when long."""
    s = 0
    for m in SENTENCE_END.finditer(text, 0, start):
        if m.end() <= start:
            s = m.end()
    m = SENTENCE_END.search(text, end)
    e = m.end() if m else len(text)
    before, after = text[s:start], text[end:e].rstrip()
    if len(before) > CONTEXT:  # cut at a space where there is one near the cut (not inside a word)
        cut = before.find(" ", len(before) - CONTEXT, len(before) - CONTEXT + 30)
        before = "…" + before[cut + 1 if cut >= 0 else len(before) - CONTEXT:]
    if len(after) > CONTEXT:
        cut = after.rfind(" ", CONTEXT - 30, CONTEXT)
        after = after[:cut if cut >= 0 else CONTEXT].rstrip() + "…"
    return before, after


def _filled(names: dict[tuple[str, str], Bilingual], targets: dict[tuple[str, str, int], Target],
            keys: tuple[str, ...], speech: Speech | Unread, sec: Section, text: str) -> str:
    """The text with each cross-link placeholder replaced by the link's label in the cell's language."""
    if "\x02" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        i = int(m.group(1))
        ref = sec.refs[i]
        target = targets.get((speech.path, sec.key, i))
        if ref.label is not None or target is None:
            return ref.label or ref.raw
        name = names.get((target.kind, target.id))
        title = name.pick(sec.key, keys)[0] if name is not None else target.id
        return i18n.ui(sec.key)["xref_para"].format(title=title, n=target.para) if target.para else title

    return PLACEHOLDER_RE.sub(one, text)
