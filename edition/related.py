"""Related reading: up to five speeches to read next, computed from what speeches share.

Input: the edition's speeches. Output: for each speech, suggestions with their reasons (the same
event, the same speaker, shared tags), best first; never the speech itself nor one its editor
already lists under `related:`. Score: event 3, a shared speaker 2, each shared tag 1. Ties go
to the nearer date, then to the slug. Called by the link stage.

Linear in the number of speeches: instead of scoring every speech that shares anything (most of
the edition, when an event or a speaker has hundreds of speeches), the candidates come from
inverted indexes keyed by small sets of features (an event, a speaker, a tag, and their pairs and
triples), each list sorted by date. A speech's candidates are taken score level by score level,
best first, each level walked outward from the speech's date, and the walk stops as soon as five
are found; so the results and tie-breaks are exactly those of scoring every candidate. A speech
with very many features (hundreds of tags) is indexed under each alone and scored directly.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import itertools
import pickle
from collections import defaultdict
from collections.abc import Iterator

from .model import Speech, Suggestion

LIMIT = 5
WEIGHTS = {"event": 3, "speaker": 2, "tag": 1}
KEY_SIZE = 3  # feature sets indexed: all of a speech's subsets of up to this many features
MAX_FEATURES = 14  # a speech with more features (many tags) is scored against every candidate

Feature = tuple[str, str]  # ("event", id), ("speaker", id), ("tag", id)
Key = tuple[Feature, ...]  # sorted


def features(s: Speech) -> frozenset[Feature]:
    return frozenset([("event", s.event)] if s.event else []) | {("speaker", p) for p in s.speakers} \
        | {("tag", t) for t in s.tags}


def weight(f: frozenset[Feature] | tuple[Feature, ...]) -> int:
    kinds = [k for k, _ in f]
    return WEIGHTS["event"] * ("event" in kinds) + WEIGHTS["speaker"] * ("speaker" in kinds) \
        + WEIGHTS["tag"] * kinds.count("tag")


def suggest(speeches: tuple[Speech, ...]) -> dict[str, tuple[Suggestion, ...]]:
    return Related(speeches).all()


def inputs_digest(speeches: tuple[Speech, ...]) -> str:
    """The digest of everything `suggest` reads: equal digests, equal suggestions (a build with no
    speech's date, event, speakers, tags or `related:` changed reuses the last build's)."""
    read = tuple((s.slug, s.date, s.event, s.speakers, s.tags, tuple(r[0] for r in s.related)) for s in speeches)
    return hashlib.blake2b(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()


class Related:
    """The indexes of one edition; `work` counts the index entries made and the list items
    visited, the measure of cost the growth test compares across edition sizes."""

    def __init__(self, speeches: tuple[Speech, ...], wide_at: int = MAX_FEATURES) -> None:
        self.speeches = speeches
        self.work = 0
        order = sorted(range(len(speeches)), key=lambda i: (speeches[i].date, speeches[i].slug))
        self.feats = [features(s) for s in speeches]
        self.ordinal = [s.date.toordinal() for s in speeches]
        # A speech with very many features (hundreds of tags) is indexed under each feature alone:
        # its pairs and triples would be millions of keys. The walks skip it; `of` scores it directly.
        self.wide = frozenset(i for i, f in enumerate(self.feats) if len(f) > wide_at)
        index: dict[Key, list[int]] = defaultdict(list)
        wide_by: dict[Feature, list[int]] = defaultdict(list)
        for i in order:  # each list comes out sorted by (date, slug)
            own = sorted(self.feats[i])
            for size in range(1, min(1 if i in self.wide else KEY_SIZE, len(own)) + 1):
                for key in itertools.combinations(own, size):
                    index[key].append(i)
                    self.work += 1
            if i in self.wide:
                for f in own:
                    wide_by[f].append(i)
        self.index = dict(index)
        self.wide_by = dict(wide_by)
        self.dates = {key: [self.ordinal[i] for i in items] for key, items in self.index.items()}

    def all(self) -> dict[str, tuple[Suggestion, ...]]:
        return {s.slug: self.of(i) for i, s in enumerate(self.speeches)}

    def of(self, i: int) -> tuple[Suggestion, ...]:
        s, mine = self.speeches[i], self.feats[i]
        if i in self.wide:
            return self._scan(i)
        listed = {slug for slug, _, _ in s.related} | {s.slug}
        levels: dict[int, list[tuple[Feature, ...]]] = defaultdict(list)
        for size in range(1, len(mine) + 1):
            for f in itertools.combinations(sorted(mine), size):
                levels[weight(f)].append(f)
                self.work += 1
        found: list[int] = []
        for level in sorted(levels, reverse=True):
            streams = [self._stream(i, frozenset(f), key, listed) for f in levels[level]
                       if (key := self._key(f)) is not None]
            need = LIMIT - len(found)
            found += [c for _, _, c in itertools.islice(heapq.merge(*streams), need)]
            if len(found) >= LIMIT:
                break
        if self.wide:  # the speeches the walks skip, scored and merged by the same order
            wide = {c for f in mine for c in self.wide_by.get(f, ())} - {i}
            self.work += len(wide)
            found = [c for *_, c in sorted(self._rank(i, c) for c in (*found, *wide)
                                           if self.speeches[c].slug not in listed)[:LIMIT]]
        return tuple(self._suggestion(i, c) for c in found)

    def _rank(self, i: int, c: int) -> tuple[int, int, str, int]:
        """The order of suggestions: score (highest first), days apart, slug."""
        return (-weight(self.feats[i] & self.feats[c]), abs(self.ordinal[i] - self.ordinal[c]),
                self.speeches[c].slug, c)

    def _key(self, f: tuple[Feature, ...]) -> Key | None:
        """The shortest indexed list holding every speech that has all of `f`; None if none has."""
        if len(f) <= KEY_SIZE:
            return f if f in self.index else None
        best: Key | None = None
        for key in itertools.combinations(f, KEY_SIZE):
            self.work += 1
            items = self.index.get(key)
            if items is None:
                return None
            if best is None or len(items) < len(self.index[best]):
                best = key
        return best

    def _stream(self, i: int, f: frozenset[Feature], key: Key, listed: set[str]) -> Iterator[tuple[int, str, int]]:
        """The speeches whose features shared with speech i are exactly `f`, by (days apart, slug)."""
        mine = self.feats[i]
        items, dates = self.index[key], self.dates[key]
        day = self.ordinal[i]
        right = bisect.bisect_left(dates, day)
        left = right - 1
        far = 1 << 62
        while left >= 0 or right < len(items):
            # the next distance out, on whichever side is nearer; both sides when equally near
            d = min(day - dates[left] if left >= 0 else far, dates[right] - day if right < len(items) else far)
            batch = []
            while left >= 0 and day - dates[left] == d:
                batch.append(items[left])
                left -= 1
            while right < len(items) and dates[right] - day == d:
                batch.append(items[right])
                right += 1
            self.work += len(batch)
            if len(batch) > 1:
                batch.sort(key=lambda c: self.speeches[c].slug)
            for c in batch:
                slug = self.speeches[c].slug
                if slug not in listed and c not in self.wide and mine & self.feats[c] == f:
                    yield d, slug, c

    def _suggestion(self, i: int, c: int) -> Suggestion:
        s, other = self.speeches[i], self.speeches[c]
        return Suggestion(other.slug, bool(s.event) and s.event == other.event,
                          bool(set(s.speakers) & set(other.speakers)), tuple(sorted(set(s.tags) & set(other.tags))))

    def _scan(self, i: int) -> tuple[Suggestion, ...]:
        """Every speech sharing a feature, scored: for the rare speech with very many features."""
        s, mine = self.speeches[i], self.feats[i]
        listed = {slug for slug, _, _ in s.related} | {s.slug}
        seen = {c for f in mine for c in self.index.get((f,), ())}
        self.work += len(seen)
        ranked = sorted(self._rank(i, c) for c in seen if self.speeches[c].slug not in listed)
        return tuple(self._suggestion(i, c) for *_, c in ranked[:LIMIT])
