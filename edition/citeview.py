"""What templates see of a speech as something to cite: its reference record, the formats, the
paragraph pinpoint, its revisions, the feed entry, and the schema.org and OpenGraph descriptions.

Input: the `View` of a language tree (views.py), which makes one `Citing` for each page as
`v.cite`. Output: `cite.Record` and plain values; no Jinja here.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import TYPE_CHECKING

from . import cite, i18n
from .memo import Part, memo, shared
from .model import Page, Revision, Speech

if TYPE_CHECKING:
    from .views import View


# The territory a bare language tag most often means (Facebook's locale list needs one).
OG_REGION = {"en": "US", "zh": "CN", "ja": "JP", "ko": "KR", "fr": "FR", "de": "DE", "es": "ES", "ru": "RU",
             "pt": "BR", "it": "IT", "ar": "AR", "vi": "VN"}
OG_SCRIPT_REGION = {("zh", "Hans"): "CN", ("zh", "Hant"): "TW"}


class Citing(Part):
    v: View

    def record(self, doc: Speech) -> cite.Record:
        """What a reference to this speech says, in this tree's language. The page's head and
        panel, the ¶N menu, the downloads, the feed and the exports all ask: made once each."""
        # One model per view: the slug names one speech; a later use records the same reads.
        return self.v.rec.memo(self._citations, doc.slug, lambda: self._make_record(doc))

    @memo
    def _citations(self) -> dict[str, tuple[frozenset[tuple[str, ...]], cite.Record]]:
        return {}

    def _make_record(self, doc: Speech) -> cite.Record:
        names = tuple(self.v.text(p.name).value for i in doc.speakers if (p := self.v.person(i)))  # type: ignore[union-attr]
        event = self.v.event(doc.event) if doc.event else None
        title = self.v.text(doc.title)
        others = tuple(v for k, v in doc.title.items if k != title.key)  # type: ignore[union-attr]
        # A translation's record names its translator and the original's title; the original's, neither.
        original = self.v.key == doc.original
        return cite.Record(
            doc.slug, self.v.key, self.v.language.lang, title.value, others, original,  # type: ignore[union-attr]
            names, doc.date,
            self.v.text(event.name).value if event else None,  # type: ignore[union-attr]
            self.v.text(doc.place).value if doc.place else None,  # type: ignore[union-attr]
            doc.translation.translator if doc.translation and not original else None,
            self.v.text(self.v.site.title).value, self.v.site.editors,  # type: ignore[union-attr]
            self.v.absolute(self.v.url("speech", doc.slug)),
            None if original or title.key == doc.original else doc.title.get(doc.original))  # type: ignore[union-attr]

    def format(self, name: str, record: cite.Record) -> tuple[str, str]:
        return getattr(cite, name)(record)  # type: ignore[no-any-return]

    def styles(self, record: cite.Record) -> tuple[tuple[str, str, tuple[str, str]], ...]:
        """(a stable id, the style's name, (HTML, text)) in the order the panel offers them: on the
        Chinese tree the national standard GB/T 7714-2015 comes first (and is shown first)."""
        paren = self.v.ui["paren"]
        styles = [("chicago-note", "Chicago" + paren.format(self.v.ui["cite_note"]), cite.chicago_note(record)),
                  ("chicago-bib", "Chicago" + paren.format(self.v.ui["cite_bibliography"]),
                   cite.chicago_bibliography(record)),
                  ("mla", "MLA", cite.mla(record)), ("apa", "APA", cite.apa(record))]
        if i18n.chinese(self.v.key):
            styles.insert(0, ("gbt7714", "GB/T 7714-2015", cite.gbt7714(record)))
        return tuple(styles)

    def paragraph(self, doc: Speech) -> tuple[str, str, str, str]:
        """(the note before its URL, the pinpoint pattern, the URL, the closing mark): the ¶N menu
        puts `prefix, ¶ N, URL#pN.` on the clipboard (第N段 in Chinese)."""
        r = self.record(doc)
        text = cite.chicago_note(r)[1]
        zh = i18n.chinese(self.v.key)
        prefix = text.rsplit(("，" if zh else ", ") + r.url, 1)[0]
        return prefix, ("，第{n}段，" if zh else ", ¶ {n}, "), r.url, ("。" if zh else ".")

    def feed_summary(self, doc: Speech) -> str:
        """The speech's summary and metadata as HTML for a feed entry."""
        t = self.v.text(doc.summary)
        r = self.record(doc)
        meta = html.escape(self.v.ui["list_sep"].join(r.authors) + " · " + self.v.date(doc.date)
                           + (" · " + r.event if r.event else ""))
        return f"<p>{meta}</p>" + (f"<p>{t.value}</p>" if t else "")

    def last_revised(self, kind: str, ident: str) -> str | None:
        """The date of a speech's or page's newest commit (the sitemap's lastmod); None for the
        lists and without a git history: nothing is guessed."""
        doc = self.v.doc(kind, ident) if kind in ("speech", "page") else None
        revisions = self.revisions(doc) if doc else ()
        return revisions[0].date.isoformat() if revisions else None

    def revisions(self, doc: Speech | Page) -> tuple[Revision, ...]:
        """The commits that changed the document's file, newest first (none without git)."""
        self.v.rec.note("revisions", doc.path)
        return self._revisions.get(doc.path, ())

    @shared
    def _revisions(self) -> dict[str, tuple[Revision, ...]]:
        return dict(self.v._ed.revisions)

    def og_locale(self, lang: str | None = None) -> str:
        """An OpenGraph locale (language_TERRITORY) for a BCP 47 tag: `en` → en_US, `zh-Hans` → zh_CN."""
        tag = lang or self.v.language.lang
        parts = tag.replace("_", "-").split("-")
        language = parts[0].lower()
        region = next((p.upper() for p in parts[1:] if len(p) == 2 or p.isdigit()), None)
        script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
        if region is None:
            region = (OG_SCRIPT_REGION.get((language, script)) if script else None) or OG_REGION.get(language)
        return f"{language}_{region}" if region and not region.isdigit() else language

    def share_image(self) -> str:
        """The absolute URL of the site's share image: site.yml `image`, else the theme's card."""
        image = self.v.site.image
        if image and image.startswith(("http://", "https://")):
            return image
        return self.v.absolute(self.v.root_url() + image) if image else self.v.absolute(self.v.asset("og-image.png"))

    def feed_entries(self, speeches: tuple[Speech, ...]) -> tuple[tuple[Speech, str], ...]:
        """Each speech with its entry's `updated` (RFC 3339): the day of its newest revision (never
        before the speech's date), else the speech's date; entries of one day a second apart in
        feed order, so that no two are equal (the W3C validator's DuplicateUpdated)."""
        days = [(s, (max(s.date, revs[0].date) if (revs := self.revisions(s)) else s.date).isoformat())
                for s in speeches]
        left = Counter(day for _, day in days)
        out = []
        for s, day in days:
            left[day] -= 1  # the first of a day in feed order is the latest
            n = left[day]
            out.append((s, f"{day}T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z"))
        return tuple(out)

    def jsonld(self, doc: Speech) -> dict[str, object]:
        """schema.org: the speech as a CreativeWork; its other-language pages as translation/original."""
        r = self.record(doc)
        data: dict[str, object] = {
            "@context": "https://schema.org", "@type": "CreativeWork", "@id": r.url, "url": r.url, "name": r.title,
            "inLanguage": r.lang, "genre": "speech", "dateCreated": doc.date.isoformat(),
            "author": [{"@type": "Person", "name": n} for n in r.authors],
            "isPartOf": {"@type": "WebSite", "name": r.edition, "url": self.v.site.base_url}}
        if r.translator:  # only a translation's record has one
            data["translator"] = {"@type": "Person", "name": r.translator}
        if r.event:
            data["recordedAt"] = {"@type": "Event", "name": r.event, **({"location": r.place} if r.place else {}),
                                  "startDate": doc.date.isoformat()}
        others = [{"@type": "CreativeWork", "url": self.v.absolute(self.v.url("speech", doc.slug, key=lg.key)),
                   "inLanguage": lg.lang, "name": (doc.title.get(lg.key) or r.title)} for lg in self.v.others]
        if others:
            data["translationOfWork" if self.v.key != doc.original else "workTranslation"] = \
                others[0] if len(others) == 1 else others
        return data

