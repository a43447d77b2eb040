"""Diagnostics: the one type every stage uses to report a problem to the editor.

Input: nothing (a leaf module). Output: `Diagnostic`, helpers to build, sort and format them.
Formatting takes the source text so that the offending line can be shown under the message,
the way Jinja's TemplateSyntaxError does.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import SupportsIndex


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[type[Severity], tuple[str]]:
        # Pickled by value through the class: Enum's own way calls `getattr`, which the build
        # cache's unpickler refuses (cache.py), so no cached value with a diagnostic was read back.
        return Severity, (self.value,)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the site root, with forward slashes
    line: int  # 1-based; 0 when the problem has no line
    column: int  # 1-based; 0 when the problem has no column
    severity: Severity
    code: str
    message: str
    hint: str = ""

    @property
    def location(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path

    def headline(self) -> str:
        return f"{self.location}: {self.severity.value}[{self.code}]: {self.message}"


# Written as escapes when a diagnostic is printed: controls, line breaks and bidirectional
# overrides, so that a file name, a value or a source line cannot move the cursor or forge a line.
# Lone surrogates too: Python's stand-ins for bytes that are not UTF-8 (in a name or an argument).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
                    "\ufffe\uffff]")


def escaped(text: str, keep: str = "") -> str:
    """`text` with unsafe characters written as \\xNN or \\uNNNN, except those in `keep`."""
    def one(m: re.Match[str]) -> str:
        c = m.group()
        if c in keep:
            return c
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    return UNSAFE.sub(one, text)


def error(path: str, line: int, column: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, Severity.ERROR, code, message, hint)


def warning(path: str, line: int, column: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, Severity.WARNING, code, message, hint)


NEAR_POOL = 500  # known words compared with an unknown one for a "did you mean"


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known word closest to `word`, if any is close enough to be a typo of it."""
    # Short keys such as language codes differ by one letter in half their length: accept that.
    cutoff = 0.5 if len(word) <= 3 else 0.6
    # Only words of a length that can reach the cutoff; among very many, those that begin alike
    # (each comparison costs; 300 unknown ids among 30,000 took minutes).
    pool = choices if isinstance(choices, list) else list(choices)
    if len(pool) > NEAR_POOL:
        first = word[:1]
        pool = [c for c in pool if c[:1] == first][:NEAR_POOL]
    pool = [c for c in pool if 2 * min(len(c), len(word)) >= cutoff * (len(c) + len(word))]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known word, or an empty string."""
    close = closest(word, choices)
    return f"did you mean `{close}`?" if close else ""


# Names editors write for a language instead of its key: `original: cn`, `::: eng`.
LANGUAGE_ALIASES = {
    "zh": ("cn", "zh-cn", "zh_cn", "zh-hans", "zh_hans", "chs", "zho", "chi", "chinese", "mandarin", "中文"),
    "en": ("eng", "english", "en-us", "en_us", "en-gb", "en_gb", "英文"),
    "fr": ("fra", "fre", "french"), "de": ("deu", "ger", "german"), "ja": ("jp", "jpn", "japanese"),
    "ko": ("kr", "kor", "korean"), "ru": ("rus", "russian"), "es": ("spa", "spanish"),
}


def closest_language(word: str, keys: Iterable[str]) -> str | None:
    """The language key `word` stands for: another name of it (`cn`, `eng`), or a typo of it."""
    known = list(keys)
    lowered = word.strip().lower()
    for key in known:
        if lowered == key.lower() or lowered in LANGUAGE_ALIASES.get(key, ()):
            return key
    return closest(word, known)


def did_you_mean_language(word: str, keys: Iterable[str]) -> str:
    """`did_you_mean` for a language key, knowing the usual other names of a language."""
    key = closest_language(word, keys)
    return f"did you mean `{key}`?" if key else ""


def one_of(choices: Iterable[str]) -> str:
    names = sorted(choices)
    if not names:
        return "none are defined"
    shown = ", ".join(f"`{n}`" for n in names[:12])
    return shown + (f" and {len(names) - 12} more" if len(names) > 12 else "")


def site_path(path: str, root: str) -> str:
    """A file's path as diagnostics name it: relative to the site root, or absolute outside it."""
    p, r = PurePath(path), PurePath(root)
    if root and p.is_absolute() and p.is_relative_to(r):
        return p.relative_to(r).as_posix()
    return p.as_posix()


def is_fatal(d: Diagnostic, strict: bool) -> bool:
    return d.severity is Severity.ERROR or strict


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.column, d.code, d.message)


WINDOW = 100  # display cells of a source line shown under a message; a longer line is cut around the caret


