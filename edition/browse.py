"""What templates see of the edition beyond one document: the search index's view of a speech,
and the ways through the edition (tags, years, related reading, citations).

Input and output as views.py, of which `View` takes these methods (a mixin, to keep each module
short); no Jinja here either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import drawings
from .memo import memo
from .model import Bilingual, Page, Revision, Speech, Suggestion, Target

if TYPE_CHECKING:
    from .views import View


class BrowseMixin:
    def indexed_key(self: View, doc: Speech | Page) -> str | None:
        """The section the search index takes for this page: the page language's, else the first."""
        sections = self._ordered(doc)
        return sections[0].key if sections else None

    def search_filters(self: View, doc: Speech) -> tuple[tuple[str, str], ...]:
        """(filter, value) pairs for the search index, in this tree's language."""
        out = [("speaker", self.text(p.name).value) for i in doc.speakers if (p := self.person(i))]  # type: ignore[union-attr]
        if doc.event and (e := self.event(doc.event)):
            out.append(("event", self.text(e.name).value))  # type: ignore[union-attr]
        out.append(("year", str(doc.date.year)))
        out += [("tag", self.tag_name(t)) for t in doc.tags]
        key = self.indexed_key(doc)
        if key is not None:
            out.append(("text", self.ui["original"] if key == doc.original else self.ui["translation"]))
        return tuple(out)

    def search_strings(self: View) -> dict[str, object]:
        """What the search page's script needs: its strings and the languages it can search."""
        keys = [k for k in self.ui if k.startswith(("search_", "filter_", "result_", "sort_", "in_para", "paren"))]
        return {"ui": {k: self.ui[k] for k in keys}, "lang": self.language.lang, "key": self.key,
                "languages": {lg.key: {"lang": lg.lang, "name": self.lang_name(lg.key), "root": self.home_url(lg.key)}
                              for lg in self.site.languages}}


    def label_lines(self: View, text: str, width: int) -> tuple[str, ...]:
        """A title broken into the lines of a drawing's box (whole, never cut short)."""
        return drawings.label_lines(text, width)

    def suggestions(self: View, slug: str) -> tuple[Suggestion, ...]:
        self.rec.note("suggest", slug)
        return self._suggestions.get(slug, ())

    @memo
    def _suggestions(self: View) -> dict[str, tuple[Suggestion, ...]]:
        return dict(self.linked.suggestions)

    def cites(self: View, doc: Speech | Page) -> tuple[Target, ...]:
        """The speeches and pages a document links to, once each (the first paragraph linked)."""
        seen: dict[tuple[str, str], Target] = {}
        self.rec.note("targets", doc.path)
        for t in self._targets_of.get(doc.path, ()):  # in the order of the sections and their links
            if t.kind in ("speech", "page") and (t.kind, t.id) != (doc.kind, doc.slug):
                seen.setdefault((t.kind, t.id), t)
        return tuple(sorted(seen.values(), key=lambda t: (t.kind, t.id)))

    @memo
    def _targets_of(self: View) -> dict[str, tuple[Target, ...]]:
        by_path: dict[str, list[Target]] = {}
        for (path, _key, _i), target in self.linked.targets:
            by_path.setdefault(path, []).append(target)
        return {k: tuple(v) for k, v in by_path.items()}

    def speeches_tagged(self: View, tag: str) -> tuple[Speech, ...]:
        self.rec.note("members", "tag", tag)
        return self.rec.wrap_all(self._groups.get(("tag", tag), ()))

    def speeches_in(self: View, year: int | str) -> tuple[Speech, ...]:
        self.rec.note("members", "year", str(year))
        return self.rec.wrap_all(self._groups.get(("year", str(int(year))), ()))

    @memo
    def _groups(self: View) -> dict[tuple[str, str], tuple[Speech, ...]]:
        """The speeches of each person, event, tag and year, newest first: one pass over the
        edition, instead of one per list (which grows with the edition times its lists)."""
        groups: dict[tuple[str, str], list[Speech]] = {}
        for s in self._ed.speeches:  # in the edition's order: newest first
            keys = [("person", p) for p in s.speakers] + [("tag", t) for t in s.tags] + [("year", str(s.date.year))]
            if s.event:
                keys.append(("event", s.event))
            for key in dict.fromkeys(keys):
                groups.setdefault(key, []).append(s)
        return {key: tuple(items) for key, items in groups.items()}

    @property
    def years(self: View) -> tuple[tuple[int, int], ...]:
        """(year, number of speeches), newest first."""
        self.rec.note("members", "years")
        return self._years

    @memo
    def _years(self: View) -> tuple[tuple[int, int], ...]:
        counts: dict[int, int] = {}
        for s in self._ed.speeches:
            counts[s.date.year] = counts.get(s.date.year, 0) + 1
        return tuple(sorted(counts.items(), reverse=True))

    @property
    def tags(self: View) -> tuple[tuple[str, str, int], ...]:
        """(id, display name, number of speeches) of every tag in use, by display name."""
        self.rec.note("members", "tags")
        self.rec.note("tagnames")
        return self._tags_in_use

    @memo
    def _tags_in_use(self: View) -> tuple[tuple[str, str, int], ...]:
        counts: dict[str, int] = {}
        for s in self._ed.speeches:
            for t in s.tags:
                counts[t] = counts.get(t, 0) + 1
        return tuple(sorted(((t, self._tag_name(t), n) for t, n in counts.items()), key=lambda x: (x[1].lower(), x[0])))

    def tag_name(self: View, ident: str) -> str:
        self.rec.note("tagnames")
        return self._tag_name(ident)

    def _tag_name(self: View, ident: str) -> str:
        name = self._tag_names.get(ident)
        return self.text(name).value if name else ident  # type: ignore[union-attr]

    def tag_names(self: View, ids: tuple[str, ...]) -> str:
        return self.ui["list_sep"].join(self.tag_name(t) for t in ids)

    @memo
    def _tag_names(self: View) -> dict[str, Bilingual]:
        return dict(self._ed.tags)


    def file_size(self: View, n: int) -> str:
        """A download's size as a reader judges it: kB under a megabyte, else MB with one decimal."""
        return self.ui["size_kb"].format(n=max(1, round(n / 1000))) if n < 1_000_000 \
            else self.ui["size_mb"].format(n=f"{n / 1_000_000:.1f}")

    def revisions(self: View, doc: Speech | Page) -> tuple[Revision, ...]:
        """The commits that changed the document's file, newest first (none without git)."""
        self.rec.note("revisions", doc.path)
        return self._revisions.get(doc.path, ())

    @memo
    def _revisions(self: View) -> dict[str, tuple[Revision, ...]]:
        return dict(self._ed.revisions)
