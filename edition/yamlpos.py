"""YAML with positions: parse text into nodes that remember their line and column.

Input: YAML text, the file's path and the line the text starts on. Output: a `Node` tree and
diagnostics (syntax errors with the parser's position, duplicate keys). Uses PyYAML's C composer;
scalars are constructed with the safe constructor so dates and numbers keep their YAML types.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from . import textcheck, yamlguard
from .diagnostics import Diagnostic, error

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Node:
    kind: str  # "map", "seq" or "scalar"
    value: Any  # tuple[(key Node, value Node)] for maps, tuple[Node] for seqs, the scalar value
    line: int
    column: int
    plain: bool = True  # a scalar written without quotes
    # A scalar as written (quotes and escapes read): what a text or an id is. YAML 1.1 makes
    # `no`, `007`, `1.10` and `2014-11-19` a boolean, numbers and a date; the spec's ids and
    # texts are strings, so where the schema wants one it reads this, as YAML 1.2 would.
    source: str = ""
    comment: str = ""  # a comment on the line after a plain scalar (` #2 of the series`): YAML drops it

    def items(self) -> tuple[tuple[Node, Node], ...]:
        return self.value if self.kind == "map" else ()

    def describe(self) -> str:
        if self.kind == "map":
            return "a mapping"
        if self.kind == "seq":
            return "a list"
        v = self.value
        if v is None:
            return "nothing"
        if isinstance(v, bool):
            return f"`{'true' if v else 'false'}`"
        # Say what YAML read, in the editor's words: never a Python type name.
        if isinstance(v, dt.datetime):
            return f"the date and time `{v.isoformat(sep=' ')}`"
        if isinstance(v, dt.date):
            return f"the date `{v.isoformat()}`"
        if isinstance(v, int | float):  # as written: a number of thousands of digits has no str()
            shown = self.source if len(self.source) <= 40 else self.source[:40] + "…"
            return f"the number `{shown}`"
        return f"`{v}`" if self.plain else f"the quoted text `{v}`"


_constructor = _Loader("")


# PyYAML reads U+2028 and U+2029 as line breaks (YAML 1.1); in YAML 1.2, as in the spec, they are
# text. Each is read as a non-character of the same length (positions do not move) and given back
# in every scalar; not where the text holds those non-characters already.
_AS_TEXT = {0x2028: 0xFDD0, 0x2029: 0xFDD1}
_BACK = {v: k for k, v in _AS_TEXT.items()}


def parse(text: str, path: str, first_line: int = 1) -> tuple[Node | None, list[Diagnostic]]:
    offset = first_line - 1
    if ("\u2028" in text or "\u2029" in text) and "\ufdd0" not in text and "\ufdd1" not in text:
        text = text.translate(_AS_TEXT)
    refused = yamlguard.check(text, path, first_line)  # alias bombs, cycles, tags: before composing
    if refused:
        return None, refused
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        if (slip := _common_slip(text, e)) is not None:
            at_line, at_col, message, hint = slip
            return None, [error(path, at_line + 1 + offset, at_col + 1, "yaml-syntax", message, hint)]
        mark = _where(e, text)
        line = mark.line + 1 + offset if mark else first_line
        col = mark.column + 1 if mark else 1
        return None, [error(path, line, col, "yaml-syntax", *_syntax_message(e, text, offset))]
    except yaml.YAMLError as e:
        return None, [error(path, first_line, 1, "yaml-syntax", f"invalid YAML: {e}")]
    if root is None:
        return None, []
    diags: list[Diagnostic] = []
    return _convert(root, path, offset, diags, text.split("\n")), diags


# Errors whose cause is where a construct began, not where the parser gave up: an unclosed
# bracket or quote, a key without its colon (the parser notices only on a later line).
_OPENED = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a simple key")


def _where(e: yaml.MarkedYAMLError, text: str) -> Any:
    if e.context_mark is not None and (e.context or "").startswith(_OPENED):
        return _opener(e, text) or e.context_mark
    return e.problem_mark or e.context_mark


def _unclosed(text: str) -> int:
    """The index of the last `[` or `{` of `text` left open (quoted text and comments aside), or -1."""
    opened: list[int] = []
    quote = ""
    for i, c in enumerate(text):
        if quote:
            quote = "" if c == quote or (c == "\n" and quote == "#") else quote
        elif c in "\"'" or (c == "#" and (i == 0 or text[i - 1] in " \t\n")):
            quote = "\n" if c == "#" else c
        elif c in "[{":
            opened.append(i)
        elif c in "]}" and opened:
            opened.pop()
    return opened[-1] if opened else -1


def _opener(e: yaml.MarkedYAMLError, text: str) -> yaml.Mark | None:
    """Where the unclosed `[` or `{` of a flow collection stands. PyYAML marks the end of the text
    instead when nothing follows the bracket (`tags: [` on the last line)."""
    if not (e.context or "").startswith("while parsing a flow") or e.context_mark is None:
        return None
    i = e.context_mark.index
    if i >= len(text) or text[i] not in "[{":
        i = _unclosed(text[:i])
    if i < 0 or text[i] not in "[{":
        return None
    start = text.rfind("\n", 0, i) + 1
    return yaml.Mark("", i, text.count("\n", 0, i), i - start, None, None)  # PyYAML's own kind of mark


def _found(text: str, mark: Any) -> str:
    """What stands where the parser gave up, as a reader would name it."""
    if mark is None or not text[mark.index:].strip():
        return "the end of the text"
    word = text[mark.index:].split(maxsplit=1)[0]
    return f"`{word[:20]}`"


def _syntax_message(e: yaml.MarkedYAMLError, text: str, offset: int = 0) -> tuple[str, str]:
    """The message and hint of a YAML syntax error: an unclosed bracket or quote and a key without
    its colon are named where they begin; a tab in the indentation is named as such."""
    mark = e.problem_mark or e.context_mark
    if mark is not None:
        lines = text.split("\n")
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: mark.column + 1] and not line[: line.index("\t")].strip():
            return ("invalid YAML: a tab indents this line; YAML indents with spaces only",
                    "replace the tab with spaces (two per level, as in the lines around it)")
    found = _found(text, e.problem_mark)
    start, end = e.context_mark, e.problem_mark
    later = ""
    if start is not None and end is not None and end.line > start.line and found != "the end of the text":
        later = f" before line {end.line + 1 + offset}"
        found = f"`{text.split(chr(10))[end.line].strip()[:40]}`"
    context = e.context or ""
    if (at := _opener(e, text)) is not None:
        opener = text[at.index]
        closer = "]" if opener == "[" else "}"
        return (f"invalid YAML: the `{opener}` opened here is not closed{later}: expected `,` or "
                f"`{closer}`, found {found}",
                f"end the list or mapping with `{closer}`, or quote the value if the `{opener}` is part of its text")
    if start is not None and context.startswith("while scanning a quoted scalar"):
        quote = text[start.index]
        return (f"invalid YAML: the quotation mark {quote} opened here is not closed{later}: found {found}",
                "close the quote; inside double quotes write \\\" for a quotation mark, inside single quotes ''")
    if start is not None and context.startswith("while scanning a simple key"):
        return (f"invalid YAML: this key has no `:` after it: expected `:`{later}, found {found}",
                "write `key: value` (a colon and a space), or quote the line if it is text")
    msg = (e.problem or "invalid YAML").strip()
    ctx = f" {context.strip()}" if context else ""
    tail = "" if "found" in msg else f", found {found}"
    return f"invalid YAML: {msg}{ctx}{tail}", "check indentation, colons and quotes on this line or the one above"


# A field name (ASCII, as every key of the format) typed with a full-width colon; Chinese text with
# one (`主持人：各位好`) is no key and is left alone.
FULL_WIDTH_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z][A-Za-z0-9_-]*)\s*：")
# A value that begins with a sign YAML keeps for itself; `[` only as a short bracket with text after
# it (`[Draft] A speech`), never a list (`[a, b]`) nor a mapping (`{…}`, not checked).
INDICATOR_VALUE = re.compile(r"^\s*(?:-\s+)?[^\s:#\"'][^:#]*?:\s+(?:([*&!|>@`%])|(\[)[^\[\]{},\"']*\][ \t]*[^\s#,\]}])")


def _common_slip(text: str, e: yaml.MarkedYAMLError) -> tuple[int, int, str, str] | None:
    """Two slips the parser names in its own terms: a text that begins with a character YAML
    reserves (`[Draft] …`, `*`, `@`), on the line where the parser stopped; and a field name followed
    by a full-width colon (what a Chinese input method types), there or on the line above (the parser
    notices it a line later). Said in the editor's words, at the slip."""
    lines = text.split("\n")
    mark = e.problem_mark or e.context_mark
    if mark is None:
        return None
    line = lines[mark.line] if mark.line < len(lines) else ""
    if m := INDICATOR_VALUE.match(line):
        at = m.start(1) if m.group(1) else m.start(2)
        c = "a backtick" if line[at] == "`" else f"`{line[at]}`"
        key, value = line[:at].strip(), line[at:].strip().replace("\\", "\\\\").replace('"', '\\"')
        return (mark.line, at, f"invalid YAML: a text that begins with {c} must be in quotes (YAML reads it "
                "as a sign of its own)", f'put the text in quotes: {key} "{value}"')
    for n in (mark.line, mark.line - 1):
        line = lines[n] if 0 <= n < len(lines) else ""
        if m := FULL_WIDTH_COLON.match(line):
            return (n, m.end() - 1, f"invalid YAML: the colon after `{m.group(1)}` is the full-width `：`; "
                    "YAML needs `:`", f"type `{m.group(1)}: ` with an ASCII colon and a space")
    return None


