"""Diagnostics: the one type every stage uses to report a problem to the editor.

Input: nothing (a leaf module). Output: `Diagnostic`, helpers to build, sort and format them.
Formatting takes the source text so that the offending line can be shown under the message,
the way Jinja's TemplateSyntaxError does.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


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


def error(path: str, line: int, column: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, Severity.ERROR, code, message, hint)


def warning(path: str, line: int, column: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, Severity.WARNING, code, message, hint)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known word, or an empty string."""
    # Short keys such as language codes differ by one letter in half their length: accept that.
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5 if len(word) <= 3 else 0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def one_of(choices: Iterable[str]) -> str:
    names = sorted(choices)
    if not names:
        return "none are defined"
    shown = ", ".join(f"`{n}`" for n in names[:12])
    return shown + (f" and {len(names) - 12} more" if len(names) > 12 else "")


def is_fatal(d: Diagnostic, strict: bool) -> bool:
    return d.severity is Severity.ERROR or strict


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.column, d.code, d.message)


def format_diagnostic(d: Diagnostic, sources: Mapping[str, str], strict: bool = False) -> str:
    """The headline, the source line with a caret under the column, and the hint."""
    sev = "error" if is_fatal(d, strict) else d.severity.value
    lines = [f"{d.location}: {sev}[{d.code}]: {d.message}"]
    text = sources.get(d.path)
    if text is not None and d.line:
        src_lines = text.split("\n")
        if d.line <= len(src_lines):
            src = src_lines[d.line - 1].rstrip("\r")
            gutter = f"{d.line:>4} | "
            lines.append(gutter + src)
            if d.column:
                # Wide (CJK) characters take two cells in a terminal; keep the caret under the column.
                prefix = src[: d.column - 1]
                width = sum(2 if ord(c) >= 0x1100 and _wide(c) else 1 for c in prefix)
                lines.append(" " * (len(gutter) + width) + "^")
    if d.hint:
        lines.append(f"  = hint: {d.hint}")
    return "\n".join(lines)


def _wide(c: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(c) in ("W", "F")


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
    props = [f"file={_gh_property(d.path)}"]
    if d.line:
        props.append(f"line={d.line}")
    if d.column:
        props.append(f"col={d.column}")
    props.append(f"title={_gh_property(f'{level}[{d.code}]')}")
    message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
    return f"::{level} {','.join(props)}::{_gh_data(message)}"


def as_json(diags: Iterable[Diagnostic], strict: bool = False) -> list[dict[str, object]]:
    return [{"path": d.path, "line": d.line, "column": d.column,
             "severity": "error" if is_fatal(d, strict) else d.severity.value,
             "code": d.code, "message": d.message, "hint": d.hint} for d in diags]
