"""The Markdown of a speech or page: language sections, aligned blocks, notes, links and marks.

Input: a document body (text after the front matter) with its path and first line, the site's
language keys and whether raw HTML is allowed. Output: `model.Section`s and diagnostics
(section structure, footnotes without definitions or references, malformed cross-links).
This package is the only one that imports mistune.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict, deque
from dataclasses import replace
from urllib.parse import unquote

from mistune.core import BlockState
from mistune.util import striptags

from ..diagnostics import Diagnostic, error, warning
from ..model import CrossRef, Mark, Note, Section
from .notes import ANY_LABEL, as_notes_read, check_notes, note_tabs
from .positions import Lines, PositionedState, positioned, starts
from .render import ASSET_RE, LABEL_RE, PLACEHOLDER, PLACEHOLDER_RE, SectionRenderer, is_comment, render_inline
from .sections import HIDDEN, RawSection, hide_leading_comments, split, unclosed_comment
from .syntax import CROSSLINK, ED_CLOSE, MARK_PROBLEMS, make_parser
from .tables import XLINK_SPAN
from .tei import NOTE_RE, OUT_OF_TEXT, SUPPLIED, TEIRenderer, TextRenderer

__all__ = ["ASSET_RE", "LABEL_RE", "PLACEHOLDER", "PLACEHOLDER_RE", "parse_body", "render_inline", "split"]

_parser = positioned(make_parser())

EMPTY_XLINK = re.compile(r"\[\[(?:[#|][^\[\]\n]*)?\]\]")
PARA_RE = re.compile(r"^p([1-9][0-9]*)$")


def parse_body(body: str, path: str, first_line: int, keys: tuple[str, ...], allow_html: bool,
               exports: bool = True) -> tuple[tuple[Section, ...], list[Diagnostic]]:
    """`exports`: also make the TEI and plain-text forms of the blocks (only the exports read them)."""
    raws, diags = split(body, path, first_line, keys)
    sections = []
    for raw in raws:
        section, more = parse_section(raw, path, allow_html, exports)
        sections.append(section)
        diags.extend(more)
    return tuple(sections), diags


def _shown(rendered: str) -> str:
    """A rendered block as written: the comments hidden at its start gone."""
    return rendered.replace(HIDDEN, "")


def _xlink_key(raw: str) -> str:
    """A cross-link as the source and as Markdown's text both have it: a table cell reads `\\|` as
    `|`, and a label wrapped in a list or a quote loses its line's indent and `>`."""
    return re.sub(r"[ \t]*\n[ \t>]*", "\n", raw.replace("\\|", "|"))


