"""Characters a source may not hold, and how to show untrusted text on a terminal.

Input: text. Output: diagnostics for control characters (tab, line feed and carriage return
aside) and for U+FFFE/U+FFFF, which XML cannot carry; the text with each replaced by U+FFFD so
that later stages keep every position. (Diagnostics show such characters as escapes:
`diagnostics.escaped`.)
"""

from __future__ import annotations

import re
import unicodedata

from .diagnostics import Diagnostic, error

# C0 and C1 controls, DEL, and the two non-characters that no XML 1.0 document may contain.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
MAX_REPORTED = 20  # per file: a UTF-16 file read as UTF-8 has a NUL in every other place

NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED",
         0x1B: "ESCAPE", 0x7F: "DELETE", 0xFFFE: "a non-character", 0xFFFF: "a non-character"}


def code_point(c: str) -> str:
    name = NAMES.get(ord(c))
    return f"U+{ord(c):04X}" + (f" ({name})" if name else "")


def control_characters(text: str, path: str, first_line: int = 1) -> tuple[str, list[Diagnostic]]:
    """Every forbidden character of `text` as an error at its line and column (up to MAX_REPORTED),
    and the text with each replaced by U+FFFD."""
    if not FORBIDDEN.search(text):
        return text, []
    diags: list[Diagnostic] = []
    matches = list(FORBIDDEN.finditer(text))
    for m in matches[:MAX_REPORTED]:
        line = text.count("\n", 0, m.start()) + first_line
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        diags.append(error(path, line, col, "control-character",
                           f"control character {code_point(m.group())} in the text",
                           "delete it: text may hold no control character but tab and line breaks"))
    if len(matches) > MAX_REPORTED:
        last = diags[-1]
        diags[-1] = error(path, last.line, last.column, last.code,
                          f"{last.message} ({len(matches) - MAX_REPORTED} more in this file are not listed)",
                          "is the file UTF-16? save it as UTF-8")
    return FORBIDDEN.sub("\ufffd", text), diags


def shows_nothing(text: str) -> bool:
    """Blank to a reader: only white space and format characters (a zero-width space, a direction
    mark), which would make an empty title, name or link."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def forbidden_in(value: str) -> str | None:
    """The first forbidden character of a value (a YAML escape such as "\\x01" makes one), or None."""
    m = FORBIDDEN.search(value)
    return m.group() if m else None



# Characters a URL may not hold as written (RFC 3986 leaves them out; they break out of BibTeX
# braces, robots.txt lines and attribute values). Non-ASCII letters are allowed: IRIs are common.
_URL_BAD = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"{}|\\^`]")
_URL = re.compile(r"(?i:https?)://(?P<host>(?:\[[0-9A-Fa-f:.]+\]|[^/?#@:\[\]]+)(?::\d{1,5})?)(?P<rest>[/?#].*)?", re.S)


def url_problem(url: str, base: bool = False) -> str | None:
    """What makes `url` unfit as an absolute http(s) link (as the site's base, `base`), or None."""
    m = _URL.fullmatch(url)
    if not m:
        return "must be an absolute http(s) URL, e.g. `https://example.org/speeches/`"
    if bad := _URL_BAD.search(url):
        c = bad.group()
        shown = f"U+{ord(c):04X}" if not c.isprintable() or c.isspace() else f"`{c}`"
        return f"may not contain {shown} (write it percent-encoded)"
    port = m.group("host").rpartition("]")[2].partition(":")[2] if m.group("host").startswith("[") \
        else m.group("host").partition(":")[2]
    if port and not 1 <= int(port) <= 65535:
        return f"has the port {port}; a port is a number from 1 to 65535"
    if base and ("?" in url or "#" in url):
        return "may not have a query (`?`) or fragment (`#`): every page's address starts with it"
    return None


def url_normal(url: str) -> str:
    """A URL `url_problem` accepts, its scheme in lower case (RFC 3986, 6.2.2.1: `HTTPS://` is
    `https://`), so that the addresses made from it are written one way."""
    scheme, sep, rest = url.partition("://")
    return scheme.lower() + sep + rest


def spreadsheet_cell(text: str) -> str:
    """OWASP's rule for CSV injection: a cell a spreadsheet would take as a formula (it starts with
    =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, which shows it as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
