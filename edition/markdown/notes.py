"""Footnotes: the references and definitions of a section checked before it is parsed.

Input: a section's raw text (sections.RawSection). Output: `check_notes`: an error for each
reference without a definition, a warning for each definition never referred to (each naming a
near miss of the other); `note_tabs`: the text with tab-indented note continuations readable by
the notes plugin. What Markdown does not read as a note (code, escapes, comments, autolinks, link
destinations) is blanked out first (`as_notes_read`).
"""

from __future__ import annotations

import bisect
import re

from mistune.util import unikey

from ..diagnostics import Diagnostic, closest, error, warning
from .positions import Lines
from .sections import RawSection

NOTE_DEF = re.compile(r"^ {0,4}\[\^((?:[^\\\[\]\s]|\\.){1,500})\]:", re.M)
NOTE_REF = re.compile(r"\[\^((?:[^\\\[\]\s]|\\.){1,500})\](?!:)")
ANY_LABEL = re.compile(r"\[\^([^\]\n]*)\]")  # what an editor meant as a note, readable or not
NEAR_LIMIT = 50  # notes compared when looking for a near miss (a typo)


def note_tabs(text: str) -> str:
    """A note's text continued on lines indented with a tab: the tab made one space, which the
    notes plugin reads as indentation as well (it takes spaces only), every offset kept."""
    if "\t" not in text:
        return text
    lines, in_note = text.split("\n"), False
    for i, line in enumerate(lines):
        if NOTE_DEF.match(line):
            in_note = True
        elif in_note and line.startswith("\t"):
            lines[i] = " " + line[1:]
        elif line.strip() and not line.startswith(" "):
            in_note = False
    return "\n".join(lines)




FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
NOT_TEXT = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|(?<=\]\()[^)\s]*")  # autolinks, destinations


def as_notes_read(text: str, comments: bool = True) -> str:
    r"""The text with what Markdown does not read as notes blanked out, positions kept: fenced code
    blocks, code spans, escaped brackets (`\[^x]`), HTML comments (unless `comments` is false),
    autolinks and link destinations: `[^x]` there is not a reference."""
    spans: list[tuple[int, int]] = []
    if "```" in text or "~~~" in text:
        offset, fence = 0, None
        for line in text.split("\n"):
            m = FENCE.match(line)
            if fence is None and m:
                fence = m.group(1)
                spans.append((offset, offset + len(line)))
            elif fence is not None:
                spans.append((offset, offset + len(line)))
                if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                    fence = None
            offset += len(line) + 1
    if "`" in text:
        spans += _code_spans(_blanked(text, spans))
    if "\\[" in text:
        spans += [m.span() for m in re.finditer(r"\\\[", text)]
    if comments and "<!--" in text:
        spans += _comments(_blanked(text, spans))
    if "<" in text or "](" in text:
        spans += [m.span() for m in NOT_TEXT.finditer(_blanked(text, spans))]
    return _blanked(text, spans)


# Both scans are linear (a regex with a lazy `.*?` retried from every unclosed opener was
# quadratic: 300 KB of `x <!--` took minutes).
# A line that starts a block of its own (after any quote markers): a list item, a heading, a table
# row; and a line that is a block by itself (a heading, a table row) ends one.
_OPENS_BLOCK = re.compile(r"[ \t>]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)|[ \t>]*#{1,6}(?:[ \t]|$)|[ \t>]*\|")
_WHOLE_LINE = re.compile(r"[ \t>]*(?:#{1,6}(?:[ \t]|$)|\|)")


def _block_starts(text: str) -> list[int]:
    """Where a code span cannot run past (sorted): the start of each line after a blank line, of
    each line that opens a block, and of each line after a one-line block."""
    out, offset, before = [], 0, ""
    for line in text.split("\n"):
        if offset and (not line.strip() or not before.strip() or _OPENS_BLOCK.match(line)
                       or _WHOLE_LINE.match(before)):
            out.append(offset)
        offset += len(line) + 1
        before = line
    return out


