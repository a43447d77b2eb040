"""Tables as GitHub's Markdown reads them: a header row, a delimiter row with as many cells, and
rows that may have fewer cells (filled with empty ones) or more (the excess left out), each with
or without its outer pipes; a cross-link's `|` separates no cells. Mistune's own table plugin read
a table with one such row as a paragraph of pipes.

Input: nothing (a leaf of the markdown package). Output: `tables`, a mistune plugin for the block
parser (with or without the outer pipes, in lists and block quotes too), whose tokens are those
mistune's table renderers take.
"""

from __future__ import annotations

import re
from typing import Any

import mistune
from mistune.block_parser import BlockParser
from mistune.core import BlockState

PIPED = r"^ {0,3}\|[^\n]*\|[ \t]*(?:\n|$)"  # a first row between pipes
BARE = r"^ {0,3}\S[^\n]*\|[^\n]*(?:\n|$)"  # a first row with a pipe inside
DELIMITER = re.compile(r":?-+:?")
# Where cross-links stand in a source (here, not in syntax.py, which imports this module: the
# positions in diagnostics use it too): the target never holds a pipe (so the scan stays linear),
# the label may wrap onto the next line but not across a blank one (a paragraph's end).
XLINK_SPAN = re.compile(r"\[\[[^\[\]\n|]*(?:\|(?:[^\[\]\n]|\n(?![ \t]*(?:\n|$)))*)?\]\]")


def _row(line: str) -> str | None:
    """The cells' text of a table line, without its outer pipes (either may be left out); None if
    the line has no pipe."""
    text = line.rstrip("\n").strip(" \t")
    if "|" not in text:
        return None
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return text


def _cells(text: str) -> list[str]:
    """The cells of a row: split at each pipe that no backslash escapes and that is not inside a
    cross-link (`[[slug|label]]` stays whole); an escaped pipe is a pipe of its cell, in code too
    (as GitHub reads `\\|`)."""
    cells, start, slashes, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c == "[" and (m := XLINK_SPAN.match(text, i)):
            i, slashes = m.end(), 0
            continue
        if c == "|" and slashes % 2 == 0:
            cells.append(text[start:i])
            start = i + 1
        slashes = slashes + 1 if c == "\\" else 0
        i += 1
    return [c.strip().replace("\\|", "|") for c in (*cells, text[start:])]


def _aligns(cells: list[str]) -> list[str | None] | None:
    out: list[str | None] = []
    for c in cells:
        if not DELIMITER.fullmatch(c):
            return None  # not a delimiter row: no table
        left, right = c.startswith(":"), c.endswith(":")
        out.append("center" if left and right else "left" if left else "right" if right else None)
    return out


def _parse(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    head = _row(m.group(0))
    pos = m.end()
    delimiter = state.get_line(pos)
    marks = _row(delimiter)
    if head is None or marks is None:
        return None
    names, aligns = _cells(head), _aligns(_cells(marks))
    if aligns is None or len(names) != len(aligns):
        return None
    pos += len(delimiter)

    def row(texts: list[str], kind: str, is_head: bool) -> dict[str, Any]:
        texts = (texts + [""] * len(aligns))[:len(aligns)]  # short rows filled, extra cells left out
        return {"type": kind, "children": [{"type": "table_cell", "text": t, "attrs": {"align": a, "head": is_head}}
                                           for t, a in zip(texts, aligns, strict=True)]}

    rows = []
    while pos < state.cursor_max:
        line = state.get_line(pos)
        text = _row(line)
        if text is None or not line.strip():
            break
        rows.append(row(_cells(text), "table_row", False))
        pos += len(line)
    state.append_token({"type": "table", "children": [row(names, "table_head", True),
                                                      {"type": "table_body", "children": rows}]})
    return pos


def tables(md: mistune.Markdown) -> None:
    """Tables in a section, and in its lists and block quotes (the spec's blocks hold them)."""
    md.block.register("table", PIPED, _parse, before="paragraph")
    md.block.register("nptable", BARE, _parse, before="paragraph")
    for rules in (md.block.block_quote_rules, md.block.list_rules):
        md.block.insert_rule(rules, "table", before="paragraph")
        md.block.insert_rule(rules, "nptable", before="paragraph")
