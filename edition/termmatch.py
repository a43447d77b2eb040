"""Finding a term base's forms in text, for the terms stage.

Input: the `Term`s of the edition. Output: a `Matcher` whose `find(text)` returns the forms it
holds, longest first and without overlaps, each with the terms it belongs to.

Chinese, Japanese and Korean forms match exactly (a line break of the source may stand between
two characters). Other forms match without regard to case, on word boundaries, with white space of
at most one line break (or a hyphen) between their words, `'` and `’` alike, and with the plural
and possessive of their last word (`sovereignties`, `village's`, `villages'`; a form of one acronym
or one short word, the possessive only). Matching is done per first word of the forms (and its
plurals), so a paragraph that holds none of them costs one scan of its words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import Term

CJK = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]")
WORD = re.compile(r"\w+")
# The ending of a last word: plural (-s, -es; -y as -ies) and possessive ('s, s').
PLURAL = r"(?:s|es)?(?:['’]s?)?"


Pattern = tuple[re.Pattern[str], tuple[str, ...]]  # a regex with one group per form, and the forms


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
        for t in terms:  # composed (NFC), as `find` reads the text: `café` written either way is one form
            for key, form in t.forms.items:
                owners.setdefault(_nfc(form), []).append(Owner(t.id, "agreed", key))
            for kind, forms in (("variant", t.variants), ("avoid", t.avoid)):
                for form in forms:
                    owners.setdefault(_nfc(form), []).append(Owner(t.id, kind, ""))
        # Forms that differ only in case are one form for the (case-blind) matching.
        self.owners: dict[str, tuple[Owner, ...]] = {}
        self.shown: dict[str, str] = {}
        for form, found in owners.items():
            k = _key(form)
            self.owners[k] = (*self.owners.get(k, ()), *found)
            self.shown.setdefault(k, form)
        # One pattern per literal start (a CJK form's first character, another form's first word):
        # a paragraph is searched only for the starts it holds, each search a scan for a literal.
        # Each form is a group of its own, so that `lastindex` names the form that matched.
        cjk: dict[str, list[str]] = {}
        latin: dict[str, list[str]] = {}
        for f in self.shown:
            if CJK.search(f):
                cjk.setdefault(f[0], []).append(f)
            elif words := WORD.findall(f):
                latin.setdefault(words[0], []).append(f)
        self._cjk = {c: _group(re.escape(c), [_cjk_pattern(f[1:]) for f in forms], forms) for c, forms in cjk.items()}
        self._latin_forms = latin
        self._latin: dict[str, tuple[Pattern, frozenset[tuple[str, str]] | None]] = {}  # compiled when first met
        self._cjk_firsts, self._firsts = frozenset(self._cjk), frozenset(latin)
        # A one-word form is its own last word: its plural (`policies`) must lead to it as well.
        self._plurals = {p: first for first, forms in latin.items() for p in _plurals(first)
                         if any(_inflected(self.shown[f]) for f in forms)}

    def _patterns(self, first: str) -> tuple[Pattern, frozenset[tuple[str, str]] | None]:
        found = self._latin.get(first)
        if found is None:
            forms = self._latin_forms[first]
            found = self._latin[first] = (_latin(first, forms), _keys(forms))
        return found

    def find(self, text: str) -> list[Hit]:
        if not unicodedata.is_normalized("NFC", text):  # found in the composed text, told in this one's offsets
            composed, at = _composed(text)
            return [Hit(at[h.start], at[h.end], h.form, h.owners) for h in self.find(composed)]
        hits: list[tuple[int, int, str]] = []
        # Which first characters stand in the text: a set of its characters, unless it has no CJK
        # character at all (an English cell: one scan in C instead of hashing every character).
        for c in self._cjk_firsts.intersection(text) if self._cjk_firsts and CJK.search(text) else ():
            rx, forms = self._cjk[c]
            hits += [(m.start(), m.end(), forms[m.lastindex - 1]) for m in rx.finditer(text)  # type: ignore[operator]
                     if m.lastindex]
        if self._firsts:
            lower = text.lower()
            same = len(lower) == len(text)  # lowering kept every offset: match the lowered text
            words = WORD.findall(lower)
            firsts = self._firsts.intersection(words)
            firsts |= {self._plurals[w] for w in self._plurals.keys() & set(words)}
            # Each word with the first two letters of the next (what any inflection leaves alone).
            pairs = set(zip(words, [w[:2] for w in words[1:]], strict=False)) if firsts else set()
            for first in firsts:
                pattern, keys = self._patterns(first)
                if keys is not None and keys.isdisjoint(pairs):
                    continue  # no form's first two words stand here: no need to search
                rx, forms = pattern if same else _latin(first, self._latin_forms[first], cased=True)
                hits += [(m.start(), m.end(), forms[m.lastindex - 1])  # type: ignore[operator]
                         for m in rx.finditer(lower if same else text) if m.lastindex]
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


def _group(prefix: str, rests: list[str], forms: list[str], before: str = "", after: str = "",
           flags: int = 0) -> Pattern:
    """`prefix` (a literal, which the regex engine scans for), then one group per form's rest,
    longest form first."""
    order = sorted(range(len(forms)), key=lambda i: -len(forms[i]))
    alts = "|".join(f"({rests[i]})" for i in order)
    return re.compile(f"{prefix}{before}(?:{alts}){after}", flags), tuple(forms[i] for i in order)


def _keys(forms: list[str]) -> frozenset[tuple[str, str]] | None:
    """What a text must hold for one of the forms to stand in it: each form's first word followed
    by a word that starts with the first two letters of its second (an inflection leaves them).
    None when a form is a single word: the first word's presence decides."""
    keys = set()
    for f in forms:
        words = WORD.findall(f)
        if len(words) < 2:
            return None
        keys.add((words[0], words[1][:2]))
    return frozenset(keys)


