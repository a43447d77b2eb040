"""What templates see of a speech as something to cite: its reference record, the formats, the
paragraph pinpoint, the feed entry and the schema.org description.

Input and output as views.py, of which `View` takes these methods (a mixin, to keep each module
short).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from . import cite, i18n
from .memo import memo
from .model import Speech

if TYPE_CHECKING:
    from .views import View


class CiteMixin:
    def citation(self: View, doc: Speech) -> cite.Record:
        """What a reference to this speech says, in this tree's language. The page's head and
        panel, the ¶N menu, the downloads, the feed and the exports all ask: made once each."""
        record = self._citations.get(doc.slug)
        if record is None or record[0] is not doc:
            record = self._citations[doc.slug] = (doc, self._make_citation(doc))
        return record[1]

    @memo
    def _citations(self: View) -> dict[str, tuple[Speech, cite.Record]]:
        return {}

    def _make_citation(self: View, doc: Speech) -> cite.Record:
        names = tuple(self.text(p.name).value for i in doc.speakers if (p := self.person(i)))  # type: ignore[union-attr]
        event = self.event(doc.event) if doc.event else None
        title = self.text(doc.title)
        others = tuple(v for k, v in doc.title.items if k != title.key)  # type: ignore[union-attr]
        return cite.Record(
            doc.slug, self.key, self.language.lang, title.value, others, self.key == doc.original,  # type: ignore[union-attr]
            names, doc.date,
            self.text(event.name).value if event else None,  # type: ignore[union-attr]
            self.text(doc.place).value if doc.place else None,  # type: ignore[union-attr]
            doc.translation.translator if doc.translation else None, self.text(self.site.title).value,  # type: ignore[union-attr]
            self.site.editors, self.absolute(self.url("speech", doc.slug)))

    def cite_format(self: View, name: str, record: cite.Record) -> tuple[str, str]:
        return getattr(cite, name)(record)  # type: ignore[no-any-return]

    def paragraph_citation(self: View, doc: Speech) -> tuple[str, str, str, str]:
        """(the note before its URL, the pinpoint pattern, the URL, the closing mark): the ¶N menu
        puts `prefix, ¶ N, URL#pN.` on the clipboard (第N段 in Chinese)."""
        r = self.citation(doc)
        text = cite.chicago_note(r)[1]
        zh = self.ui is i18n.ZH
        prefix = text.rsplit(("，" if zh else ", ") + r.url, 1)[0]
        return prefix, ("，第{n}段，" if zh else ", ¶ {n}, "), r.url, ("。" if zh else ".")

    def feed_summary(self: View, doc: Speech) -> str:
        """The speech's summary and metadata as HTML for a feed entry."""
        t = self.text(doc.summary)
        r = self.citation(doc)
        meta = html.escape(self.ui["list_sep"].join(r.authors) + " · " + self.date(doc.date)
                           + (" · " + r.event if r.event else ""))
        return f"<p>{meta}</p>" + (f"<p>{t.value}</p>" if t else "")

    def jsonld(self: View, doc: Speech) -> dict[str, object]:
        """schema.org: the speech as a CreativeWork; its other-language pages as translation/original."""
        r = self.citation(doc)
        data: dict[str, object] = {
            "@context": "https://schema.org", "@type": "CreativeWork", "@id": r.url, "url": r.url, "name": r.title,
            "inLanguage": r.lang, "genre": "speech", "dateCreated": doc.date.isoformat(),
            "author": [{"@type": "Person", "name": n} for n in r.authors],
            "isPartOf": {"@type": "WebSite", "name": r.edition, "url": self.site.base_url}}
        if r.event:
            data["recordedAt"] = {"@type": "Event", "name": r.event, **({"location": r.place} if r.place else {}),
                                  "startDate": doc.date.isoformat()}
        others = [{"@type": "CreativeWork", "url": self.absolute(self.url("speech", doc.slug, key=lg.key)),
                   "inLanguage": lg.lang, "name": (doc.title.get(lg.key) or r.title)} for lg in self.others]
        if others:
            data["translationOfWork" if self.key != doc.original else "workTranslation"] = \
                others[0] if len(others) == 1 else others
        return data

