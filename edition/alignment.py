"""Alignment check: find aligned pairs whose lengths do not fit the rest of their speech.

Input: one validated speech and the site. Output: its `alignment-suspect` warnings. Run by
validate.py on each document as it is parsed (a function of that document alone), so the warnings
are kept in the cache with the document and not worked out again for an unchanged one.

For every speech with two texts, each aligned pair ¶N gets the ratio of its lengths, counted as
Chinese (Japanese, Korean) characters in a text written in those scripts and as words in any
other, and the speech's pairs are compared on the logarithm of that ratio: a pair whose log-ratio
lies more than 3 scaled median absolute deviations (MAD × 1.4826, at least 0.15, so that only a
length off by more than 57 % is ever suspect: a merge or a split doubles or halves it) from the
speech's median is suspect. A run of consecutive suspect pairs — what a merged or split paragraph
does when the blocks that follow are of unequal length — is reported once, at its first pair, which is
where the two texts first diverge. Pairs where both cells are short (under 40 characters and 12
words), and speeches with fewer than 5 measurable pairs, are not judged: there the ratio says
little. The warning stands at the translation's paragraph and names the original's line too.
"""

from __future__ import annotations

import math
import re
import statistics

from . import i18n
from .diagnostics import Diagnostic, warning
from .model import Section, Site, Speech, Unread

CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
LIMIT = 3.0  # scaled MADs
FLOOR = 0.15  # the least scale, in log units: a speech of very even pairs does not flag small differences
MIN_PAIRS = 5


def suspect_alignment(site: Site, speech: Speech | Unread) -> list[Diagnostic]:
    return _speech(site, speech) if len(speech.sections) >= 2 else []


def _size(text: str) -> tuple[int, bool]:
    """(length, counted in characters): characters for text mostly in CJK scripts, else words
    (what white space separates: cheap, and what a reader counts)."""
    chars = sum(map(len, CJK_RUN.findall(text)))
    if chars * 2 >= len(text):
        return chars, True
    return len(text.split()), False


def _speech(site: Site, speech: Speech | Unread) -> list[Diagnostic]:
    base = speech.section(speech.original) or speech.sections[0]
    out: list[Diagnostic] = []
    for other in speech.sections:
        if other.key != base.key:
            out += _pair(site, speech, base, other)
    return out


def _pair(site: Site, speech: Speech | Unread, a: Section, b: Section) -> list[Diagnostic]:
    sizes: dict[int, tuple[tuple[int, bool], tuple[int, bool]]] = {}
    for n in range(1, min(len(a.plain), len(b.plain)) + 1):
        sa, sb = _size(a.plain[n - 1]), _size(b.plain[n - 1])
        if _short(a.plain[n - 1], sa) and _short(b.plain[n - 1], sb):
            continue
        sizes[n] = (sa, sb)
    if len(sizes) < MIN_PAIRS:
        return []
    logs = {n: math.log((sa[0] + 1) / (sb[0] + 1)) for n, (sa, sb) in sizes.items()}
    median = statistics.median(logs.values())
    scale = max(1.4826 * statistics.median(abs(x - median) for x in logs.values()), FLOOR)
    suspect = [n for n, x in logs.items() if abs(x - median) > LIMIT * scale]
    out = []
    for n in suspect:
        if n - 1 in suspect:
            continue  # one warning per run, at the pair where it begins
        run = n
        while run + 1 in suspect:
            run += 1
        (ca, a_chars), (cb, b_chars) = sizes[n]
        unit_a, unit_b = _unit(site, a.key, a_chars, ca), _unit(site, b.key, b_chars, cb)
        per = (f"{math.exp(median):.1f} {_unit(site, a.key, a_chars, 2, bare=True)} "
               f"a {_unit(site, b.key, b_chars, 1, bare=True)}")
        more = "" if run == n else ", and so does the pair after it" if run == n + 1 else \
            f", and so do the {run - n} pairs after it"
        line_a = a.lines[n - 1][0] if n <= len(a.lines) else a.line
        line_b, col_b = b.lines[n - 1] if n <= len(b.lines) else (b.line, 1)
        out.append(warning(
            speech.path, line_b, col_b, "alignment-suspect",
            f"¶{n} pairs {ca} {unit_a} with {cb} {unit_b} (typical for this speech: {per}){more}; "
            "a paragraph may be merged or split near here",
            f"compare the {a.key} paragraph at line {line_a} with the {b.key} paragraph at line {line_b}: "
            "block N of one text faces block N of the other"))
    return out


def _short(text: str, size: tuple[int, bool]) -> bool:
    return size[0] < (40 if size[1] else 12)


def _unit(site: Site, key: str, chars: bool, count: int, bare: bool = False) -> str:
    name = "" if bare else i18n.language_name(key, "en", site.language(key).name) + " "
    word = "character" if chars else "word"
    return f"{name}{word}{'' if count == 1 else 's'}"
