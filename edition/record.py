"""Record: what an output read from the model, so that a rebuild renders it again exactly when one
of those inputs changed (the one mechanism behind the preview's rebuilds and the CLI's warm builds).

Input: the linked edition, the template folders and the source texts. Output: a `Recorder`, which
hands out tracking stand-ins for documents, people, events and the edition and notes each read as
a `Key` (a tuple of strings: `("speech", slug, "title")`, `("members", "tag", "trade")`,
`("back", "speech", slug)`, `("template", "base.html")`…); and `Inputs`, which gives the digest of
any key in one build's model. Keys are plain values: they survive a worker process and the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .model import Edition, Event, Linked, Page, Person, Speech

if TYPE_CHECKING:
    from .views import View

Key = tuple[str, ...]
T = TypeVar("T")

IDENTITY = frozenset(("slug", "id", "kind"))  # what an object was looked up by: reading it reads nothing new
FIELD_OF = {"section": "sections"}  # a method and the field it reads
OBJECTS = ("speech", "page", "person", "event")  # the kinds of key (kind, id, field) of an object


class Recorder:
    """The keys read since `start`. One per render context; outputs are rendered one at a time."""

    __slots__ = ("keys",)

    def __init__(self) -> None:
        self.keys: set[Key] = set()

    def start(self) -> None:
        self.keys = set()

    def stop(self) -> tuple[Key, ...]:
        keys, self.keys = self.keys, set()
        # That an object exists says nothing more when a field of it was read as well: the field's
        # value is ABSENT once the object is gone (a fifth of all keys recorded at 10,000 speeches).
        fields = {k[:2] for k in keys if len(k) == 3 and k[0] in OBJECTS and k[2] != "exists"}
        return tuple(sorted(k for k in keys if not (len(k) == 3 and k[2] == "exists" and k[:2] in fields)))

    def note(self, *key: str) -> None:
        self.keys.add(key)

    def memo(self, cache: dict[Any, tuple[frozenset[Key], T]], key: object, make: Callable[[], T]) -> T:
        """`make()` once per cache key; every later use records the same reads as the first."""
        hit = cache.get(key)
        if hit is None:
            value, read = self.reads(make)
            cache[key] = (read, value)
            return value
        self.keys |= hit[0]
        return hit[1]

    def reads(self, make: Callable[[], T]) -> tuple[T, frozenset[Key]]:
        """`make()` and the keys it read (noted in the current recording too)."""
        outer, self.keys = self.keys, set()
        try:
            value = make()
        finally:
            inner, self.keys = self.keys, outer
            outer |= inner
        return value, frozenset(inner)

    def wrap(self, obj: T) -> T:
        if isinstance(obj, Speech | Page):
            return Tracked(obj, self, (obj.kind, obj.slug))  # type: ignore[return-value]
        if isinstance(obj, Person):
            return Tracked(obj, self, ("person", obj.id))  # type: ignore[return-value]
        if isinstance(obj, Event):
            return Tracked(obj, self, ("event", obj.id))  # type: ignore[return-value]
        return obj

    def wrap_all(self, items: tuple[T, ...]) -> tuple[T, ...]:
        return tuple(self.wrap(x) for x in items)


class Tracked:
    """A document, person or event as an output sees it: each field read is noted."""

    __slots__ = ("_key", "_obj", "_rec")

    def __init__(self, obj: object, rec: Recorder, key: Key) -> None:
        self._obj, self._rec, self._key = obj, rec, key

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._obj, name)
        if name == "sections":  # lists ask only whether a text exists: that is a read of its own
            return Counted(value, self._rec, (*self._key, "sections"))
        if name not in IDENTITY:
            self._rec.keys.add((*self._key, FIELD_OF.get(name, name)))
        return value

    def __eq__(self, other: object) -> bool:
        self._rec.keys.add((*self._key, "*"))
        return self._obj == (other._obj if isinstance(other, Tracked) else other)

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return f"Tracked({self._obj!r})"


class Counted:
    """A tracked document's sections, or the term base: asking how many (or whether any) notes the
    count (the key with `#`); reading them notes them. Only the sequence protocol: anything else
    fails loudly."""

    __slots__ = ("_items", "_key", "_rec")

    def __init__(self, items: tuple[Any, ...], rec: Recorder, key: Key) -> None:
        self._items, self._rec, self._key = items, rec, key

    def _read(self) -> tuple[Any, ...]:
        self._rec.keys.add(self._key)
        return self._items

    def __len__(self) -> int:
        self._rec.keys.add((*self._key[:-1], self._key[-1] + "#"))
        return len(self._items)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Any]:
        return iter(self._read())

    def __getitem__(self, i: Any) -> Any:
        return self._read()[i]

    def __contains__(self, x: object) -> bool:
        return x in self._read()

    def __reversed__(self) -> Iterator[Any]:
        return reversed(self._read())


def untracked(obj: T) -> T:
    return obj._obj if isinstance(obj, Tracked) else obj  # type: ignore[no-any-return]


class TrackedEdition:
    """The edition as templates reach it (`v.edition`): a list read notes its members (and the
    items are tracked), anything else notes the attribute as a whole."""

    __slots__ = ("_ed", "_rec")

    def __init__(self, ed: Edition, rec: Recorder) -> None:
        self._ed, self._rec = ed, rec

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._ed, name)
        if name in ("speeches", "pages", "people", "events"):
            self._rec.note("members", name)
            return self._rec.wrap_all(value)
        if name == "site":
            return value  # every output depends on the site (see Inputs)
        if name == "terms":  # the navigation asks only whether there are any (Counted)
            return Counted(value, self._rec, ("edition", name))
        self._rec.note("edition", name)
        return value


@dataclasses.dataclass(frozen=True)
class Absent:
    """The value of a key whose object, template or source is not there: its pickle is that of no
    value the model holds (a tuple `("absent",)` could be a speech's tags)."""


ABSENT = Absent()


Known = dict[Key, tuple[object, str]]  # key -> (value, digest) of an earlier build


def digest_of(value: object) -> str:
    """The digest of a value's pickle: equal bytes mean equal values (a repr could leave fields out)."""
    return hashlib.blake2b(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()


def field_digests(doc: object) -> dict[str, str]:
    """The digest of each field of a document, as `Inputs` gives it for ("speech", slug, field):
    made once when the document is validated, kept with it in the cache."""
    return {f.name: digest_of(getattr(doc, f.name)) for f in dataclasses.fields(doc)}  # type: ignore[arg-type]


class Inputs:
    """The digest of each key in one build's model (computed once per key, see `digest_of`).
    `known`, the values of a preview's last build, spares hashing a value equal to the one it had
    then; `fields`, the documents' field digests made when they were validated (this build's
    documents only), spares hashing documents at all."""

    def __init__(self, linked: Linked, template_dirs: tuple[str, ...], texts: dict[str, str],
                 known: Known | None = None, fields: dict[tuple[str, str], dict[str, str]] | None = None) -> None:
        self.linked, self.template_dirs, self.texts = linked, template_dirs, texts
        self.known = known or {}
        self.fields = fields or {}
        self.values: Known = {}
        self._view: View | None = None
        ed = linked.edition
        self._objects: dict[tuple[str, str], object] = {
            **{("speech", s.slug): s for s in ed.speeches}, **{("page", p.slug): p for p in ed.pages},
            **{("person", p.id): p for p in ed.people}, **{("event", e.id): e for e in ed.events}}
        self._tables: dict[str, dict[object, object]] | None = None
        # key -> digest: first the fields of this edition's speeches and pages (not drafts left out),
        # then each other key as it is asked for; one look-up per key answers `unchanged`, which
        # checks about a million recorded reads at 10,000 speeches.
        self._digests: dict[Key, str] = {
            (kind, slug, name): d for (kind, slug), digests in self.fields.items()
            if kind in ("speech", "page") and (kind, slug) in self._objects for name, d in digests.items()}

    def digest(self, key: Key) -> str:
        known = self._digests.get(key)
        if known is not None:
            return known
        value = self.value(key)
        old = self.known.get(key)
        hit = (value, old[1]) if old is not None and (old[0] is value or old[0] == value) else \
            (value, digest_of(value))
        self.values[key] = hit
        self._digests[key] = hit[1]
        return hit[1]

    def unchanged(self, deps: tuple[tuple[Key, str], ...]) -> bool:
        digests = self._digests
        for key, recorded in deps:
            now = digests.get(key)
            if (now if now is not None else self.digest(key)) != recorded:
                return False
        return True

    def value(self, key: Key) -> object:
        kind = key[0]
        if kind in OBJECTS:
            obj = self._objects.get((kind, key[1]))
            if obj is None:
                return ABSENT
            field = key[2]
            if field == "exists":
                return True
            if field == "sections#":
                return len(obj.sections)  # type: ignore[attr-defined]
            value = obj if field == "*" else getattr(obj, field)
            return obj if callable(value) else value  # a method: everything it could read
        if kind == "site":
            return self.linked.edition.site
        if kind == "members":
            return self._members(key[1:])
        if kind == "tagnames":
            return self.linked.edition.tags
        if kind == "edition":
            name = key[1].removesuffix("#")
            value = getattr(self.linked.edition, name)
            return len(value) if name != key[1] else value
        if kind == "linked":
            return getattr(self.linked, key[1])
        if kind in ("concordance", "occurrences", "ignoring"):  # a term's rows; a speech's; who silences a term
            return self._table(kind).get(key[1], ())
        if kind in ("targets", "back", "suggest", "revisions"):
            return self._table(kind).get(key[1] if len(key) == 2 else key[1:], ())
        if kind == "template":
            return self._template(key[1])
        if kind == "source":
            return self.texts.get(key[1], ABSENT)
        raise KeyError(key)  # a key nobody can check is a bug, not a reason to reuse

    def _members(self, what: Key) -> object:
        v = self.view()
        ed = self.linked.edition
        if len(what) == 1 and what[0] in ("speeches", "pages", "people", "events"):
            return tuple(getattr(x, "slug", None) or x.id for x in getattr(ed, what[0]))
        if what == ("years",):
            return v.browse.year_counts
        if what == ("tags",):
            return tuple((t, n) for t, _name, n in v.browse.tags_in_use)
        lookup = {"person": v.browse.speeches_by, "event": v.browse.speeches_at, "tag": v.browse.speeches_tagged,
                  "year": v.browse.speeches_in}[what[0]]
        return tuple(s.slug for s in lookup(what[1]))  # type: ignore[operator]

    def view(self) -> View:
        """A view of this model whose reads go nowhere: it answers the list questions as templates get them."""
        if self._view is None:
            from .views import View

            self._view = View.of(self.linked, self.linked.edition.site.keys[0], Recorder())
        return self._view

    def _table(self, kind: str) -> dict[object, object]:
        if self._tables is None:
            targets: dict[object, list[object]] = {}
            for entry in self.linked.targets:
                targets.setdefault(entry[0][0], []).append(entry)
            self._tables = {"targets": {k: tuple(v) for k, v in targets.items()},
                            "back": dict(self.linked.backlinks), "suggest": dict(self.linked.suggestions),
                            "revisions": dict(self.linked.edition.revisions),
                            "concordance": self.linked.rows_by("term"),
                            "occurrences": self.linked.rows_by("speech"),
                            "ignoring": {k: tuple(s.slug for s in v)
                                         for k, v in self.linked.edition.silencing().items()}}
        return self._tables[kind]

    def _template(self, name: str) -> object:
        for folder in self.template_dirs:
            p = Path(folder) / name
            try:
                return p.read_text(encoding="utf-8")
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                continue
        return ABSENT


def keys_of(deps: tuple[tuple[Key, str], ...]) -> Iterator[Key]:
    return (k for k, _ in deps)