def _code_spans(text: str) -> list[tuple[int, int]]:
    """CommonMark's code spans: a run of backticks up to the next run of the same length in the
    same block (a span never crosses a blank line, a list item, a heading or a table row: a lone
    backtick is text); a backtick after a backslash opens nothing (within a span a backslash is
    text, so a run after one still closes)."""
    runs = [m.span() for m in re.finditer("`+", text)]
    breaks = _block_starts(text)
    closing: list[int | None] = [None] * len(runs)  # the run that closes each run, as an opener
    opens: list[int] = []  # where each run opens a span (one later after a backslash)
    last: dict[tuple[int, int], int] = {}  # (block, length) -> the next run of that length
    for k in range(len(runs) - 1, -1, -1):
        start, end = runs[k]
        j = start
        while j and text[j - 1] == "\\":
            j -= 1
        slashes = start - j
        block = bisect.bisect_right(breaks, start)
        opens.append(start + slashes % 2)
        if end > opens[-1]:
            closing[k] = last.get((block, end - opens[-1]))
        last[(block, end - start)] = k
    opens.reverse()
    spans, k = [], 0
    while k < len(runs):
        c = closing[k]
        if c is None:
            k += 1  # backticks without a match are text
            continue
        spans.append((opens[k], runs[c][1]))
        k = c + 1
    return spans


def _comments(text: str) -> list[tuple[int, int]]:
    """HTML comments (one never closed is text to Markdown)."""
    spans, at = [], text.find("<!--")
    while at >= 0:
        end = text.find("-->", at + 4)
        if end < 0:
            break
        spans.append((at, end + 3))
        at = text.find("<!--", end + 3)
    return spans


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the characters of `spans` but line breaks made spaces."""
    if not spans:
        return text
    out, at = [], 0
    for start, end in sorted(spans):
        start = max(start, at)
        out += [text[at:start], re.sub(r"[^\n]", " ", text[start:end])]
        at = max(at, end)
    return "".join(out) + text[at:]


def check_notes(raw: RawSection, path: str, read: str | None = None) -> list[Diagnostic]:
    """References without a definition (errors) and definitions never referred to (warnings);
    when one of each is a near miss of the other, each names the other (`[^m]:` for `[^ma]`)."""
    text = as_notes_read(raw.text) if read is None else read  # `read`: the same, made by the caller
    pos = Lines(text, raw.first_line)
    diags: list[Diagnostic] = []
    defs: dict[str, tuple[str, int, int]] = {}
    again: list[tuple[str, int, int, int]] = []  # a label defined twice: Markdown keeps the first
    for m in NOTE_DEF.finditer(text):
        key, here = unikey(m.group(1)), (m.group(1), *pos.at(m.start(1) - 2))
        if key in defs:
            again.append((*here, defs[key][1]))
        else:
            defs[key] = here
    used: set[str] = set()
    undefined: dict[str, tuple[str, int, int]] = {}  # first reference of each undefined label
    for m in NOTE_REF.finditer(text):
        key = unikey(m.group(1))
        used.add(key)
        if key not in defs:
            undefined.setdefault(key, (m.group(1), *pos.at(m.start())))
    unused = {key: d for key, d in defs.items() if key not in used}
    for m in NOTE_REF.finditer(text):
        if unikey(m.group(1)) not in defs:
            line, col = pos.at(m.start())
            other = _near(m.group(1), unused)
            hint = (f"did you mean `[^{other[0]}]`? it is defined at line {other[1]} and never referred to"
                    if other else f"add a line `[^{m.group(1)}]: …` inside this section; "
                    "each section has its own notes")
            diags.append(error(path, line, col, "footnote-undefined",
                               f"footnote `[^{m.group(1)}]` has no definition in the `{raw.key}` section", hint))
    for label, line, col in unused.values():
        other = _near(label, undefined)
        hint = (f"did you mean `[^{other[0]}]`? it is referred to at line {other[1]} and has no definition"
                if other else f"refer to it with `[^{label}]` or remove it")
        diags.append(warning(path, line, col, "footnote-unused",
                             f"footnote `[^{label}]` is defined but never referred to in the "
                             f"`{raw.key}` section", hint))
    for label, line, col, first in again:  # never referred to either: the references go to the first
        diags.append(warning(path, line, col, "footnote-unused",
                             f"footnote `[^{label}]` is defined again: the definition at line {first} is the "
                             "one its references show, and this one is never shown",
                             "give this note a label of its own, or remove one of the two definitions"))
    return diags


def _near(label: str, candidates: dict[str, tuple[str, int, int]]) -> tuple[str, int, int] | None:
    """The candidate note whose label is closest to `label` (a typo of one or the other); none
    looked for among very many (each search compares with every candidate)."""
    if len(candidates) > NEAR_LIMIT:
        return None
    by_label = {c[0]: c for c in candidates.values()}
    near = closest(label, by_label)
    return by_label[near] if near is not None else None
