"""Split a document body into its language sections, keeping line numbers.

Input: the body text (after the front matter), the line it starts on, the site's language keys.
Output: `RawSection`s (key, fence line, text) and diagnostics for unknown or repeated languages,
unclosed sections and text outside any section. Pure text work: no Markdown parsing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, closest_language, did_you_mean_language, error, one_of

OPEN_RE = re.compile(r"^:::[ \t]+(\S+)[ \t]*$")
CLOSE_RE = re.compile(r"^:::[ \t]*$")
LOOSE_OPEN_RE = re.compile(r"^:::([A-Za-z][\w-]*)[ \t]*$")  # `:::zh`: a fence without its space
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class RawSection:
    key: str
    line: int  # line of the opening fence
    first_line: int  # line of the section's first content line
    text: str


def split(body: str, path: str, first_line: int, keys: tuple[str, ...]
          ) -> tuple[list[RawSection], list[Diagnostic]]:
    diags: list[Diagnostic] = []
    sections: list[RawSection] = []
    seen: dict[str, int] = {}
    current: tuple[str, int] | None = None  # (key, fence line) of the open section
    buf: list[str] = []
    code_fence: str | None = None  # a ``` block inside a section may contain ::: lines
    in_comment = False
    comment_at = (0, 0)  # where the comment open outside the sections began
    stray_reported = False
    lines = body.split("\n")

    def close(end_line: int) -> None:
        nonlocal current, buf
        assert current is not None
        key, line = current
        if key not in seen:
            seen[key] = line
            sections.append(RawSection(key, line, line + 1, "\n".join(buf) + "\n"))
        current, buf = None, []

    for i, text in enumerate(lines):
        lineno = first_line + i
        if current is not None:
            fence = FENCE_RE.match(text)
            if code_fence is not None:
                if fence and fence.group(1)[0] == code_fence[0] and len(fence.group(1)) >= len(code_fence):
                    code_fence = None
                buf.append(text)
                continue
            if fence:
                code_fence = fence.group(1)
                buf.append(text)
                continue
            if CLOSE_RE.match(text):
                close(lineno)
                continue
            m = _open(text, path, lineno, keys, diags)
            if m:
                diags.append(error(path, lineno, 1, "section-unclosed",
                                   f"the `{current[0]}` section opened at line {current[1]} is not closed "
                                   f"before this `::: {m.group(1)}`",
                                   "end each section with a line `:::` alone"))
                close(lineno)
                # fall through: the new fence opens the next section
            else:
                buf.append(text)
                continue
        # outside any section
        stripped = text.strip()
        if not stripped:
            continue
        if in_comment or stripped.startswith("<!--"):
            was = in_comment
            in_comment, text_at, opened = _comments(text, in_comment)
            if in_comment and (not was or opened is not None):
                comment_at = (lineno, (opened or 0) + 1)
            if text_at is not None:
                diags.append(_outside(path, lineno, text_at + 1))
            continue
        m = _open(text, path, lineno, keys, diags)
        if m:
            key = m.group(1)
            if key not in keys and not LOOSE_OPEN_RE.match(text):
                hint = did_you_mean_language(key, keys) or f"the languages of site.yml are {one_of(keys)}"
                diags.append(error(path, lineno, 5, "section-language",
                                   f"`{key}` is not a language of the site", hint))
            elif key in seen:
                diags.append(error(path, lineno, 5, "section-duplicate",
                                   f"a second `{key}` section; the first opens at line {seen[key]}",
                                   "a document has at most one section per language: merge the two"))
            current, buf, code_fence = (key, lineno), [], None
            if key not in keys:
                seen.setdefault(key, lineno)  # parsed for nothing: its errors are the fence's
            continue
        if CLOSE_RE.match(text):
            if not stray_reported:
                diags.append(error(path, lineno, 1, "section-stray-close",
                                   "`:::` closes no open section",
                                   "remove it, or open a section before it with `::: KEY`"))
            continue
        diags.append(_outside(path, lineno, len(text) - len(text.lstrip()) + 1))
    if in_comment:  # all that follows it was hidden: the speech would have been published without its text
        diags.append(unclosed_comment(path, *comment_at))
    if current is not None:
        diags.append(error(path, current[1], 1, "section-unclosed",
                           f"the `{current[0]}` section opened here is never closed",
                           "end each section with a line `:::` alone"))
        close(first_line + len(lines))
    sections = [s for s in sections if s.key in keys]
    return sections, _merge_outside(diags)


def _open(text: str, path: str, lineno: int, keys: tuple[str, ...], diags: list[Diagnostic]
          ) -> re.Match[str] | None:
    """An opening fence; `:::zh` is reported once and read as `::: zh`, so that what follows is
    not a cascade of errors about text outside a section."""
    m = OPEN_RE.match(text)
    if m is None and (m := LOOSE_OPEN_RE.match(text)):
        key = m.group(1)
        meant = key if key in keys else closest_language(key, keys)
        diags.append(error(path, lineno, 1, "section-fence", f"`:::{key}` needs a space after the colons",
                           f"write `::: {meant or key}`"))
    return m


def unclosed_comment(path: str, line: int, col: int) -> Diagnostic:
    return error(path, line, col, "comment-unclosed", "this HTML comment is never closed: all that follows it "
                 "is hidden", "close it with `-->`")


def _comments(text: str, in_comment: bool) -> tuple[bool, int | None, int | None]:
    """A line of HTML comments outside the sections (`<!-- a --> <!-- b -->`, or the end of one
    opened above): whether a comment is still open at its end, where text outside them starts, and
    where the comment left open began on this line."""
    at, opened = 0, None
    while True:
        if in_comment:
            end = text.find("-->", at)
            if end < 0:
                return True, None, opened
            at, in_comment, opened = end + 3, False, None
        rest = text[at:]
        if not rest.strip():
            return False, None, None
        at += len(rest) - len(rest.lstrip())
        if not text.startswith("<!--", at):
            return False, at, None
        opened, at, in_comment = at, at + 4, True


def _outside(path: str, line: int, col: int) -> Diagnostic:
    return error(path, line, col, "outside-section", "text outside a language section",
                 "put it inside a `::: KEY` … `:::` section, or inside an HTML comment")


def _merge_outside(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Report a run of consecutive stray lines once, at its first line."""
    out: list[Diagnostic] = []
    last = -2
    for d in diags:
        if d.code == "outside-section":
            if d.line == last + 1:
                last = d.line
                continue
            last = d.line
        out.append(d)
    return out


# A line that opens with closed comments and goes on with text (`<!-- check --> First paragraph.`,
# also after a list's or a quote's marker) is an HTML block to CommonMark, text and all: shown as
# raw HTML. The comments are made a run of HIDDEN (as long, so that every offset holds), which the
# parser reads as text and the renderer's caller removes: the line is the paragraph it looks like.
HIDDEN = "\x06"
_LEADING_COMMENTS = re.compile(r"^((?: {0,3}(?:>|[-+*]|\d{1,9}[.)])[ \t]+)*[ \t]{0,3})((?:<!--.*?-->[ \t]*)+)(.*)$",
                               re.M)


def hide_leading_comments(text: str, masked: str) -> str:
    """`text` with such comments hidden; `masked` is the text with its code blanked out (a line of
    code is left as it is)."""
    if "<!--" not in text:
        return text
    out = list(text)
    for m in _LEADING_COMMENTS.finditer(masked):
        if m.group(3).strip():
            out[m.start(2):m.end(2)] = HIDDEN * (m.end(2) - m.start(2))
    return "".join(out)
