"""The same section tokens as TEI P5 and as plain text, for the exports.

Input: the tokens the HTML renderer has just rendered. Output: per block, a TEI element and a line
of plain text; per note, its TEI and text. Cross-links stay placeholders (filled per tree by the
exporter, like the HTML); TEI notes are placed where they are referred to.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from mistune.core import BlockState

from .render import COMMENTS, SectionRenderer, entities, labels_only

NOTE_MARK = "\x1e{}\x1f"
NOTE_RE = re.compile("\x1e(\\d+)\x1f")


# In a figure's description, the text as edited alone: a correction's source, removed text and
# the editors' notes aside, no element (figDesc holds text).
_NOT_READ = re.compile(r"<sic>.*?</sic>|<del\b[^>]*>.*?</del>|<note\b[^>]*>.*?</note>", re.S)


def _text_of(tei: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", _NOT_READ.sub("", tei)).split())


class TEIRenderer(SectionRenderer):
    """TEI P5: p, head, list/item, quote, table/row/cell, hi, ref; marks as supplied, del,
    choice/sic/corr and note type="editorial"; footnotes as note place="end"."""

    def __init__(self, key: str, doc_dir: str = "content/speeches") -> None:
        super().__init__(key, escape=True, doc_dir=doc_dir)

    def _mark(self, kind: str, token: dict[str, Any], state: BlockState) -> str:
        inner = self.render_tokens(token["children"], state)
        if kind == "add":
            return f'<supplied reason="omitted">{inner}</supplied>'
        if kind == "del":
            return f'<del rend="editorial">{inner}</del>'
        if kind == "comment":
            return f'<note type="editorial">{inner}</note>'
        return f"<choice><sic>{self.render_tokens(token['sic'], state)}</sic><corr>{inner}</corr></choice>"

    def footnote_ref(self, key: str, index: int) -> str:
        return NOTE_MARK.format(index)

    def text(self, text: str) -> str:
        return escape(entities(text))

    def emphasis(self, text: str) -> str:
        return f'<hi rend="italic">{text}</hi>'

    def strong(self, text: str) -> str:
        return f'<hi rend="bold">{text}</hi>'

    def codespan(self, text: str) -> str:
        return f"<code>{escape(text)}</code>"

    def link(self, text: str, url: str, title: str | None = None) -> str:
        return f"<ref target={quoteattr(self.asset(url) or url)}>{labels_only(text)}</ref>"

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return (f"<figure><graphic url={quoteattr(self.asset(url) or url)}/>"
                f"<figDesc>{_text_of(labels_only(text))}</figDesc></figure>")

    def inline_html(self, html: str) -> str:
        return "" if COMMENTS.fullmatch(html) else escape(html)

    def block_html(self, html: str) -> str:
        return f"<p>{escape(html.strip())}</p>"

    def linebreak(self) -> str:
        return "<lb/>"

    def softbreak(self) -> str:
        return "\n"

    def paragraph(self, text: str) -> str:
        return f"<p>{text}</p>"

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        return f'<head rend="h{level}">{text}</head>'

    def thematic_break(self) -> str:
        return '<milestone unit="section"/>'

    def block_text(self, text: str) -> str:
        return text

    def block_code(self, code: str, info: str | None = None) -> str:
        return f'<ab type="code">{escape(code)}</ab>'

    def block_quote(self, text: str) -> str:
        return f"<quote>{text}</quote>"

    def list(self, text: str, ordered: bool, **attrs: Any) -> str:
        return f'<list rend="{"numbered" if ordered else "bulleted"}">{text}</list>'

    def list_item(self, text: str) -> str:
        return f"<item>{text}</item>"

    def table(self, text: str) -> str:
        return f"<table>{text}</table>"

    def table_head(self, text: str) -> str:
        return f'<row role="label">{text}</row>'

    def table_body(self, text: str) -> str:
        return text

    def table_row(self, text: str) -> str:
        return f"<row>{text}</row>"

    def table_cell(self, text: str, align: str | None = None, head: bool = False) -> str:
        return f"<cell>{text}</cell>"


# Fences of the text form, read by the term check. Control characters that are not white space:
# a block is stripped, and `str.strip` takes U+001C-U+001F for white space (a comment ending a
# paragraph lost its closing fence, and was checked as text).
OUT_OF_TEXT = ("\x0e", "\x0f")  # around removed text and comments: not the text as edited
SUPPLIED = "\x10"  # around the brackets of supplied text: the term check reads the text without them


BLANK_LINES = re.compile(r"\n{3,}")
TEXT_LINE = re.compile(r"(?<=\n)(?=[^\n])")  # where a line with text begins, but the first
ITEM = "\x11"  # where a list item's mark goes, once its list says whether it is numbered (no source holds it)
BLOCK_END = "\n\n"  # after each block: two paragraphs of a quote are not one (a block is stripped)


class TextRenderer(TEIRenderer):
    """Plain text: supplied text in [ ], removed text in { }, corrections as corrected, comments
    as [Ed.: …], note numbers in [n]; a blank line after each block inside a block."""

    def _mark(self, kind: str, token: dict[str, Any], state: BlockState) -> str:
        inner = self.render_tokens(token["children"], state)
        if kind == "add":
            return f"{SUPPLIED}[{inner}]{SUPPLIED}"
        # Removed text and comments are fenced by OUT_OF_TEXT so that the term check can leave
        # them out; the text export drops the fences.
        if kind == "del":
            return OUT_OF_TEXT[0] + "{" + inner + "}" + OUT_OF_TEXT[1]
        if kind == "comment":
            return f"{OUT_OF_TEXT[0]}[{self.ui['ed_comment']}{self.ui['colon']}{inner}]{OUT_OF_TEXT[1]}"
        return inner

    def footnote_ref(self, key: str, index: int) -> str:
        return f"[{index}]"

    def text(self, text: str) -> str:
        return entities(text)

    def codespan(self, text: str) -> str:
        return text

    def emphasis(self, text: str) -> str:
        return text

    def strong(self, text: str) -> str:
        return text

    def link(self, text: str, url: str, title: str | None = None) -> str:
        return text

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return text

    def inline_html(self, html: str) -> str:
        return "" if COMMENTS.fullmatch(html) else html

    def block_html(self, html: str) -> str:
        return html.strip() + BLOCK_END

    def linebreak(self) -> str:
        return "\n"

    def paragraph(self, text: str) -> str:
        return text + BLOCK_END

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        return text + BLOCK_END

    def thematic_break(self) -> str:
        return "* * *" + BLOCK_END

    def block_code(self, code: str, info: str | None = None) -> str:
        return code.rstrip("\n") + BLOCK_END

    def block_quote(self, text: str) -> str:
        return text.rstrip("\n") + BLOCK_END

    def list(self, text: str, ordered: bool, **attrs: Any) -> str:
        # The items' marks, numbered as the page numbers them (a list inside an item was rendered
        # first: its marks are already numbers or dashes).
        start = attrs.get("start", 1) if ordered else 0
        out = []
        for i, part in enumerate(text.rstrip("\n").split(ITEM)[1:]):
            mark = f"{start + i}. " if ordered else "- "
            out.append(mark + TEXT_LINE.sub(" " * len(mark), part.rstrip("\n")) + "\n")  # under its text
        return "".join(out).rstrip("\n") + BLOCK_END

    def list_item(self, text: str) -> str:
        return ITEM + BLANK_LINES.sub("\n\n", text.strip()) + "\n"

    def block_text(self, text: str) -> str:  # an item's text in a tight list: a list inside starts below it
        return text + "\n"

    def table(self, text: str) -> str:
        return text.rstrip("\n") + BLOCK_END

    def table_head(self, text: str) -> str:
        return text.rstrip("\t") + "\n"

    def table_row(self, text: str) -> str:
        return text.rstrip("\t") + "\n"

    def table_cell(self, text: str, align: str | None = None, head: bool = False) -> str:
        return text + "\t"
