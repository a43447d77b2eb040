"""A crawler for built sites: every link, asset and fragment must resolve over HTTP."""

from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for name in ("href", "src"):
            value = a.get(name)
            if value and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append(value)
        if tag == "form" and a.get("action"):
            self.links.append(a["action"] or "")


def site_path(page: str, href: str) -> str:
    """Where a link `href` found on the page `page` (both from the site root, "en/speeches/x/")
    leads, as a path from the site root; the built site's links are relative."""
    return urljoin("http://site/" + page, href).removeprefix("http://site/")


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("Content-Type", "")


def crawl(start: str, limit: int = 5000) -> tuple[set[str], list[str]]:
    """Visit every page reachable from `start` under its prefix; returns (pages, problems)."""
    prefix = start
    host = "{0.scheme}://{0.netloc}".format(urlsplit(start))
    seen: set[str] = set()
    ids: dict[str, set[str]] = {}
    pending = [start]
    problems: list[str] = []
    fragments: list[tuple[str, str, str]] = []  # (from page, target page, fragment)
    while pending and len(seen) < limit:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, ctype = fetch(url)
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        if "html" not in ctype:
            continue
        parser = _Collect()
        parser.feed(body.decode("utf-8"))
        ids[url] = parser.ids
        for link in parser.links:
            target = urljoin(url, link)
            if not target.startswith(host):
                continue  # another host: not ours to check (the theme uses none)
            page, frag = urldefrag(target)
            if not page.startswith(prefix):
                problems.append(f"{url}: link outside the site's path: {link}")
                continue
            if frag:
                fragments.append((url, page, frag))
            if page not in seen:
                pending.append(page)
    for source, page, frag in fragments:
        if page in ids and frag not in ids[page]:
            problems.append(f"{source}: no element #{frag} in {page}")
    return seen, problems
