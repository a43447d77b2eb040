"""The HTML renderer for one language section (its parser: syntax.py).

Input: a section's Markdown text. Output: HTML per top-level block, footnote bodies, and the
cross-links and editorial marks met on the way (each tagged with the block it stands in).
Cross-links come out as placeholders; the link stage resolves them and the page renderer
substitutes them, so one parse serves every language tree.
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any

import mistune
from mistune.core import BlockState
from mistune.plugins import table as table_plugin
from mistune.renderers.html import HTMLRenderer
from mistune.util import escape as escape_text
from mistune.util import striptags

from .. import i18n
from ..textcheck import forbidden_in

# Markers the renderer leaves for later stages (a cross-link's place, an asset's path) are control
# characters: no source can hold one (textcheck refuses them; a character reference to one stays as
# written), so no text can forge a marker. Private-use characters could come from any text.
PLACEHOLDER = "\x02{}\x03"
PLACEHOLDER_RE = re.compile("\x02(\\d+)\x03")
# The same cross-link where no link can stand (an image's alt text, inside a link's text): its label alone.
LABEL = "\x04{}\x05"
LABEL_RE = re.compile("\x04(\\d+)\x05")


def labels_only(html: str) -> str:
    """`html` with each cross-link to be filled in as its label alone."""
    return PLACEHOLDER_RE.sub(lambda m: LABEL.format(m.group(1)), html) if "\x02" in html else html


# A file of content/assets/ named by a link or an image, by its path from the site root
# ("assets/x.png"): the page renderer puts the way there from each page in front of it.
ASSET = "\x1e{}\x1f"
ASSET_RE = re.compile("\x1e([^\x1f]*)\x1f")

# ------------------------------------------------------------------ renderer

def _table_cell(renderer: Any, text: str, align: str | None = None, head: bool = False) -> str:
    """A cell aligned by a class, not a style attribute: the pages' CSP admits no inline style."""
    tag = "th" if head else "td"
    cls = f' class="align-{align}"' if align in ("left", "center", "right") else ""
    return f"  <{tag}{cls}>{text}</{tag}>\n"


def _table(renderer: Any, text: str) -> str:
    """A table in a box of its own that scrolls sideways when the table is wider than its column,
    so that the page never does (nor runs into the other language's column); a region the keyboard
    can reach and scroll, named in the text's language."""
    label = html.escape(renderer.ui["scroll_table"])
    return f'<div class="table-box" role="region" tabindex="0" aria-label="{label}">\n<table>\n{text}</table>\n</div>\n'


CHARREF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")  # CommonMark's


def entities(text: str) -> str:
    """Text with its character references read (`&copy;` is ©): CommonMark counts them as text,
    not as raw HTML, so they stand whether raw HTML is allowed or escaped. One that makes a control
    character (`&#x1b;`) is left as written, the way the spec keeps those out of the text."""
    if "&" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        read = html.unescape(m.group(0))
        return m.group(0) if read in ("", "\ufffd") or read == m.group(0) or forbidden_in(read) else read

    return CHARREF.sub(one, text)


def _text_html(text: str) -> str:
    return escape_text(entities(text))


def asset_path(url: str, doc_dir: str) -> tuple[str, str] | None:
    """(the path from the site root, "assets/…", and the URL's ?query#fragment) when `url` names
    a file of content/assets/: written from the document's folder as on GitHub (`../assets/x.png`),
    from content/ (`assets/x.png`, as site.yml's `image`) or from the site root (`/assets/x.png`).
    None for any other URL, which is left as written."""
    if not url or url.startswith(("#", "//")) or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url):
        return None
    cut = min(i for i in (url.find("?"), url.find("#"), len(url)) if i >= 0)
    path, rest = url[:cut], url[cut:]
    if path.startswith("/") or path.startswith("assets/"):
        found = posixpath.normpath(path.lstrip("/"))
    else:
        found = posixpath.normpath(posixpath.join(doc_dir, path)).removeprefix("content/")
    if not found.startswith("assets/") or ".." in found.split("/"):
        return None
    return found, rest