def _latin(first: str, forms: list[str], cased: bool = False) -> Pattern:
    """The pattern of the forms that start with the word `first`, for lowered text: its literal
    start is the word but its last letter, which an inflection may change. `cased`: case-blind on
    the text itself, for the rare text whose lowering changes its length."""
    pats = [_pattern(f) for f in forms]
    if cased:
        return _group("", pats, forms, "(?<!\\w)", "(?!\\w)", re.IGNORECASE)
    prefix = re.escape(first[:-1])
    if not all(p.startswith(prefix) for p in pats):  # a form that starts with a sign, e.g. `#metoo`
        prefix = ""
    rests = [p[len(prefix):] for p in pats]
    # At the start of a word: the character before the prefix is not a word character.
    before = f"(?<!\\w.{{{len(first) - 1}}})" if prefix else "(?<!\\w)"
    return _group(prefix, rests, forms, before, "(?!\\w)")


def _inflected(form: str) -> bool:
    """Whether a form's last word takes the plural: not the single word of an acronym (`IT` is no
    `its`) or of fewer than four letters (`new` is no `news`, `arm` no `arms`)."""
    words = form.split()
    return len(words) > 1 or (len(words[0]) >= 4 and not words[0].isupper())


def _plurals(word: str) -> tuple[str, ...]:
    """The plurals `_pattern` matches a last word with (a possessive is a word of its own to `WORD`)."""
    if word[-1:] == "y" and len(word) > 1 and word[-2] not in "aeiou":
        return (word[:-1] + "ies", word + "s")
    return (word + "s", word + "es")


# Between two characters of a CJK form, a line break of the source (with the spaces around it):
# CSS and the exports join such lines without a space, so the text reads as one word.
SOFT_BREAK = r"(?:[ \t]*\n[ \t]*)?"


def _cjk_pattern(rest: str) -> str:
    return "".join(SOFT_BREAK + re.escape(c) for c in rest)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _composed(text: str) -> tuple[str, list[int]]:
    """`text` in NFC, and for each of its offsets (and its end) the offset in `text` it stands for:
    composed a character and the combining marks after it at a time."""
    out: list[str] = []
    at: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = _nfc(text[i:j])
        out.append(piece)
        at += [i] * len(piece)
        i = j
    return "".join(out), [*at, len(text)]


def form_key(term: Term, form: str) -> str | None:
    """The language of a variant or avoided form (the lists are shared by the languages): that of
    the term's agreed form written in the same script (Chinese, Japanese, Korean or other)."""
    cjk = bool(CJK.search(form))
    return next((key for key, agreed in term.forms.items if bool(CJK.search(agreed)) == cjk), None)


def _key(form: str) -> str:
    return form if CJK.search(form) else " ".join(form.split()).lower()


def _pattern(form: str) -> str:
    """A form as a pattern: white space as any white space, an apostrophe as either (`People's`,
    `People’s`), the last word inflected."""
    words = form.split()
    last = words[-1]
    if not _inflected(form):
        last = _escaped(last) + (r"(?:['’]s?)?" if re.search(r"\w$", last) else "")
    elif re.search(r"\w$", last):
        if last[-1:].lower() == "y" and len(last) > 1 and last[-2].lower() not in "aeiou":
            last = _escaped(last[:-1]) + "(?:y|ie)" + PLURAL
        else:
            last = _escaped(last) + PLURAL
    else:
        last = _escaped(last)
    # Words stand apart by white space with at most one line break (a blank line ends a paragraph),
    # or by a hyphen (`cyber-sovereignty`).
    return r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+|-)".join([*map(_escaped, words[:-1]), last])


def _escaped(word: str) -> str:
    return re.sub("['’]", "['’]", re.escape(word))
