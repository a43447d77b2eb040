"""A cached property whose values the copies of an object share.

A view of a language tree is copied for each page it renders (`View.at`, which says where the
page is, so that its links are relative). What the view computes once for the whole tree (the
index of people and events, the tags, the citations) must be computed once for all those copies,
not once per page: the values live in the object's `_memo` dict, which a shallow copy shares (and
which the view's parts, made anew for each copy, reach through it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class memo(Generic[T]):  # lowercase, as the decorator it stands for (functools.cached_property)
    store = "_memo"  # the dict of the object the value lives in

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        # The view's parts (its `browse`, `cite`, ... helpers) share the view's dict: keys name the class.
        self.name = f"{owner.__name__}.{name}"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> memo[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> T | memo[T]:
        if obj is None:
            return self
        cache: dict[str, Any] = getattr(obj, self.store)
        try:
            return cache[self.name]  # type: ignore[no-any-return]
        except KeyError:
            value = cache[self.name] = self.func(obj)
            return value


class shared(memo[T]):
    """A `memo` whose value the views of every language tree share (`View.all_of` gives them one
    dict): for what reads no language — the index of documents, the speeches of each tag, what
    links where — made once for both trees instead of once each (a preview's first look after a
    save makes them all again: at 10,000 speeches, tens of milliseconds each)."""

    store = "_shared"


class Part:
    """A part of a view (its `browse`, `cite`, ... helpers), made for each page's copy of the
    view: what its `memo`s compute lives in the view's `_memo`, shared by all the copies."""

    def __init__(self, view: Any) -> None:
        self.v = view

    @property
    def _memo(self) -> dict[str, Any]:
        return self.v._memo  # type: ignore[no-any-return]

    @property
    def _shared(self) -> dict[str, Any]:
        return self.v._shared  # type: ignore[no-any-return]