class InlineRenderer(HTMLRenderer):
    """A summary's or a term note's inline Markdown (escaping raw HTML unless allowed)."""

    def text(self, text: str) -> str:
        return _text_html(text)


class SectionRenderer(HTMLRenderer):
    """Renders one section's tokens; collects cross-links, marks and note references."""

    def __init__(self, key: str, escape: bool, doc_dir: str = "content/speeches") -> None:
        super().__init__(escape=escape)
        self.doc_dir = doc_dir  # the document's folder: relative links are read from there
        self.assets: list[tuple[int, str, str]] = []  # (block, URL as written, path from the site root)
        self.unsafe: list[tuple[int, str]] = []  # (block, URL) of links a browser would run as code
        for name in ("table_head", "table_body", "table_row"):
            self.register(name, getattr(table_plugin, "render_" + name))
        self.register("table", _table)
        self.register("table_cell", _table_cell)
        self.key = key
        self.ui = i18n.ui(key)
        self.block = 0
        self.refs: list[tuple[int, dict[str, Any]]] = []  # (block, attrs incl. raw)
        self.marks: list[tuple[str, int, str, str]] = []  # (kind, block, text, source)
        self.note_blocks: dict[int, int] = {}
        self.note_refs: dict[int, int] = {}  # how often each note has been referred to

    def render_token(self, token: dict[str, Any], state: BlockState) -> str:
        t = token["type"]
        if t == "crosslink":
            self.refs.append((self.block, {"raw": token["raw"], **token["attrs"]}))
            return PLACEHOLDER.format(len(self.refs) - 1)
        if t.startswith("ed_"):
            return self._mark(t[3:], token, state)
        return super().render_token(token, state)

    def _mark(self, kind: str, token: dict[str, Any], state: BlockState) -> str:
        inner = self.render_tokens(token["children"], state)
        sic = self.render_tokens(token["sic"], state) if kind == "corr" else ""
        n = len(self.marks) + 1  # after the marks inside it (in its reading or its source's) are numbered
        ident = f"ed-{self.key}-{n}"
        label = self.ui["ed_" + kind]
        self.marks.append((kind, self.block, _plain(inner), _plain(sic)))
        colon, semi = self.ui["colon"], self.ui["semicolon"]
        hidden = f'<span class="vh" data-pagefind-ignore>{escape_text(label)}{colon}</span>'
        if kind == "add":
            return f'<ins class="ed ed-add" id="{ident}" title="{self.escape_attribute(label)}">{hidden}{inner}</ins>'
        if kind == "del":
            return f'<del class="ed ed-del" id="{ident}" title="{self.escape_attribute(label)}">{hidden}{inner}</del>'
        if kind == "comment":
            return (f'<span class="ed ed-comment" id="{ident}" role="note">'
                    f'<span class="ed-label">{escape_text(label)}{colon.rstrip()}</span>{colon[len(colon.rstrip()):]}'
                    f'{inner}</span>')  # the space of ": " after the label; none after "："
        reads = escape_text(self.ui["ed_source_reads"])
        return (f'<span class="ed ed-corr" id="{ident}" tabindex="0" aria-describedby="{ident}-sic">'
                f'<ins>{inner}</ins><span class="ed-sic" id="{ident}-sic" data-pagefind-ignore>'
                f'<span class="vh">{escape_text(label)}{semi}</span>{reads}{colon}<del>{sic}</del></span></span>')

    def footnote_ref(self, key: str, index: int) -> str:
        self.note_blocks.setdefault(index, self.block)
        seen = self.note_refs.get(index, 0) + 1
        self.note_refs[index] = seen
        ref_id = f"fnref-{self.key}-{index}" + (f"-{seen}" if seen > 1 else "")
        return (f'<sup class="fn-ref" data-pagefind-ignore><a id="{ref_id}" href="#fn-{self.key}-{index}" '
                f'role="doc-noteref" data-note="fn-{self.key}-{index}" '
                f'aria-label="{self.escape_attribute(self.ui["note_label"].format(n=index))}">{index}</a></sup>')

    def text(self, text: str) -> str:
        return _text_html(text)

    def inline_html(self, html: str) -> str:
        if COMMENTS.fullmatch(html):  # an editor's note to self in running text: never the reader's
            return ""
        return super().inline_html(html)

    def block_html(self, html: str) -> str:
        if self.escape_enabled:
            return "<p>" + self.escape_raw(html.strip()) + "</p>\n"
        return html + "\n"

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        return f"<h{level}>{text}</h{level}>\n"

    def thematic_break(self) -> str:
        return "<hr>\n"

    def linebreak(self) -> str:
        return "<br>\n"

    def sanitize_url(self, url: str) -> str:
        """Mistune's URL policy (`javascript:`, `vbscript:`, `data:` but images become
        `#harmful-link`), each such URL noted for a warning: nothing is changed without a word."""
        safe = super().sanitize_url(url)
        if safe != url:
            self.unsafe.append((self.block, url))
        return safe

    def asset(self, url: str) -> str | None:
        """The placeholder of a URL that names a file of content/assets/ (noted, to be checked)."""
        found = asset_path(url, self.doc_dir)
        if found is None:
            return None
        self.assets.append((self.block, url, found[0]))
        return ASSET.format(found[0] + found[1])

    def link(self, text: str, url: str, title: str | None = None) -> str:
        text = labels_only(text)  # a link inside a link is no HTML
        asset = self.asset(url)
        if asset is None:
            return super().link(text, url, title)
        t = f' title="{self.escape_attribute(title)}"' if title else ""
        return f'<a href="{self.escape_attribute(asset)}"{t}>{text}</a>'

    def image(self, text: str, url: str, title: str | None = None) -> str:
        t = f' title="{self.escape_attribute(title)}"' if title else ""
        src = self.asset(url)
        src = self.safe_url(url) if src is None else self.escape_attribute(src)
        alt = " ".join(html.unescape(striptags(_NOT_READ.sub("", _MARK_EXTRAS.sub("", labels_only(text))))).split())
        return f'<img src="{src}" alt="{escape_text(alt)}"{t}>'


