"""Each block of a section knows the line and column where it starts, whatever kind of block it is."""

from __future__ import annotations

from edition.markdown import parse_body

BODY = """
::: en
[x]: https://example.org/

A paragraph
on two lines.
# A heading right after it

- a list
- of two
> a quote right after the list

| a | b |
|---|---|
| 1 | 2 |

<!-- a comment is no block -->

```
code
```

    indented code

1. ordered
---
The {--removed--} and {~~wrong~>right~~} text{>>with a comment<<}.[^n]

[^n]: A note.
:::
"""


def test_block_lines_and_columns() -> None:
    (section,), problems = parse_body(BODY, "x.md", 10, ("en", "zh"), False)
    assert problems == []
    lines = [n for n, _ in section.lines]
    # paragraph, heading, list, quote, table, fenced code, indented code, ordered list, paragraph (the
    # break at line 35 is not a block: it stays with the list before it)
    assert lines == [14, 16, 18, 20, 22, 28, 32, 34, 36]
    assert section.blocks[7].endswith("<hr>\n")
    assert section.lines[6] == (32, 5)  # indented code starts after its indent
    assert len(section.lines) == len(section.blocks) == len(section.plain)


def test_plain_text_is_the_text_as_edited() -> None:
    (section,), _ = parse_body(BODY, "x.md", 10, ("en", "zh"), False)
    assert section.plain[-1] == "The  and right text.[1]"
    assert section.text[-2] == "The {removed} and right text[Editor's comment: with a comment].[1]"
