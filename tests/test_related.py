"""Related reading: the indexed algorithm gives exactly what scoring every candidate gives, and its
cost grows linearly with the edition."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from edition.model import Bilingual, Speech, Suggestion
from edition.related import LIMIT, WEIGHTS, Related, suggest


def quadratic(speeches: tuple[Speech, ...]) -> dict[str, tuple[Suggestion, ...]]:
    """The algorithm related.py had before it was indexed: every candidate scored, then sorted."""
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


def make(slug: str, date: dt.date, event: str | None, speakers: tuple[str, ...], tags: tuple[str, ...],
         related: tuple[str, ...] = ()) -> Speech:
    return Speech(slug, f"content/speeches/{slug}.md", Bilingual((("en", slug),)), speakers, date, event, None,
                  "en", None, None, tuple((r, 1, 1) for r in related), tags, None, False, ())


def edition(n: int, seed: int, events: int = 15, speakers: int = 20, tags: int = 50,
            days: int = 20000) -> tuple[Speech, ...]:
    """A generated edition shaped like bench/make_corpus.py's: one event and speaker, 2-5 tags."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        slug = f"s{i:05d}"
        out.append(make(slug, dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(days)),
                        f"e{rng.randrange(events)}" if rng.random() < 0.9 else None,
                        tuple(f"p{x}" for x in rng.sample(range(speakers), min(speakers, rng.choice((1, 1, 1, 2))))),
                        tuple(f"t{x}" for x in rng.sample(range(tags), min(tags, rng.randint(2, 5)))),
                        tuple(f"s{rng.randrange(n):05d}" for _ in range(rng.randint(0, 3)))))
    return tuple(out)


def test_same_as_scoring_every_candidate_on_generated_editions() -> None:
    for n, seed, kw in ((300, 1, {}), (500, 2, {"days": 30}), (200, 3, {"events": 2, "speakers": 2, "tags": 4}),
                        (400, 4, {"tags": 200, "days": 5})):
        speeches = edition(n, seed, **kw)  # type: ignore[arg-type]
        assert suggest(speeches) == quadratic(speeches)


ids = st.sampled_from(["a", "b", "c", "d"])
speech_st = st.tuples(st.integers(0, 40), st.one_of(st.none(), ids), st.lists(ids, max_size=3),
                      st.lists(st.sampled_from(["t1", "t2", "t3", "t4", "t5", "t6"]), max_size=8),
                      st.lists(st.integers(0, 30), max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.lists(speech_st, min_size=1, max_size=30))
def test_same_as_scoring_every_candidate_property(rows: list[tuple[int, str | None, list[str], list[str],
                                                                     list[int]]]) -> None:
    # Small pools of ids, dates and tags: many ties in score and in distance, both sides of a date,
    # duplicate tags and speakers, `related:` entries naming speeches or not.
    speeches = tuple(make(f"s{i:02d}", dt.date(2000, 1, 1) + dt.timedelta(days=day), event, tuple(people),
                          tuple(tags), tuple(f"s{r:02d}" for r in rel))
                     for i, (day, event, people, tags, rel) in enumerate(rows))
    assert suggest(speeches) == quadratic(speeches)
    # The same with every speech of more than three features set apart as "wide" (scored directly).
    assert Related(speeches, wide_at=3).all() == quadratic(speeches)


def test_a_speech_with_very_many_tags_is_still_right() -> None:
    many = tuple(f"t{x}" for x in range(30))
    speeches = (*edition(100, 5, tags=30), make("zz-many", dt.date(1990, 1, 1), "e1", ("p1",), many),
                make("zz-many-2", dt.date(1991, 1, 1), "e2", ("p2",), many[:20]))
    assert suggest(speeches) == quadratic(speeches)


def test_cost_grows_linearly() -> None:
    """Index entries made and list items visited: 4x the speeches cost at most 5x (the quadratic
    algorithm: about 16x)."""
    small, large = Related(edition(1000, 7)), Related(edition(4000, 7))
    small.all()
    large.all()
    assert large.work <= 5 * small.work, (small.work, large.work)


def test_hundreds_of_tags_on_a_speech_cost_little() -> None:
    # Its pairs and triples of features would be 20 million index keys (memory ran out at 2 GB).
    many = tuple(f"t{x}" for x in range(500))
    speeches = (*edition(300, 8, tags=40), make("zz-many", dt.date(1990, 1, 1), "e1", ("p1",), many),
                make("zz-many-2", dt.date(1991, 1, 1), "e2", ("p2",), many[:200]))
    related, plain = Related(speeches), Related(speeches[:-2])
    assert related.all() == quadratic(speeches)
    plain.all()
    assert related.work < 2 * plain.work, (related.work, plain.work)
