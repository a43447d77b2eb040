"""Drawings made at build time: the timeline and the webs of citations, as geometry for SVG.

Input: speeches, events and citation pairs (already resolved). Output: frozen shapes with
coordinates in a fixed viewBox; the templates write them as inline SVG (no script, nothing
fetched) and put the same data beside them as lists for screen readers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .model import Speech

WIDTH = 1000
GAP = 10  # the least distance between two dots' centres (radius 4)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    slug: str


@dataclass(frozen=True)
class Row:
    y: float
    event: str | None  # None: speeches without an event
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    year: int


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    label_width: int
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]


def timeline(speeches: tuple[Speech, ...]) -> Timeline:
    """One row per event (in the order of its first speech), a dot per speech along the years."""
    label_w, right, top, row_h = 260, 20, 40, 26
    if not speeches:
        return Timeline(WIDTH, top, label_w, (), ())
    y0, y1 = min(s.date for s in speeches).year, max(s.date for s in speeches).year + 1
    first, last = _new_year(y0), _new_year(y1)
    span = max(last - first, 1)

    def x(d: dt.date) -> float:
        return round(label_w + (d.toordinal() - first) / span * (WIDTH - label_w - right), 1)

    groups: dict[str | None, list[Speech]] = {}
    for s in sorted(speeches, key=lambda s: (s.date, s.slug)):
        groups.setdefault(s.event, []).append(s)
    order = sorted(groups, key=lambda e: (e is None, groups[e][0].date, e or ""))
    def spread(items: list[Speech], y: float) -> tuple[Dot, ...]:
        """Dots of one row; speeches of the same or nearby days side by side, never one on another."""
        dots: list[Dot] = []
        for s in items:
            at = x(s.date)
            if dots and at < dots[-1].x + GAP:
                at = round(dots[-1].x + GAP, 1)
            dots.append(Dot(at, y, s.slug))
        return tuple(dots)

    rows = tuple(Row(top + i * row_h, e, spread(groups[e], top + i * row_h)) for i, e in enumerate(order))
    # Ticks at round years, at most a dozen, however far apart the dates (years 1 to 9999).
    step = next(n for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000) if (y1 - y0) / n <= 12)
    ticks = tuple(Tick(round(label_w + (_new_year(y) - first) / span * (WIDTH - label_w - right), 1), y)
                  for y in range(y0 - y0 % step, y1 + 1, step) if y >= y0)
    return Timeline(WIDTH, top + len(rows) * row_h + 10, label_w, rows, ticks)


def _new_year(year: int) -> int:
    """The ordinal of 1 January of `year`; year 10000 (the end of 9999) has no date object."""
    return dt.date(year, 1, 1).toordinal() if year <= dt.MAXYEAR else dt.date.max.toordinal() + 1


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    kind: str  # "speech" or "page"
    ident: str


@dataclass(frozen=True)
class Web:
    """What one document cites (right) and what cites it (left), around it (centre)."""

    width: int
    height: int
    centre: Node
    citing: tuple[Node, ...]
    cited: tuple[Node, ...]
    more_citing: int
    more_cited: int
    box: int = 48  # the height of a node: room for three lines of a title


def label_lines(text: str, width: int, most: int = 3) -> tuple[str, ...]:
    """A title broken into lines of at most `width` columns (a Chinese character takes two), at
    spaces in Latin text and between any two characters in Chinese; never cut unless it needs more
    than `most` lines, when the last one ends in "…"."""
    lines: list[str] = []
    line, cols = "", 0
    for word in re.findall(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef][，。、：；！？」』”）》]*|\S+\s*", text):
        w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in word.rstrip())
        if line and cols + w > width:
            lines.append(line.rstrip())
            line, cols = "", 0
        line += word
        cols += w + (1 if word.endswith(" ") else 0)
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip("…") + "…"
    return tuple(lines)


def web(kind: str, ident: str, citing: tuple[tuple[str, str], ...], cited: tuple[tuple[str, str], ...],
        limit: int = 8) -> Web:
    row_h, top = 56, 52  # the top leaves room for the column headings
    shown_in, shown_out = citing[:limit], cited[:limit]
    rows = max(len(shown_in), len(shown_out), 1)
    height = top + 40 + (rows - 1) * row_h

    def column(items: tuple[tuple[str, str], ...], x: float) -> tuple[Node, ...]:
        offset = top + (rows - len(items)) * row_h / 2
        return tuple(Node(x, offset + i * row_h, k, i_) for i, (k, i_) in enumerate(items))

    return Web(WIDTH, int(height), Node(WIDTH / 2, top + (rows - 1) * row_h / 2, kind, ident), column(shown_in, 170),
               column(shown_out, WIDTH - 170), len(citing) - len(shown_in), len(cited) - len(shown_out))


@dataclass(frozen=True)
class Arc:
    x1: float
    x2: float
    path: str


@dataclass(frozen=True)
class Arcs:
    """Speeches of an event along a line in date order, arcs over it for the citations among them."""

    width: int
    height: int
    base: float
    dots: tuple[Dot, ...]
    arcs: tuple[Arc, ...]


def arcs(speeches: tuple[Speech, ...], pairs: tuple[tuple[str, str], ...]) -> Arcs:
    ordered = sorted(speeches, key=lambda s: (s.date, s.slug))
    n = len(ordered)
    gap = (WIDTH - 40) / max(n - 1, 1)
    xs = {s.slug: round(20 + i * gap, 1) for i, s in enumerate(ordered)}
    highest = max((abs(xs[a] - xs[b]) / 2 for a, b in pairs), default=0)
    base = round(min(highest, 300) + 30, 1)
    out = []
    for a, b in sorted(set(pairs)):
        x1, x2 = sorted((xs[a], xs[b]))
        r = (x2 - x1) / 2
        out.append(Arc(x1, x2, f"M {x1} {base} A {r} {min(r, base - 10)} 0 0 1 {x2} {base}"))
    return Arcs(WIDTH, int(base + 30), base, tuple(Dot(xs[s.slug], base, s.slug) for s in ordered), tuple(out))