def _convert(n: yaml.Node, path: str, offset: int, diags: list[Diagnostic], lines: list[str]) -> Node:
    line, col = n.start_mark.line + 1 + offset, n.start_mark.column + 1
    if isinstance(n, yaml.MappingNode):
        seen: dict[Any, int] = {}
        pairs = []
        for k, v in n.value:
            kn, vn = _convert(k, path, offset, diags, lines), _convert(v, path, offset, diags, lines)
            key = kn.source if kn.kind == "scalar" else None
            if key is not None and key in seen:
                diags.append(error(path, kn.line, kn.column, "duplicate-key",
                                   f"`{key}` is given twice; the first is at line {seen[key]}",
                                   "remove one of the two"))
                continue
            if key is not None:
                seen[key] = kn.line
            pairs.append((kn, vn))
        return Node("map", tuple(pairs), line, col)
    if isinstance(n, yaml.SequenceNode):
        return Node("seq", tuple(_convert(x, path, offset, diags, lines) for x in n.value), line, col)
    try:
        value = _constructor.construct_object(n, deep=True)
    except (ValueError, yaml.constructor.ConstructorError):
        value = n.value  # an impossible date such as 2014-02-30: keep the text; the schema reports it
    if isinstance(value, str):
        value = value.translate(_BACK)
    if isinstance(value, str) and (bad := textcheck.forbidden_in(value)):
        # Raw control characters were refused when the file was read; this one is a YAML escape.
        diags.append(error(path, line, col, "control-character",
                           f"control character {textcheck.code_point(bad)} in the value (written as an escape)",
                           "remove the escape: text may hold no control character but tab and line breaks"))
        value = textcheck.FORBIDDEN.sub("\ufffd", value)
    plain = n.style in (None, "")
    comment = ""
    if plain and n.end_mark.line < len(lines):
        rest = lines[n.end_mark.line][n.end_mark.column:]
        comment = rest.strip() if COMMENT_AFTER.match(rest) else ""
    return Node("scalar", value, line, col, plain=plain,
                source=textcheck.FORBIDDEN.sub("\ufffd", n.value).translate(_BACK), comment=comment)


# What looks like text cut short, not a comment written on purpose: one space before the `#`, and
# a word right after it (`Speech #2`, `#MeToo`); comments are set apart (`en: text   # a note`).
COMMENT_AFTER = re.compile(r" #\S")
