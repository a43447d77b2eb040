"""Related reading: up to five speeches to read next, computed from what speeches share.

Input: the edition's speeches. Output: for each speech, suggestions with their reasons (the same
event, the same speaker, shared tags), best first; never the speech itself nor one its editor
already lists under `related:`. Deterministic: ties go to the nearer date, then to the slug.
Called by the link stage.
"""

from __future__ import annotations

from collections import defaultdict

from .model import Speech, Suggestion

LIMIT = 5
WEIGHTS = {"event": 3, "speaker": 2, "tag": 1}


def suggest(speeches: tuple[Speech, ...]) -> dict[str, tuple[Suggestion, ...]]:
    by_event: dict[str, list[Speech]] = defaultdict(list)
    by_speaker: dict[str, list[Speech]] = defaultdict(list)
    by_tag: dict[str, list[Speech]] = defaultdict(list)
    for s in speeches:
        if s.event:
            by_event[s.event].append(s)
        for p in s.speakers:
            by_speaker[p].append(s)
        for t in s.tags:
            by_tag[t].append(s)
    out: dict[str, tuple[Suggestion, ...]] = {}
    for s in speeches:
        listed = {slug for slug, _, _ in s.related} | {s.slug}
        candidates: dict[str, Speech] = {}
        for group in ([by_event[s.event]] if s.event else []) + [by_speaker[p] for p in s.speakers] + \
                [by_tag[t] for t in s.tags]:
            for c in group:
                if c.slug not in listed:
                    candidates[c.slug] = c
        ranked = []
        for c in candidates.values():
            event = bool(s.event) and s.event == c.event
            speaker = bool(set(s.speakers) & set(c.speakers))
            tags = tuple(sorted(set(s.tags) & set(c.tags)))
            score = WEIGHTS["event"] * event + WEIGHTS["speaker"] * speaker + WEIGHTS["tag"] * len(tags)
            ranked.append((-score, abs((s.date - c.date).days), c.slug, Suggestion(c.slug, event, speaker, tags)))
        ranked.sort(key=lambda r: r[:3])
        out[s.slug] = tuple(r[3] for r in ranked[:LIMIT])
    return out