def parse_section(raw: RawSection, path: str, allow_html: bool, exports: bool = True
                  ) -> tuple[Section, list[Diagnostic]]:
    read = as_notes_read(raw.text)  # code (and closed comments) blanked out
    diags = check_notes(raw, path, read)
    pos = Lines(raw.text, raw.first_line)
    tokens, state = _parser.parse(hide_leading_comments(note_tabs(raw.text), as_notes_read(raw.text, comments=False)),
                                  PositionedState())
    doc_dir = posixpath.dirname(path)
    r = SectionRenderer(raw.key, escape=not allow_html, doc_dir=doc_dir)
    blocks: list[str] = []
    lines: list[tuple[int, int]] = []
    offsets = starts(state, tokens)  # type: ignore[arg-type]
    note_tokens = next((t["children"] for t in tokens if t["type"] == "footnotes"), [])
    for at, group in _aligned(tokens):
        r.block = len(blocks) + 1
        blocks.append(_shown("".join(r.render_token(t, state) for t in group)))
        lines.append(pos.at(offsets[at] + _indent(raw.text, offsets[at])))
    notes = []
    for item in note_tokens:
        index = item["attrs"]["index"]
        r.block = r.note_blocks.get(index, 0)
        notes.append(Note(index, item["attrs"]["key"], _shown(r.render_tokens(item["children"], state)), r.block))

    # Positions of cross-links come from the source text (code blanked out): mistune's tokens carry none.
    where: dict[str, deque[tuple[int, int]]] = defaultdict(deque)
    for m in XLINK_SPAN.finditer(read):
        where[_xlink_key(m.group(0))].append(pos.at(m.start()))
    refs = []
    for block, a in r.refs:
        key = _xlink_key(a["raw"])
        line, col = where[key].popleft() if where[key] else (raw.line, 1)
        ref, problem = _crossref(a, block, line, col)
        if problem:
            diags.append(error(path, line, col, "crosslink-syntax", problem[0], problem[1]))
            ref = replace(ref, kind="invalid")  # reported once here; the link stage leaves it alone
        refs.append(ref)
    for at, _ in _aligned(tokens):  # an HTML block opened by `<!--` runs to `-->`, or to the section's end
        if _unclosed_comment_block(tokens[at]):
            diags.append(unclosed_comment(path, *pos.at(offsets[at] + _indent(raw.text, offsets[at]))))
    # What the parser had to leave as text, found where a reader would see it (not in code): a
    # cross-link with no target, a note whose label Markdown cannot read.
    places: set[tuple[int, int]] = set()
    for found, code, message, hint in _left_as_text([*blocks, *(n.html for n in notes)], read):
        for at in found:
            line, col = pos.at(at) if at >= 0 else (raw.line, 1)
            if (line, col) not in places:
                places.add((line, col))
                diags.append((warning if code == "crosslink-unclosed" else error)(path, line, col, code, message, hint))
    diags += _mark_problems(raw, path, state.env.get(MARK_PROBLEMS, []))
    shown = "".join(blocks) + "".join(n.html for n in notes)
    # A mark inside an image's alt text has no element of its own to link to: not listed.
    marks = tuple(Mark(kind, f"ed-{raw.key}-{i}", block, text, source)
                  for i, (kind, block, text, source) in enumerate(r.marks, 1) if f'id="ed-{raw.key}-{i}"' in shown)
    assets = []
    at = 0  # the URLs as written, in order: each found after the one before
    for _block, url, found in r.assets:
        offset = raw.text.find(url, at)
        line, col = pos.at(offset) if offset >= 0 else (raw.line, 1)
        at = offset + len(url) if offset >= 0 else at
        assets.append((url, found, line, col))
    at = 0
    for block, quoted in r.unsafe:  # found in order, as the assets; else at the block's first line
        url = unquote(quoted)  # as written (mistune percent-encodes it)
        offset = raw.text.find(url, at)
        line, col = pos.at(offset) if offset >= 0 else lines[block - 1] if 0 < block <= len(lines) else (raw.line, 1)
        at = offset + len(url) if offset >= 0 else at
        diags.append(warning(path, line, col, "link-unsafe", f"the link `{url}` is not safe on a web page (a "
                             "script, or a file of the reader's own): the page links to nothing there",
                             "link to an http(s) address, to the edition (`[[slug]]`) or to a file of content/assets/"))
    tei, text = _exports(raw.key, tokens, note_tokens, state, exports, doc_dir)  # type: ignore[arg-type]
    tei, text = tuple(_shown(b) for b in tei), tuple(_shown(b) for b in text)
    plain = tuple(_edited(b) for b in text[:len(blocks)])
    text = tuple(b.replace(OUT_OF_TEXT[0], "").replace(OUT_OF_TEXT[1], "").replace(SUPPLIED, "") for b in text)
    if not exports:  # the term check reads `plain`; only the exports read the TEI and text forms
        tei, text = (), ()
    return Section(raw.key, raw.line, tuple(blocks), tuple(notes), tuple(refs), marks, tei, text,
                   tuple(lines), plain, tuple(assets)), diags


_OUT = re.compile(f"{OUT_OF_TEXT[0]}[^{OUT_OF_TEXT[0]}{OUT_OF_TEXT[1]}]*{OUT_OF_TEXT[1]}")


def _edited(text: str) -> str:
    """The text as edited: without the removed passages and comments (innermost first: marks may
    nest), supplied text without the brackets that show it supplied."""
    text = text.replace(SUPPLIED + "[", "").replace("]" + SUPPLIED, "")
    while OUT_OF_TEXT[0] in text:
        shorter = _OUT.sub("", text)
        if shorter == text:  # an unbalanced fence cannot come from the renderer; stop all the same
            return text.replace(OUT_OF_TEXT[0], "").replace(OUT_OF_TEXT[1], "")
        text = shorter
    return text


def _unclosed_comment_block(token: dict) -> bool:
    """Whether a block (or a block inside it: a list item, a quote) is an HTML comment never closed,
    which hides all after it (with raw HTML allowed, the rest of the page too)."""
    if token["type"] == "block_html":
        text = token.get("raw", "").lstrip()
        return text.startswith("<!--") and "-->" not in text
    return any(_unclosed_comment_block(t) for t in token.get("children", ()) if isinstance(t, dict))


