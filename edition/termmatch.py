"""Finding a term base's forms in text, for the terms stage.

Input: the `Term`s of the edition. Output: a `Matcher` whose `find(text)` returns the forms it
holds, longest first and without overlaps, each with the terms it belongs to.

Chinese, Japanese and Korean forms match exactly. Other forms match without regard to case, on
word boundaries, with any run of white space (or a hyphen) between their words, and with the plural and
possessive of their last word (`sovereignties`, `village's`, `villages'`). Matching is done per
first word of the forms, so a paragraph that holds none of them costs one scan of its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Term

CJK = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]")
WORD = re.compile(r"\w+")
# The ending of a last word: plural (-s, -es; -y as -ies) and possessive ('s, s').
PLURAL = r"(?:s|es)?(?:['’]s?)?"


@dataclass(frozen=True)
class Owner:
    term: str  # term id
    kind: str  # "agreed", "variant" or "avoid"
    key: str  # for an agreed form, its language key; else ""


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    form: str  # the form of the term base that matched
    owners: tuple[Owner, ...]


class Matcher:
    def __init__(self, terms: tuple[Term, ...]) -> None:
        owners: dict[str, list[Owner]] = {}
        for t in terms:
            for key, form in t.forms.items:
                owners.setdefault(form, []).append(Owner(t.id, "agreed", key))
            for kind, forms in (("variant", t.variants), ("avoid", t.avoid)):
                for form in forms:
                    owners.setdefault(form, []).append(Owner(t.id, kind, ""))
        # Forms that differ only in case are one form for the (case-blind) matching.
        self.owners: dict[str, tuple[Owner, ...]] = {}
        self.shown: dict[str, str] = {}
        for form, found in owners.items():
            k = _key(form)
            self.owners[k] = (*self.owners.get(k, ()), *found)
            self.shown.setdefault(k, form)
        cjk = sorted((f for f in self.shown if CJK.search(f)), key=len, reverse=True)
        self._cjk = re.compile("|".join(map(re.escape, cjk))) if cjk else None
        by_first: dict[str, list[str]] = {}
        for f in self.shown:
            if not CJK.search(f):
                words = WORD.findall(f)
                if words:
                    by_first.setdefault(words[0], []).append(f)
        # One pattern per first word: each alternative a group, so `lastindex` names the form.
        self._latin: dict[str, tuple[re.Pattern[str], tuple[str, ...]]] = {}
        for first, forms in by_first.items():
            forms.sort(key=len, reverse=True)
            alts = "|".join(f"({_pattern(f)})" for f in forms)
            self._latin[first] = (re.compile(f"(?<!\\w)(?:{alts})(?!\\w)", re.IGNORECASE), tuple(forms))
        self._firsts = frozenset(self._latin)

    def find(self, text: str) -> list[Hit]:
        hits: list[tuple[int, int, str]] = []
        if self._cjk is not None:
            hits += [(m.start(), m.end(), m.group()) for m in self._cjk.finditer(text)]
        if self._firsts:
            lower = text.lower()
            for first in self._firsts.intersection(WORD.findall(lower)):
                rx, forms = self._latin[first]
                hits += [(m.start(), m.end(), forms[m.lastindex - 1]) for m in rx.finditer(text)  # type: ignore[operator]
                         if m.lastindex]
        if not hits:
            return []
        hits.sort(key=lambda h: (h[0], h[0] - h[1]))
        out: list[Hit] = []
        end = -1
        for start, stop, form in hits:  # leftmost, then longest; no overlaps
            if start >= end:
                out.append(Hit(start, stop, self.shown[form], self.owners[form]))
                end = stop
        return out


def form_key(term: Term, form: str) -> str | None:
    """The language of a variant or avoided form (the lists are shared by the languages): that of
    the term's agreed form written in the same script (Chinese, Japanese, Korean or other)."""
    cjk = bool(CJK.search(form))
    return next((key for key, agreed in term.forms.items if bool(CJK.search(agreed)) == cjk), None)


def _key(form: str) -> str:
    return form if CJK.search(form) else " ".join(form.split()).lower()


def _pattern(form: str) -> str:
    """A form as a pattern: white space as any white space, the last word inflected."""
    words = form.split()
    last = words[-1]
    if re.search(r"\w$", last):
        if last[-1:].lower() == "y" and len(last) > 1 and last[-2].lower() not in "aeiou":
            last = re.escape(last[:-1]) + "(?:y|ie)" + PLURAL
        else:
            last = re.escape(last) + PLURAL
    else:
        last = re.escape(last)
    # Words stand apart by any white space, or by a hyphen (`cyber-sovereignty`).
    return r"(?:\s+|-)".join([*map(re.escape, words[:-1]), last])
