"""What templates see of a speech as something to cite: its reference record, the formats, the
paragraph pinpoint, the feed entry and the schema.org description.

Input and output as views.py, of which `View` takes these methods (a mixin, to keep each module
short).
"""

from __future__ import annotations

import html
from collections import Counter
from typing import TYPE_CHECKING

from . import cite, i18n
from .memo import memo
from .model import Speech

if TYPE_CHECKING:
    from .views import View


# The territory a bare language tag most often means (Facebook's locale list needs one).
OG_REGION = {"en": "US", "zh": "CN", "ja": "JP", "ko": "KR", "fr": "FR", "de": "DE", "es": "ES", "ru": "RU",
             "pt": "BR", "it": "IT", "ar": "AR", "vi": "VN"}
OG_SCRIPT_REGION = {("zh", "Hans"): "CN", ("zh", "Hant"): "TW"}


class CiteMixin:
    def citation(self: View, doc: Speech) -> cite.Record:
        """What a reference to this speech says, in this tree's language. The page's head and
        panel, the ¶N menu, the downloads, the feed and the exports all ask: made once each."""
        # One model per view: the slug names one speech; a later use records the same reads.
        return self.rec.memo(self._citations, doc.slug, lambda: self._make_citation(doc))

    @memo
    def _citations(self: View) -> dict[str, tuple[frozenset[tuple[str, ...]], cite.Record]]:
        return {}

    def _make_citation(self: View, doc: Speech) -> cite.Record:
        names = tuple(self.text(p.name).value for i in doc.speakers if (p := self.person(i)))  # type: ignore[union-attr]
        event = self.event(doc.event) if doc.event else None
        title = self.text(doc.title)
        others = tuple(v for k, v in doc.title.items if k != title.key)  # type: ignore[union-attr]
        # A translation's record names its translator and the original's title; the original's, neither.
        original = self.key == doc.original
        return cite.Record(
            doc.slug, self.key, self.language.lang, title.value, others, original,  # type: ignore[union-attr]
            names, doc.date,
            self.text(event.name).value if event else None,  # type: ignore[union-attr]
            self.text(doc.place).value if doc.place else None,  # type: ignore[union-attr]
            doc.translation.translator if doc.translation and not original else None,
            self.text(self.site.title).value, self.site.editors,  # type: ignore[union-attr]
            self.absolute(self.url("speech", doc.slug)),
            None if original or title.key == doc.original else doc.title.get(doc.original))  # type: ignore[union-attr]

    def cite_format(self: View, name: str, record: cite.Record) -> tuple[str, str]:
        return getattr(cite, name)(record)  # type: ignore[no-any-return]

    def cite_styles(self: View, record: cite.Record) -> tuple[tuple[str, str, tuple[str, str]], ...]:
        """(a stable id, the style's name, (HTML, text)) in the order the panel offers them: on the
        Chinese tree the national standard GB/T 7714-2015 comes first (and is shown first)."""
        paren = self.ui["paren"]
        styles = [("chicago-note", "Chicago" + paren.format(self.ui["cite_note"]), cite.chicago_note(record)),
                  ("chicago-bib", "Chicago" + paren.format(self.ui["cite_bibliography"]),
                   cite.chicago_bibliography(record)),
                  ("mla", "MLA", cite.mla(record)), ("apa", "APA", cite.apa(record))]
        if i18n.chinese(self.key):
            styles.insert(0, ("gbt7714", "GB/T 7714-2015", cite.gbt7714(record)))
        return tuple(styles)

    def paragraph_citation(self: View, doc: Speech) -> tuple[str, str, str, str]:
        """(the note before its URL, the pinpoint pattern, the URL, the closing mark): the ¶N menu
        puts `prefix, ¶ N, URL#pN.` on the clipboard (第N段 in Chinese)."""
        r = self.citation(doc)
        text = cite.chicago_note(r)[1]
        zh = i18n.chinese(self.key)
        prefix = text.rsplit(("，" if zh else ", ") + r.url, 1)[0]
        return prefix, ("，第{n}段，" if zh else ", ¶ {n}, "), r.url, ("。" if zh else ".")

    def feed_summary(self: View, doc: Speech) -> str:
        """The speech's summary and metadata as HTML for a feed entry."""
        t = self.text(doc.summary)
        r = self.citation(doc)
        meta = html.escape(self.ui["list_sep"].join(r.authors) + " · " + self.date(doc.date)
                           + (" · " + r.event if r.event else ""))
        return f"<p>{meta}</p>" + (f"<p>{t.value}</p>" if t else "")

    def last_revised(self: View, kind: str, ident: str) -> str | None:
        """The date of a speech's or page's newest commit (the sitemap's lastmod); None for the
        lists and without a git history: nothing is guessed."""
        doc = self.doc(kind, ident) if kind in ("speech", "page") else None
        revisions = self.revisions(doc) if doc else ()
        return revisions[0].date.isoformat() if revisions else None

    def og_locale(self: View, lang: str | None = None) -> str:
        """An OpenGraph locale (language_TERRITORY) for a BCP 47 tag: `en` → en_US, `zh-Hans` → zh_CN."""
        tag = lang or self.language.lang
        parts = tag.replace("_", "-").split("-")
        language = parts[0].lower()
        region = next((p.upper() for p in parts[1:] if len(p) == 2 or p.isdigit()), None)
        script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
        if region is None:
            region = (OG_SCRIPT_REGION.get((language, script)) if script else None) or OG_REGION.get(language)
        return f"{language}_{region}" if region and not region.isdigit() else language

    def share_image(self: View) -> str:
        """The absolute URL of the site's share image: site.yml `image`, else the theme's card."""
        image = self.site.image
        if image and image.startswith(("http://", "https://")):
            return image
        return self.absolute(self.root_url() + image) if image else self.absolute(self.asset("og-image.png"))

    def feed_entries(self: View, speeches: tuple[Speech, ...]) -> tuple[tuple[Speech, str], ...]:
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

    def jsonld(self: View, doc: Speech) -> dict[str, object]:
        """schema.org: the speech as a CreativeWork; its other-language pages as translation/original."""
        r = self.citation(doc)
        data: dict[str, object] = {
            "@context": "https://schema.org", "@type": "CreativeWork", "@id": r.url, "url": r.url, "name": r.title,
            "inLanguage": r.lang, "genre": "speech", "dateCreated": doc.date.isoformat(),
            "author": [{"@type": "Person", "name": n} for n in r.authors],
            "isPartOf": {"@type": "WebSite", "name": r.edition, "url": self.site.base_url}}
        if r.translator:  # only a translation's record has one
            data["translator"] = {"@type": "Person", "name": r.translator}
        if r.event:
            data["recordedAt"] = {"@type": "Event", "name": r.event, **({"location": r.place} if r.place else {}),
                                  "startDate": doc.date.isoformat()}
        others = [{"@type": "CreativeWork", "url": self.absolute(self.url("speech", doc.slug, key=lg.key)),
                   "inLanguage": lg.lang, "name": (doc.title.get(lg.key) or r.title)} for lg in self.others]
        if others:
            data["translationOfWork" if self.key != doc.original else "workTranslation"] = \
                others[0] if len(others) == 1 else others
        return data

