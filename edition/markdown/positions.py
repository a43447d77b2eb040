"""Where each top-level block of a section starts in the source: mistune's tokens carry no position.

Input: a parser from render.make_parser. Output: `positioned(parser)` wraps its block parser once
so that a `PositionedState` passed to `parser.parse` records the offset at which each top-level
token begins; `starts(state, tokens)` gives them per token, in order. `Lines` turns an offset
into a line and a column.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import mistune
from mistune.core import BlockState


class PositionedState(BlockState):
    """A root block state that remembers where its tokens start."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.offsets: list[int] = []  # starts of the top-level blocks that made a token
        self.nested: list[int] = []  # tokens added by the rule calls still open (a list parses what follows it)

    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        if self.parent is None and not (last and last["type"] == "paragraph"):
            self.offsets.append(self.cursor)
        super().add_paragraph(text)


def positioned(md: mistune.Markdown) -> mistune.Markdown:
    """Wrap the parser's rule dispatch: a rule call records its match's start when it added a
    token of its own (calls nested in it, such as the blocks a list looks ahead at, count apart)."""
    block = md.block
    method = block.parse_method
    fast = block._parse_indent_code_fast

    def parse_method(m: Any, state: BlockState) -> Any:
        if not isinstance(state, PositionedState) or state.parent is not None or m.lastgroup == "blank_line":
            return method(m, state)
        before = len(state.tokens)
        state.nested.append(0)
        try:
            end = method(m, state)
        finally:
            inner = state.nested.pop()
        added = len(state.tokens) - before
        if added > inner:
            state.offsets.append(m.start())
        if state.nested:
            state.nested[-1] += added
        return end

    def parse_indent_code_fast(state: BlockState) -> int | None:
        start = state.cursor
        end = fast(state)
        if end is not None and isinstance(state, PositionedState) and state.parent is None:
            state.offsets.append(start)
        return end

    block.parse_method = parse_method  # type: ignore[method-assign]
    block._parse_indent_code_fast = parse_indent_code_fast  # type: ignore[method-assign]
    return md


def starts(state: PositionedState, tokens: list[dict[str, Any]]) -> list[int]:
    """The source offset of each token (blank lines and footnotes get -1)."""
    offsets = sorted(state.offsets)
    out = []
    i = 0
    for tok in tokens:
        if tok["type"] in ("blank_line", "footnotes"):
            out.append(-1)
            continue
        out.append(offsets[i] if i < len(offsets) else (offsets[-1] if offsets else 0))
        i += 1
    return out


class Lines:
    """The line and column of an offset in a section's text, by bisection over its line starts
    (counting the line breaks before each position made a section of many blocks quadratic)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.first_line = first_line

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        return self.first_line + i, offset - self.starts[i] + 1