CODE_HTML = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>", re.S)


NOTE_LIKE_DEF = re.compile(r"^ {0,3}(\[\^([^\]\n]*)\]):", re.M)


WHOLE_XLINK = re.compile(CROSSLINK)
UNCLOSED_XLINK = re.compile(r"\[\[[^\s\[\]]{0,40}\]?")  # the target as far as it goes, and one `]`


def _left_as_text(shown: list[str], read: str) -> list[tuple[list[int], str, str, str]]:
    """What the parser could not read as a cross-link or a note, each with where it stands in the
    section's text (code blanked out): a cross-link without a target or a note label it cannot read,
    left as text on the page (found in the rendered text, code aside); and a note's definition with
    such a label, which Markdown takes for a link's (the references became links), found in the source."""
    text = html.unescape(striptags(CODE_HTML.sub(" ", "".join(shown))))
    out: dict[str, tuple[list[int], str, str, str]] = {}
    for m in EMPTY_XLINK.finditer(text):
        out.setdefault(m.group(0), ([read.find(m.group(0))], "crosslink-syntax",
                                    f"`{m.group(0)}` names no speech or page",
                                    "write `[[slug]]`, `[[slug#p3]]`, `[[slug|label]]`, `[[person:id]]` or "
                                    "`[[event:id]]`"))
    # A `[[` the parser left as text, not one of those: a cross-link whose `]]` is missing (or text
    # that really holds `[[`, rare enough that a warning, not an error, says so).
    at = 0
    for m in UNCLOSED_XLINK.finditer(text):
        if EMPTY_XLINK.match(text, m.start()):
            continue
        shown_as = m.group(0).rstrip()
        # Where it stands as written: not a cross-link that begins alike (`[[b]]` before `[[b`).
        where = next((i.start() for i in re.compile(re.escape(shown_as)).finditer(read, at)
                      if not WHOLE_XLINK.match(read, i.start())), -1)
        if where < 0:  # not in the text as written (code and `\[` blanked out): an escape made it
            continue
        at = where + 2
        out.setdefault(f"unclosed {m.start()}", ([where], "crosslink-unclosed",
                                                 f"`{_cut(shown_as)}` is left as text: a cross-link ends with `]]`",
                                                 "close it: `[[slug]]`, `[[slug|label]]`; or write `\\[[` for the "
                                                 "text `[[`"))
    hint = "write a short label without spaces, e.g. `[^1]` or `[^source]`, in the reference and its definition alike"
    for m in ANY_LABEL.finditer(text):
        if (why := _unreadable(m.group(1))) and m.group(0) not in out:
            out[m.group(0)] = ([read.find(m.group(0))], "footnote-label",
                               f"`{_cut(m.group(0))}`: a footnote label {why}", hint)
    for m in NOTE_LIKE_DEF.finditer(read):
        if (why := _unreadable(m.group(2))):
            spots = [i.start() for i in re.finditer(re.escape(m.group(1)), read)]
            out[m.group(1)] = (spots, "footnote-label", f"`{_cut(m.group(1))}`: a footnote label {why}", hint)
    return list(out.values())


def _unreadable(label: str) -> str | None:
    return "is empty" if not label else "holds a space" if any(c.isspace() for c in label) \
        else "is longer than 500 characters" if len(label) > 500 else None


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _aligned(tokens: list[dict]) -> list[tuple[int, list[dict]]]:
    """The section's aligned blocks: each the index of its token and its tokens. A thematic break is
    not a block of its own (the spec's are paragraphs, headings, lists, quotes, tables): it stays
    with the block before it (one before the first block, with that block); blank lines, comments
    and the notes are not blocks."""
    out: list[tuple[int, list[dict]]] = []
    first: list[dict] = []  # breaks before the first block
    for i, t in enumerate(tokens):
        if t["type"] in ("blank_line", "footnotes") or is_comment(t):
            continue
        if t["type"] == "thematic_break":
            (out[-1][1] if out else first).append(t)
            continue
        out.append((i, [*first, t]) if not out else (i, [t]))
    return out


def _indent(text: str, offset: int) -> int:
    """The spaces before a block's first character (a paragraph's offset is its line's start)."""
    n = 0
    while offset + n < len(text) and text[offset + n] in " \t\n":
        n += 1
    return n