def source_lines(texts: Mapping[str, str], diags: Iterable[Diagnostic]) -> dict[str, list[str]]:
    """The lines of each file the diagnostics name, split once (not once per diagnostic: a file
    with thousands of problems made the report quadratic)."""
    return {p: texts[p].split("\n") for p in {d.path for d in diags} if p in texts}


def format_diagnostic(d: Diagnostic, sources: Mapping[str, str] | Mapping[str, list[str]],
                      strict: bool = False) -> str:
    """The headline, the source line with a caret under the column, and the hint. `sources`: each
    file's text, or its lines (`source_lines`)."""
    sev = "error" if is_fatal(d, strict) else d.severity.value
    lines = [escaped(f"{d.location}: {sev}[{d.code}]: {d.message}")]
    text = sources.get(d.path)
    if text is not None and d.line:
        src_lines = text.split("\n") if isinstance(text, str) else text
        if d.line <= len(src_lines):
            gutter = f"{d.line:>4} | "
            shown, caret = source_excerpt(src_lines[d.line - 1].rstrip("\r"), d.column)
            lines.append(gutter + shown)
            if caret is not None:
                lines.append(" " * (len(gutter) + caret) + "^")
    if d.hint:
        lines.append(f"  = hint: {escaped(d.hint)}")
    return "\n".join(lines)


def _cell(c: str) -> tuple[str, int]:
    """How a character of a source line is shown, and how many terminal cells that takes."""
    if c == "\t":
        return " ", 1  # a tab's width depends on the terminal: one space keeps the caret honest
    if UNSAFE.match(c):
        shown = escaped(c)  # a terminal escape or a bidirectional override, shown as what it is
        return shown, len(shown)
    if unicodedata.combining(c):
        return c, 0
    return c, 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def source_excerpt(src: str, column: int, width: int = WINDOW) -> tuple[str, int | None]:
    """The line as shown (cut to a window of `width` cells around the column, with "..." where
    it is cut) and the cell the caret goes under (None without a column)."""
    if len(src) > 4 * width:  # measure only around the caret: thousands of problems on a long line
        lo = max(0, column - 1 - 2 * width)
        hi = max(column - 1, 0) + 2 * width
        shown, caret = source_excerpt(src[lo:hi], column - lo if column else 0, width)
        if lo > 0 and not shown.startswith("..."):
            shown, caret = "..." + shown, caret + 3 if caret is not None else None
        if hi < len(src) and not shown.endswith("..."):
            shown += "..."
        return shown, caret
    cells = [_cell(c) for c in src]
    caret_at = min(max(column - 1, 0), len(cells))
    start, end = 0, len(cells)
    if sum(w for _, w in cells) > width:
        # Keep a third of the window before the caret, the rest after it.
        start, room = caret_at if column else 0, width - 6
        before = room // 3 if column else 0
        while start > 0 and before - cells[start - 1][1] >= 0:
            start -= 1
            before -= cells[start][1]
        room -= sum(w for _, w in cells[start:caret_at])
        end = caret_at
        while end < len(cells) and room - cells[end][1] >= 0:
            room -= cells[end][1]
            end += 1
        while start > 0 and room - cells[start - 1][1] >= 0:  # near the end: show more before
            start -= 1
            room -= cells[start][1]
    head = "..." if start > 0 else ""
    tail = "..." if end < len(cells) else ""
    shown = head + "".join(c for c, _ in cells[start:end]) + tail
    caret = len(head) + sum(w for _, w in cells[start:caret_at]) if column else None
    return shown, caret


def summary_line(diags: Iterable[Diagnostic], strict: bool = False) -> str:
    ds = list(diags)
    errors = sum(1 for d in ds if is_fatal(d, strict))
    warnings = len(ds) - errors
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(d: Diagnostic, strict: bool = False) -> str:
    """A GitHub Actions workflow command, so that the problem shows on the pull request's line."""
    level = "error" if is_fatal(d, strict) else "warning"
    props = [f"file={_gh_property(escaped(d.path))}"]
    if d.line:
        props.append(f"line={d.line}")
    if d.column:
        props.append(f"col={d.column}")
    props.append(f"title={_gh_property(f'{level}[{d.code}]')}")
    message = escaped(d.message) + (f"\nhint: {escaped(d.hint)}" if d.hint else "")
    return f"::{level} {','.join(props)}::{_gh_data(message)}"


def as_json(diags: Iterable[Diagnostic], strict: bool = False) -> list[dict[str, object]]:
    return [{"path": d.path, "line": d.line, "column": d.column,
             "severity": "error" if is_fatal(d, strict) else d.severity.value,
             "code": d.code, "message": d.message, "hint": d.hint} for d in diags]
