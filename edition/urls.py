"""Where each page goes: the output folder of every kind of page, URLs relative to the page
being rendered, and the pages of a paginated list.

Input: kinds and identifiers (a speech's slug, a person's id, a page number). Output: paths from
the site root and relative URLs; the view (views.py) makes its links with these.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import Speech


def base_path(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def relative(target: str, here: str) -> str:
    """`target`, a path from the site root ("en/people/x/", "theme/edition.css", maybe with a
    "#fragment"), as a relative URL from the page in folder `here` ("en/speeches/y/"): the site then
    works wherever it is served (as Hugo's relativeURLs)."""
    if target.startswith(here):  # this page, or below it
        rest = target[len(here):]
        return "./" + rest if rest[:1] in ("", "#") else rest
    common = 0  # the length of the folders both start with
    end = here.find("/")
    while end != -1 and target.startswith(here[:end + 1]):
        common = end + 1
        end = here.find("/", common)
    return "../" * here.count("/", common) + target[common:]


PATHS = {"home": "", "speech": "speeches/{}/", "page": "{}/", "person": "people/{}/", "event": "events/{}/",
         "tag": "tags/{}/", "year": "years/{}/", "search": "search/", "speeches": "speeches/", "people": "people/",
         "events": "events/", "tags": "tags/", "years": "years/", "timeline": "timeline/",
         "terms": "terms/", "term": "terms/{}/",
         "downloads": "exports/"}  # `exports` is a reserved slug, so no page can take {key}/exports/


PER_PAGE = 50  # list items per page of a paginated list


def doc_path(key: str, kind: str, ident: str = "", number: int = 1) -> str:
    """The output folder of a page, relative to the site root, ending in '/' (page N of a list: page/N/)."""
    ident = ident.zfill(4) if kind == "year" else ident  # years/0700/, as the README's years/<yyyy>/
    return f"{key}/" + PATHS[kind].format(ident) + (f"page/{number}/" if number > 1 else "")


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    kind: str
    ident: str
    number: int
    count: int  # how many pages the list has
    items: tuple[Speech, ...]
    total: int  # how many items the list has


def paginate(kind: str, ident: str, items: tuple[Speech, ...]) -> tuple[Pager, ...]:
    chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [()]
    return tuple(Pager(kind, ident, n, len(chunks), chunk, len(items)) for n, chunk in enumerate(chunks, 1))
