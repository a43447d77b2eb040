"""What templates see of the ways through the edition: its lists (by speaker, event, tag and
year), the tags and years in use, related reading, the speeches a speech cites, and the labels
of the drawing of those links.

Input: the `View` of a language tree (views.py), which makes one `Browse` for each page as
`v.browse`. Output: model objects and plain values; no Jinja here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import drawings
from .memo import Part, memo, shared
from .model import Bilingual, Page, Speech, Suggestion, Target
from .record import untracked

if TYPE_CHECKING:
    from .views import View


class Browse(Part):
    v: View

    def speeches_by(self, person: str) -> tuple[Speech, ...]:
        """A person's speeches, newest first."""
        self.v.rec.note("members", "person", person)
        return self.v.rec.wrap_all(self._groups.get(("person", person), ()))

    def speeches_at(self, event: str) -> tuple[Speech, ...]:
        """An event's speeches in the order they were given."""
        self.v.rec.note("members", "event", event)
        return self.v.rec.wrap_all(tuple(sorted(self._groups.get(("event", event), ()),
                                                key=lambda s: (s.date, s.slug))))

    def speeches_tagged(self, tag: str) -> tuple[Speech, ...]:
        self.v.rec.note("members", "tag", tag)
        return self.v.rec.wrap_all(self._groups.get(("tag", tag), ()))

    def speeches_in(self, year: int | str) -> tuple[Speech, ...]:
        self.v.rec.note("members", "year", str(year))
        return self.v.rec.wrap_all(self._groups.get(("year", str(int(year))), ()))

    @shared
    def _groups(self) -> dict[tuple[str, str], tuple[Speech, ...]]:
        """The speeches of each person, event, tag and year, newest first: one pass over the
        edition, instead of one per list (which grows with the edition times its lists)."""
        groups: dict[tuple[str, str], list[Speech]] = {}
        for s in self.v._ed.speeches:  # in the edition's order: newest first
            keys = [("person", p) for p in s.speakers] + [("tag", t) for t in s.tags] + [("year", str(s.date.year))]
            if s.event:
                keys.append(("event", s.event))
            for key in dict.fromkeys(keys):
                groups.setdefault(key, []).append(s)
        return {key: tuple(items) for key, items in groups.items()}

    @property
    def years(self) -> tuple[tuple[int, int], ...]:
        """(year, number of speeches), newest first."""
        self.v.rec.note("members", "years")
        return self.year_counts

    @shared
    def year_counts(self) -> tuple[tuple[int, int], ...]:
        """`years` without noting the read (the recorder's own question)."""
        counts: dict[int, int] = {}
        for s in self.v._ed.speeches:
            counts[s.date.year] = counts.get(s.date.year, 0) + 1
        return tuple(sorted(counts.items(), reverse=True))

    @property
    def tags(self) -> tuple[tuple[str, str, int], ...]:
        """(id, display name, number of speeches) of every tag in use, by display name."""
        self.v.rec.note("members", "tags")
        self.v.rec.note("tagnames")
        return self.tags_in_use

    @memo
    def tags_in_use(self) -> tuple[tuple[str, str, int], ...]:
        """`tags` without noting the read (the recorder's own question)."""
        counts: dict[str, int] = {}
        for s in self.v._ed.speeches:
            for t in s.tags:
                counts[t] = counts.get(t, 0) + 1
        return tuple(sorted(((t, self._tag_name(t), n) for t, n in counts.items()), key=lambda x: (x[1].lower(), x[0])))

    def tag_name(self, ident: str) -> str:
        self.v.rec.note("tagnames")
        return self._tag_name(ident)

    def _tag_name(self, ident: str) -> str:
        name = self._tag_names.get(ident)
        return self.v.text(name).value if name else ident  # type: ignore[union-attr]

    def tag_names(self, ids: tuple[str, ...]) -> str:
        return self.v.ui["list_sep"].join(self.tag_name(t) for t in ids)

    @shared
    def _tag_names(self) -> dict[str, Bilingual]:
        return dict(self.v._ed.tags)

    def suggestions(self, slug: str) -> tuple[Suggestion, ...]:
        self.v.rec.note("suggest", slug)
        return self._suggestions.get(slug, ())

    @shared
    def _suggestions(self) -> dict[str, tuple[Suggestion, ...]]:
        return dict(self.v.linked.suggestions)

    def cites(self, doc: Speech | Page) -> tuple[Target, ...]:
        """The speeches and pages a document links to, once each (the first paragraph linked)."""
        seen: dict[tuple[str, str], Target] = {}
        self.v.rec.note("targets", doc.path)
        raw = untracked(doc)  # its links' places, not a read of its text
        targets = self.v._targets
        for section in raw.sections:  # in the order of the sections and their links, as link.py made them
            for i in range(len(section.refs)):
                t = targets.get((raw.path, section.key, i))
                if t is not None and t.kind in ("speech", "page") and (t.kind, t.id) != (raw.kind, raw.slug):
                    seen.setdefault((t.kind, t.id), t)
        return tuple(sorted(seen.values(), key=lambda t: (t.kind, t.id)))

    def label_lines(self, text: str, width: int) -> tuple[str, ...]:
        """A title broken into the lines of a drawing's box (whole, never cut short)."""
        return drawings.label_lines(text, width)
