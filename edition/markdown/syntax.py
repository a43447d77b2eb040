"""The edition's Markdown: CommonMark with tables and footnotes, and its own inline syntax.

Input: nothing (a leaf of the markdown package). Output: `make_parser()`, a mistune parser that
returns tokens, with two plugins: cross-links (`[[slug]]`, `[[slug#p12|label]]`,
`[[person:id]]`) become `crosslink` tokens, and editorial marks (`{++…++}`, `{--…--}`,
`{~~…~>…~~}`, `{>>…<<}`) `ed_*` tokens; a mark the parser must leave as text is noted in the parse
state (`MARK_PROBLEMS`) for a diagnostic.
"""

from __future__ import annotations

import re
from typing import Any

import mistune
from mistune.core import BlockState, InlineState
from mistune.inline_parser import InlineParser
from mistune.plugins.footnotes import footnotes, md_footnotes_hook, parse_footnote_item

from .tables import tables

# `\|`, a table cell's escaped pipe, separates a label as well; a label may wrap onto the next line.
CROSSLINK = (r"\[\[(?P<xl_target>[^\[\]|#\n]+?)(?:#(?P<xl_anchor>[^\[\]|\n]*?))?"
             r"(?:\\?\|(?P<xl_label>[^\[\]]*))?\]\]")


ED_OPEN = r"\{(?:\+\+|--|~~|>>)"
ED_CLOSE = {"++": "++}", "--": "--}", "~~": "~~}", ">>": "<<}"}
ED_KIND = {"++": "add", "--": "del", "~~": "corr", ">>": "comment"}


def _parse_crosslink(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    label = m.group("xl_label")
    state.append_token({"type": "crosslink", "raw": m.group(0), "attrs": {
        "target": m.group("xl_target").strip(),
        "anchor": m.group("xl_anchor"),
        "label": label.strip() if label is not None else None}})  # "" (`[[x|]]`) is reported
    return m.end()


def _inline_children(inline: InlineParser, state: InlineState, text: str) -> list[dict[str, Any]]:
    child = state.copy()
    child.src = text
    return inline.render(child)


MARK_PROBLEMS = "edition_mark_problems"  # the parse state's list of (problem, opener, source from it to its line end)


SOURCE_KEPT = 200  # characters of an unreadable mark kept to find its place


def _closing(state: InlineState, closer: str, start: int) -> int:
    """Where the next `closer` stands at or after `start` (-1: nowhere), remembered in the parse
    state: each of thousands of open marks searching the rest of the text made it quadratic."""
    known = state.env.setdefault("edition_closers", {})
    key = (closer, state.src)  # a mark's own text is parsed as a text of its own
    seen = known.get(key)
    if seen is not None and seen[0] <= start and (seen[1] < 0 or seen[1] >= start):
        return seen[1]  # searched from before here, and nothing found between
    found = state.src.find(closer, start)
    known[key] = (start, found)
    return found


def _parse_edmark(inline: InlineParser, m: re.Match[str], state: InlineState) -> int | None:
    opener = m.group(0)[1:]
    if state.depth >= inline.max_nested_level:
        return None
    end = _closing(state, ED_CLOSE[opener], m.end())
    # A mark whose closing braces come after another opening of its kind (`{~~a~>b~} … {~~c~>d~~}`)
    # borrowed that one's: it is the first that was left open.
    again = state.src.find("{" + opener, m.end(), end) if end >= 0 else -1
    inner = state.src[m.end():end] if end >= 0 and again < 0 else ""
    kind = ED_KIND[opener]
    problem = "unclosed" if end < 0 or again >= 0 else "no-arrow" if kind == "corr" and "~>" not in inner \
        else "empty" if kind != "corr" and not inner.strip() else None
    if problem:
        # Left as text, but reported: a mark's braces must never reach a page unnoticed. The source
        # quoted (to find the mark's place) is cut short: thousands of open marks on one line kept
        # the rest of the line each.
        cut = m.start() + SOURCE_KEPT
        line_end = state.src.find("\n", m.start(), cut)
        source = state.src[m.start():line_end if line_end >= 0 else min(cut, len(state.src))]
        state.env.setdefault(MARK_PROBLEMS, []).append((problem, opener, source))
        return None
    if kind == "corr":
        sic, corr = inner.split("~>", 1)
        token = {"type": "ed_corr", "children": _inline_children(inline, state, corr),
                 "sic": _inline_children(inline, state, sic)}
    else:
        token = {"type": "ed_" + kind, "children": _inline_children(inline, state, inner)}
    state.append_token(token)
    return end + len(ED_CLOSE[opener])


# A `!` before a note reference or a cross-link ("Thank you![^1]"): the image syntax `![` would
# take the `[` and leave the reference as text, its note lost. Unless a destination follows (then
# it is an image whose text begins with `[`: `![[1] A map](map.png)`), the `!` is text.
BANG = r"!(?=\[\^[^\]\n]*\](?![(\[])|\[\[[^\[\]\n]*\]\](?![(\[]))"


def _parse_bang(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    state.append_token({"type": "text", "raw": "!"})
    return m.end()


def crosslinks(md: mistune.Markdown) -> None:
    md.inline.register("crosslink", CROSSLINK, _parse_crosslink, before="link", start_chars="[")
    md.inline.register("bang", BANG, _parse_bang, before="link", start_chars="!")


def editorial_marks(md: mistune.Markdown) -> None:
    md.inline.register("edmark", ED_OPEN, _parse_edmark, before="link", start_chars="{")


def make_parser() -> mistune.Markdown:
    """A Markdown parser that returns tokens (no renderer): render per block ourselves."""
    md = mistune.Markdown(renderer=None, plugins=[footnotes, tables, crosslinks, editorial_marks])
    md.after_render_hooks = [_all_notes if h is md_footnotes_hook else h for h in md.after_render_hooks]
    return md


def _all_notes(md: mistune.Markdown, result: Any, state: BlockState) -> Any:
    """The plugin's footnotes hook, but a note referred to only from another note's text is made
    too (numbered after those it follows; the plugin left it out, and its links unchecked)."""
    notes = state.env.get("footnotes")
    if not notes:
        return result
    items: list[dict[str, Any]] = []
    done = 0
    while done < len(notes):  # reading the notes' texts may refer to more (the same list grows)
        child = BlockState(parent=state)
        child.tokens = [parse_footnote_item(md.block, key, i, state) for i, key in enumerate(notes[done:], done + 1)]
        done = len(notes)
        items += md.render_state(child)
    return [*result, {"type": "footnotes", "children": items}]