def _exports(key: str, tokens: list[dict], note_tokens: list[dict], state: BlockState, tei: bool = True,
             doc_dir: str = "content/speeches") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The blocks again as TEI (notes placed where referred to; only with `tei`: the exports alone
    read it) and as plain text (notes after)."""
    out: list[tuple[str, ...]] = [] if tei else [()]
    for renderer in (TEIRenderer(key, doc_dir), TextRenderer(key)) if tei else (TextRenderer(key),):
        blocks = ["\n".join(renderer.render_token(t, state) for t in group) for _, group in _aligned(tokens)]
        bodies = {item["attrs"]["index"]: renderer.render_tokens(item["children"], state) for item in note_tokens}
        if isinstance(renderer, TextRenderer):
            blocks += [f"[{n}] {body.strip()}" for n, body in sorted(bodies.items())]
        else:
            def note(m: re.Match[str], bodies: dict[int, str] = bodies) -> str:
                return f'<note place="end" n="{m.group(1)}">{bodies.get(int(m.group(1)), "")}</note>'
            blocks = [NOTE_RE.sub(note, b) for b in blocks]
        out.append(tuple(b.strip() for b in blocks))
    return out[0], out[1]


MARK_EXAMPLES = {"++": "{++supplied++}", "--": "{--removed--}", "~~": "{~~source~>correction~~}",
                 ">>": "{>>comment<<}"}


def _mark_problems(raw: RawSection, path: str, problems: list[tuple[str, str, str]]) -> list[Diagnostic]:
    """Editorial marks the parser had to leave as text, as errors at the mark's opening brace."""
    diags = []
    found: dict[str, int] = {}  # where the search for each snippet resumes
    pos = Lines(raw.text, raw.first_line)
    for problem, opener, source in problems:
        at = raw.text.find(source, found.get(source, 0))
        if at < 0:  # seen again by a re-parse (a link's label): the first report stands
            at = raw.text.find(source)
        found[source] = at + 1
        line, col = pos.at(at) if at >= 0 else (raw.line, 1)
        example = MARK_EXAMPLES[opener]
        if problem == "unclosed":
            message = f"the editorial mark `{{{opener}` is never closed"
            hint = f"close it with `{ED_CLOSE[opener]}`, as in `{example}` (or write `\\{{` for a brace)"
        elif problem == "no-arrow":
            message = "the correction has no `~>` between the source text and the corrected text"
            hint = f"write `{example}`"
        else:
            message = f"the editorial mark `{{{opener}{ED_CLOSE[opener]}` is empty"
            hint = f"write the text inside it, as in `{example}`, or remove it"
        diags.append(error(path, line, col, "mark-syntax", message, hint))
    return diags


def _crossref(a: dict, block: int, line: int, col: int) -> tuple[CrossRef, tuple[str, str] | None]:
    target: str = a["target"]
    kind = "doc"
    problem = None
    if ":" in target:
        prefix, _, ident = target.partition(":")
        if prefix in ("person", "event"):
            kind, target = prefix, ident.strip()
        else:
            problem = (f"`{a['raw']}`: unknown link prefix `{prefix}:`",
                       "write `[[slug]]`, `[[person:id]]` or `[[event:id]]`")
    if a["label"] == "" and problem is None:
        problem = (f"`{a['raw']}`: the label after `|` is empty", "write the label, or leave out the `|`")
    para = None
    anchor = a["anchor"]
    if anchor is not None:
        m = PARA_RE.match(anchor.strip())
        if kind != "doc":
            problem = (f"`{a['raw']}`: {'an' if kind == 'event' else 'a'} {kind} link cannot point to a paragraph",
                       f"write `[[{kind}:{target}]]`")
        elif m and len(m.group(1)) > 9:  # no speech has a billion paragraphs (nor may int() read any length)
            problem = (f"`{a['raw'][:40]}…`: paragraph {m.group(1)[:12]}… is beyond any speech",
                       "paragraph anchors are written `#p` and the paragraph's number, e.g. `#p12`")
        elif m:
            para = int(m.group(1))
        else:
            problem = (f"`{a['raw']}`: `#{anchor}` is not a paragraph anchor",
                       "paragraph anchors are written `#p` and a number, e.g. `#p12`")
    return CrossRef(kind, target, para, a["label"], a["raw"], block, line, col), problem


__all__ += ["PLACEHOLDER_RE", "RawSection", "parse_section"]