# What a mark adds for screen readers and the source's reading of a correction: not the mark's text.
# ... nor a comment of the editors', nor what they removed: the text as edited.
_MARK_EXTRAS = re.compile(r'<span class="(?:vh|ed-label)"[^>]*>[^<]*</span>|<span class="ed-sic".*?</del></span>', re.S)
_NOT_READ = re.compile(r'<span class="ed ed-comment"[^>]*>.*?</span>|<del class="ed ed-del"[^>]*>.*?</del>', re.S)


def _plain(html: str) -> str:
    text = LABEL_RE.sub("…", PLACEHOLDER_RE.sub("…", striptags(_NOT_READ.sub("", _MARK_EXTRAS.sub("", html)))))
    return re.sub(r"\s+", " ", text.replace("&amp;", "&").replace("&lt;", "<")
                  .replace("&gt;", ">").replace("&quot;", '"').replace("&#x27;", "'")).strip()


COMMENTS = re.compile(r"\s*(?:<!--(?:(?!-->).)*-->\s*)+", re.S)  # HTML comments and nothing else


def is_comment(token: dict[str, Any]) -> bool:
    return token["type"] == "block_html" and COMMENTS.fullmatch(token.get("raw", "")) is not None


# Made once (each call of a Markdown object starts from a state of its own): raw HTML escaped, or allowed.
INLINE_ESCAPED = mistune.create_markdown(escape=True, renderer=InlineRenderer(escape=True))
INLINE_RAW = mistune.create_markdown(escape=False, renderer=InlineRenderer(escape=False))


def render_inline(text: str, allow_html: bool) -> str:
    """Inline Markdown (a summary) to HTML without the wrapping paragraph."""
    html = str((INLINE_RAW if allow_html else INLINE_ESCAPED)(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
