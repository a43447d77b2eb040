"""Review: a Markdown summary of what a change to the sources publishes, for a pull request's reviewer.

Input: the sources at the base revision (`revisions.files_at`), the build's sources, edition and
diagnostics, and the built site's size. Output: Markdown (a GitHub job summary): the speeches and
pages added, changed and removed, the problems of the build, the size against the Pages limit.
Nothing here reads or writes files; the command line passes everything in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .diagnostics import Diagnostic, is_fatal
from .model import Edition, Page, Speech
from .urls import doc_path

PAGES_LIMIT = 1_000_000_000  # GitHub Pages: a published site may be no larger than 1 GB
LISTED = 100  # problems listed before "and N more"
KINDS = {"speeches": "speech", "pages": "page"}


@dataclass(frozen=True)
class Change:
    change: str  # "added", "changed", "removed"
    path: str
    kind: str  # "speech" or "page"


def changes(base: Mapping[str, str], current: Mapping[str, str]) -> tuple[tuple[Change, ...], tuple[str, ...]]:
    """The speeches and pages added, changed and removed (by file, compared as text), and the
    other source files (data files) that differ."""
    docs: list[Change] = []
    data: list[str] = []
    for path in sorted(set(base) | set(current)):
        if base.get(path) == current.get(path):
            continue
        change = "added" if path not in base else "removed" if path not in current else "changed"
        parts = path.split("/")
        if len(parts) == 3 and parts[1] in KINDS:
            docs.append(Change(change, path, KINDS[parts[1]]))
        else:
            data.append(path)
    order = {"added": 0, "changed": 1, "removed": 2}
    return tuple(sorted(docs, key=lambda c: (order[c.change], c.path))), tuple(data)


def summary(base_rev: str, base_commit: str, base: Mapping[str, str], current: Mapping[str, str],
            edition: Edition | None, diagnostics: Iterable[Diagnostic], strict: bool,
            size: tuple[int, int] | None) -> str:
    """The job summary. `size` is (files, bytes) of the built site, or None when nothing was built."""
    diags = list(diagnostics)
    docs, data = changes(base, current)
    published: dict[str, Speech | Page] = {}
    if edition:
        published = {d.path: d for d in (*edition.speeches, *edition.pages)}
    errors = sum(1 for d in diags if is_fatal(d, strict))
    out = ["## The edition in this change", ""]
    if errors:
        out += [f"**The build fails** with {_count(errors, 'error')}: nothing would be published.", ""]
    counts = "; ".join(
        f"{word} " + ", ".join(f"{sum(1 for c in docs if c.kind == kind and c.change == ch)} {ch}"
                               for ch in ("added", "changed", "removed"))
        for kind, word in (("speech", "speeches"), ("page", "pages")))
    out.append(f"Compared with `{_code(base_rev)}` (`{base_commit}`): {counts}.")
    if data:
        out.append("Data files changed (every page that shows them may change): "
                   + ", ".join(f"`{_code(p)}`" for p in data) + ".")
    out.append("")
    if docs:
        out += ["| Change | Speech or page | Source | In the built site | Problems |",
                "| --- | --- | --- | --- | --- |"]
        for c in docs:
            out.append(_row(c, published.get(c.path), edition, diags, strict))
        out.append("")
    else:
        out += ["No speech or page is added, changed or removed.", ""]
    out += _problems(diags, strict)
    out += ["### Output", ""]
    if size is None:
        out.append("Not built: nothing was written.")
    else:
        files, total = size
        out.append(f"The built site: {files:,} files, {_bytes(total)}, "
                   f"{100 * total / PAGES_LIMIT:.1f} % of the 1 GB that GitHub Pages publishes."
                   + (" **Over the limit: Pages will refuse it.**" if total > PAGES_LIMIT else ""))
    return "\n".join(out) + "\n"


def _row(c: Change, doc: Speech | Page | None, edition: Edition | None, diags: list[Diagnostic],
         strict: bool) -> str:
    slug = c.path.rsplit("/", 1)[1].removesuffix(".md")
    if doc is not None:
        keys = edition.site.keys if edition else ()
        texts = [doc.title.get(k) for k in keys] + [t for k, t in doc.title.items if k not in keys]
        title = " · ".join(_cell(t) for t in texts if t)
        where = " ".join(f"`{_code(doc_path(key, c.kind, doc.slug))}`" for key in edition.site.keys) \
            if edition else ""
    else:
        title = f"`{_code(slug)}`"
        where = "—" if c.change == "removed" else "not published: a draft" \
            if edition and slug in edition.drafts else "not published: the build stops at an error"
    mine = [d for d in diags if d.path == c.path]
    bad = sum(1 for d in mine if is_fatal(d, strict))
    problems = ", ".join(p for p in (_count(bad, "error") if bad else "",
                                     _count(len(mine) - bad, "warning") if len(mine) > bad else "") if p)
    return f"| {c.change} | {c.kind.capitalize()}: {title} | `{_code(c.path)}` | {where} | {problems or 'none'} |"


def _problems(diags: list[Diagnostic], strict: bool) -> list[str]:
    if not diags:
        return ["No problems.", ""]
    errors = sum(1 for d in diags if is_fatal(d, strict))
    out = [f"### Problems ({_count(errors, 'error')}, {_count(len(diags) - errors, 'warning')})", ""]
    for d in diags[:LISTED]:
        severity = "error" if is_fatal(d, strict) else "warning"
        out.append(f"- `{_code(d.location)}` {severity}[{d.code}]: {_message(d.message)}"
                   + (f" (hint: {_message(d.hint)})" if d.hint else ""))
    if len(diags) > LISTED:
        out.append(f"- and {len(diags) - LISTED} more (run `python3 build.py check`)")
    out.append("")
    return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _bytes(n: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


MARKDOWN = re.compile(r"([\\`*_\[\]()!~|#])")  # what could make a link, an image, a code span or emphasis


def _text(s: str) -> str:
    """Editor-supplied text shown as text: no HTML, no Markdown (a title could be an image or a link
    in the job summary: each sign that makes one is escaped), no line breaks that would end a list item."""
    return " ".join(_escaped(s).split())


def _escaped(s: str) -> str:
    return MARKDOWN.sub(r"\\\1", s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _message(s: str) -> str:
    """A diagnostic's message or hint: what it puts in backticks stays code (shown as written, where
    nothing makes a link), all else is escaped text; with unpaired backticks, all is text."""
    parts = s.split("`")
    if len(parts) % 2 == 0:
        return _text(s)
    out = "".join(f"`{_code(p)}`" if i % 2 else _escaped(p) for i, p in enumerate(parts))
    return re.sub(r"\s+", " ", out).strip()


def _cell(s: str) -> str:
    return _text(s)  # a table's bars are escaped with the rest


def _code(s: str) -> str:
    """Inside a code span, where nothing is escaped: no backticks, no table bars, one line."""
    return " ".join(s.replace("`", "'").replace("|", "/").split())
