"""What templates see of a page as the search index takes it: which text is indexed, the
filters (speaker, event, year, tag, original or translation) in the tree's language, and the
strings and languages the search page's script needs.

Input: the `View` of a language tree (views.py), which makes one `SearchView` for each page as
`v.search`. Output: plain values; no Jinja here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .memo import Part
from .model import Page, Speech

if TYPE_CHECKING:
    from .views import View

# The interface strings the search page's script shows (their keys' beginnings).
SCRIPT_STRINGS = ("search_", "filter_", "result_", "sort_", "in_para", "paren")


class SearchView(Part):
    v: View

    def indexed_key(self, doc: Speech | Page) -> str | None:
        """The section the search index takes for this page: the page language's, else the first."""
        sections = self.v.ordered(doc)
        return sections[0].key if sections else None

    def filters(self, doc: Speech) -> tuple[tuple[str, str], ...]:
        """(filter, value) pairs for the search index, in this tree's language."""
        v = self.v
        out = [("speaker", v.text(p.name).value) for i in doc.speakers if (p := v.person(i))]  # type: ignore[union-attr]
        if doc.event and (e := v.event(doc.event)):
            out.append(("event", v.text(e.name).value))  # type: ignore[union-attr]
        out.append(("year", str(doc.date.year)))
        out += [("tag", v.browse.tag_name(t)) for t in doc.tags]
        key = self.indexed_key(doc)
        if key is not None:
            out.append(("text", v.ui["original"] if key == doc.original else v.ui["translation"]))
            if key != v.key:  # another tree's text, indexed here for want of this one's: the search
                out.append(("borrowed", key))  # page leaves it out when it merges that tree's index
        return tuple(out)

    def strings(self) -> dict[str, object]:
        """What the search page's script needs: its strings and the languages it can search."""
        v = self.v
        ui = v.ui
        return {"ui": {k: ui[k] for k in ui if k.startswith(SCRIPT_STRINGS)}, "lang": v.language.lang, "key": v.key,
                "languages": {lg.key: {"lang": lg.lang, "name": v.lang_name(lg.key), "root": v.home_url(lg.key)}
                              for lg in v.site.languages}}
