"""What Pagefind reads of a page: its search input, by which a build or the preview knows that a
language tree's search bundle would come out the same and can be kept (index.unchanged_trees,
liveindex.py).

Input: a page's bytes (or two pages' files). Output: the page without the text Pagefind is told to
ignore, or None where this reading of HTML could differ from Pagefind's parser (the page then counts
as changed). Pure, but for `same_input`, which reads the two files it compares.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path


def same_input(old: Path, new: Path) -> bool:
    try:
        a, b = old.read_bytes(), new.read_bytes()
    except OSError:
        return False
    return a == b or ((x := search_input(a)) is not None and x == search_input(b))


# What Pagefind reads even inside an ignored element: filters, meta and sort (on it or within; an
# ignored element nested in it is not one of those), comments and scripts, and a heading (a page
# title when none is set). Only block elements are set aside: Pagefind gives the text of inline
# ones to the anchor of the element around them. HTML's names are read in any case.
READ_ANYWAY = re.compile(rb"data-pagefind-(?!ignore\b)|<!--|<script|<style|<textarea|<title|<h1\b", re.I)
BLOCKS = frozenset(b"div section article aside nav header footer dl ul ol table figure blockquote details".split())
VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())
WS = rb"[ \t\n\f\r]"  # HTML's white space (Python's has the vertical tab too)
ATTRIBUTE = (WS + rb"+[^ \t\n\f\r\"'=<>/]+(?:" + WS + rb"*=" + WS
             + rb"""*(?:"[^"]*"|'[^']*'|[^ \t\n\f\r>"'][^ \t\n\f\r>]*))?""")  # its value skipped whole
IGNORED = re.compile(rb"<([a-z][a-z0-9]*)(?:" + ATTRIBUTE + rb")*?" + WS + rb"+data-pagefind-ignore(?:"
                     + WS + rb"*=" + WS + rb"""*"(?:index|all)")?(?=[ \t\n\f\r/>])""", re.I)
# The page's markup, each piece whole: a comment, and an element whose text is not markup (a script,
# a style…), is one token, so that a tag written inside one (or in an attribute value) is not taken
# for an element. Anything else HTML would read as markup (a bogus comment `<?…>`, CDATA, a tag
# this does not parse) is `other`: the page is then not understood here.
TOKENS = re.compile(rb"(?P<comment><!---?>|<!--.*?(?:--!?>|\Z))"
                    rb"|(?P<raw><(?P<rawname>script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)"
                    rb"(?=[ \t\n\f\r/>])(?:" + ATTRIBUTE + rb")*" + WS
                    + rb"*/?>.*?(?:</(?P=rawname)(?=[ \t\n\f\r/>])[^>]*>|\Z))"
                    rb"|(?P<tag></?(?P<name>[a-z][^ \t\n\f\r/>]*)(?:" + ATTRIBUTE + rb")*" + WS + rb"*/?>)"
                    rb"|(?P<doctype><!doctype" + WS + rb"[^<>]*>)"
                    rb"|(?P<other><[!/?a-z])", re.S | re.I)


def search_input(page: bytes) -> bytes | None:
    """A page as far as Pagefind reads it: the page without the text inside each block element it is
    told to ignore (`data-pagefind-ignore`) that holds nothing of READ_ANYWAY; the tags inside stay,
    attributes and all (ids, for instance). On a Chinese page the English text is such an element
    (templates/_text.html), its note marks ignored elements inside it. None — the page then counts
    as changed — where this could read the page otherwise than Pagefind's parser: markup it does not
    parse (a bogus comment, CDATA, `<plaintext>`, a tag without white space between attributes),
    an ignored element whose end it cannot find, or one closed by another element's end tag."""
    if re.search(rb"<plaintext", page, re.I):
        return None
    tags: dict[int, tuple[int, bytes, bool]] = {}  # where each tag starts → (its end, name, an end tag)
    raw: dict[int, int] = {}  # where a script, style… starts → the end of its end tag
    for t in TOKENS.finditer(page):
        if t["other"]:
            return None
        if t["tag"]:
            tags[t.start()] = (t.end(), t["name"].lower(), t["tag"][1:2] == b"/")
        elif t["raw"]:
            raw[t.start()] = t.end()
    starts = list(tags)  # in the page's order
    out, pos = [], 0
    while m := IGNORED.search(page, pos):
        if m.start() in raw:  # Pagefind reads none of it as text anyway: kept whole
            out.append(page[pos:raw[m.start()]])
            pos = raw[m.start()]
            continue
        if m.start() not in tags:
            return None  # written in a comment, a script or an attribute value
        opened = tags[m.start()][0]
        end = _element_end(tags, starts, m.start())
        if end is None:
            return None
        out.append(page[pos:opened])
        if m.group(1).lower() in BLOCKS and not READ_ANYWAY.search(page, m.start(), end):  # its tags, not its text
            out += [page[s:tags[s][0]] for s in starts[bisect_left(starts, opened):bisect_left(starts, end)]]
        else:
            out.append(page[opened:end])
        pos = end
    out.append(page[pos:])
    return b"".join(out)


def _element_end(tags: dict[int, tuple[int, bytes, bool]], starts: list[int], start: int) -> int | None:
    """Where the element whose start tag is at `start` ends (after its end tag), as HTML's parser
    would close it: None if an end tag inside it closes an element opened outside it (HTML would
    end this one there), or if it never ends."""
    stack: list[bytes] = []
    for s in starts[bisect_left(starts, start):]:
        end, name, closing = tags[s]
        if not closing:
            if name not in VOID:
                stack.append(name)
            continue
        if name not in stack:
            return None
        while stack.pop() != name:
            pass  # elements HTML closes implicitly (a `p`, an `li`)
        if not stack:
            return end
    return None
