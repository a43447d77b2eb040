"""Citations: one record per speech and language tree, and the formats scholars' tools read.

Input: a `Record` (the values in the page's language). Output: Chicago (note and bibliography),
MLA, APA and GB/T 7714-2015 as (HTML, plain text) pairs, and BibTeX, RIS and CSL-JSON text. Pure functions; the
renderer writes the downloads and the templates show the panel.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass

from . import i18n


@dataclass(frozen=True)
class Record:
    id: str  # the speech's slug
    key: str  # language key of the page
    lang: str  # BCP 47 tag of the page
    title: str
    other_titles: tuple[str, ...]  # the title in the edition's other languages
    is_original: bool  # the page's language is the speech's original
    authors: tuple[str, ...]
    date: dt.date
    event: str | None
    place: str | None
    translator: str | None
    edition: str  # the site's title
    editors: tuple[str, ...]
    url: str
    # The original's title, on a translation's record only (BibTeX origtitle, CSL original-title)
    original_title: str | None = None


LABELS = {
    "en": {"speech": "Speech", "trans": "translated by", "ed": "edited by", "in": "In", "at": "at",
           "trans_short": "trans.", "ed_short": "ed.", "original_title": "Original title: {}",
           "translated_by": "Translated by {}", "edited_by": "Edited by {}"},
    "zh": {"speech": "讲话", "trans": "译", "ed": "编", "in": "载", "at": "于", "trans_short": "译",
           "ed_short": "编", "original_title": "原题：{}", "translated_by": "{}译", "edited_by": "{}编"},
}
# biblatex's `langid` takes babel/polyglossia language names, not BCP 47 tags (biber maps only some back).
BABEL = {"en": "english", "en-US": "american", "en-GB": "british", "zh": "chinese", "zh-Hans": "chinese",
         "zh-Hant": "chinese", "zh-CN": "chinese", "zh-TW": "chinese", "ja": "japanese", "fr": "french",
         "de": "german", "ru": "russian", "es": "spanish"}
EN_MONTH_SHORT = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


def _zh(r: Record) -> bool:
    return i18n.chinese(r.key)


def _l(r: Record) -> dict[str, str]:
    return LABELS["zh" if _zh(r) else "en"]


def _names(names: tuple[str, ...], zh: bool) -> str:
    if zh:
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _t(r: Record) -> str:
    """The title with the other languages' titles after it: “Title” [标题], or 《标题》（Title）."""
    if _zh(r):
        return f"《{r.title}》" + "".join(f"（{o}）" for o in r.other_titles)
    return f"\u201c{r.title}\u201d" + "".join(f" [{o}]" for o in r.other_titles)


def _t_period(r: Record) -> str:
    """English styles put the closing period inside the quotation marks: “Title.” [标题]"""
    return f"\u201c{r.title}.\u201d" + "".join(f" [{o}]" for o in r.other_titles)


def _stop(text: str) -> str:
    """The text ending with one full stop (a name may end with an initial's)."""
    return text if text.endswith(".") else text + "."


def _pair(parts: list[tuple[str, bool]]) -> tuple[str, str]:
    """(HTML, text) of parts, italic where flagged."""
    h = "".join(f"<i>{html.escape(t)}</i>" if it else html.escape(t) for t, it in parts)
    return h, "".join(t for t, _ in parts)


def chicago_note(r: Record) -> tuple[str, str]:
    words, zh = _l(r), _zh(r)
    if zh:
        where = "，".join(x for x in (r.event, r.place) if x)
        parts = [(f"{_names(r.authors, True)}：{_t(r)}（{words['speech']}，{where + '，' if where else ''}"
                  f"{i18n.format_date(r.date, r.key)}）", False)]
        if r.translator:
            parts.append((f"，{r.translator}{words['trans_short']}", False))
        parts.append((f"，{words['in']}《{r.edition}》", False))
        if r.editors:
            parts.append((f"，{_names(r.editors, True)}{words['ed_short']}", False))
        parts.append((f"，{r.url}。", False))
        return _pair(parts)
    where = ", ".join(x for x in (r.event, r.place) if x)
    date = f"{i18n.EN_MONTHS[r.date.month - 1]} {r.date.day}, {r.date.year}"
    parts = [(f"{_names(r.authors, False)}, {_t(r)} ({words['speech'].lower()}, "
              f"{where + ', ' if where else ''}{date})", False)]
    if r.translator:
        parts.append((f", {words['trans_short']} {r.translator}", False))
    parts += [(f", {words['in'].lower()} ", False), (r.edition, True)]
    if r.editors:
        parts.append((f", {words['ed_short']} {_names(r.editors, False)}", False))
    parts.append((f", {r.url}.", False))
    return _pair(parts)


def chicago_bibliography(r: Record) -> tuple[str, str]:
    words, zh = _l(r), _zh(r)
    if zh:
        where = "，".join(x for x in (r.event, r.place, i18n.format_date(r.date, r.key)) if x)
        parts = [(f"{_names(r.authors, True)}。{_t(r)}。{words['speech']}，{where}。", False)]
        if r.translator:
            parts.append((f"{r.translator}{words['trans_short']}。", False))
        parts.append((f"{words['in']}《{r.edition}》" + (f"，{_names(r.editors, True)}{words['ed_short']}" if r.editors
                                                        else "") + f"。{r.url}。", False))
        return _pair(parts)
    where = ", ".join(x for x in (r.event, r.place) if x)
    date = f"{i18n.EN_MONTHS[r.date.month - 1]} {r.date.day}, {r.date.year}"
    where = where + ", " if where else ""
    parts = [(f"{_names(r.authors, False)}. {_t_period(r)} {words['speech']}, {where}{date}.",
              False)]
    if r.translator:
        parts.append((f" Translated by {_stop(r.translator)}", False))
    parts += [(f" {words['in']} ", False), (r.edition, True)]
    if r.editors:
        parts.append((f", {words['ed']} {_names(r.editors, False)}", False))
    parts.append((f". {r.url}.", False))
    return _pair(parts)


def mla(r: Record) -> tuple[str, str]:
    if _zh(r):
        where = "，".join(x for x in (r.event, i18n.format_date(r.date, r.key), r.place) if x)
        return _pair([(f"{_names(r.authors, True)}：{_t(r)}，{where}。"
                       + (f"{r.translator}译。" if r.translator else "") + f"《{r.edition}》，{r.url}。", False)])
    date = f"{r.date.day} {EN_MONTH_SHORT[r.date.month - 1]} {r.date.year}"
    where = ", ".join(x for x in (r.event, date, r.place) if x)
    parts = [(f"{_names(r.authors, False)}. {_t_period(r)} {where}.", False)]
    if r.translator:
        parts.append((f" Translated by {_stop(r.translator)}", False))
    parts += [(" ", False), (r.edition, True)]
    if r.editors:
        parts.append((f", edited by {_names(r.editors, False)}", False))
    parts.append((f", {r.url}.", False))
    return _pair(parts)


def apa(r: Record) -> tuple[str, str]:
    if _zh(r):
        where = "，".join(x for x in (r.event, r.place) if x)
        return _pair([(f"{_names(r.authors, True)}（{i18n.format_date(r.date, r.key)}）。{_t(r)}［讲话］"
                       + (f"（{r.translator}译）" if r.translator else "") + f"。{where + '。' if where else ''}"
                       f"{r.edition}。{r.url}", False)])
    parts = [(f"{_names(r.authors, False)}. ({r.date.year}, {i18n.EN_MONTHS[r.date.month - 1]} {r.date.day}). ", False),
             (r.title, True)] + [(f" [{o}]", False) for o in r.other_titles] + [(" [Speech]", False)]
    if r.translator:
        parts.append((f" ({r.translator}, Trans.)", False))
    where = ", ".join(x for x in (r.event, r.place) if x)
    parts.append((f". {where + '. ' if where else ''}{r.edition}. {r.url}", False))
    return _pair(parts)


def _gb_names(names: tuple[str, ...]) -> str:
    """GB/T 7714 names: Latin letters in capitals, at most three, then 等 (et al.)."""
    shown = [n.upper() for n in names[:3]]
    return ", ".join(shown + (["等"] if len(names) > 3 else []))


def gbt7714(r: Record) -> tuple[str, str]:
    """GB/T 7714-2015 (the Chinese national standard), as the CSL style
    china-national-standard-gb-t-7714-2015-numeric renders a speech (type code Z, online: OL) in
    the edition (a contribution to a collection, joined by //), without the list's number."""
    first = f"{r.title}[Z/OL]" + (f". {_gb_names((r.translator,))}, 译" if r.translator else "")
    container = ". ".join(x for x in (_gb_names(r.editors) if r.editors else "", r.edition) if x)
    parts = [x for x in (_gb_names(r.authors) if r.authors else "", f"{first}//{container}",
                         f"({r.date.isoformat()})", r.url) if x]
    text = ". ".join(parts) + "."
    return html.escape(text), text


def _tex(value: str) -> str:
    """A BibTeX field value: braces balanced by escaping, TeX specials escaped."""
    out = []
    for c in value:
        if c in "{}%&$#_":
            out.append("\\" + c)
        elif c == "\\":
            out.append("\\textbackslash{}")
        elif c == "~":
            out.append("\\textasciitilde{}")
        elif c == "^":
            out.append("\\textasciicircum{}")
        else:
            out.append(c)
    return "".join(out)


def _url(value: str) -> str:
    """A verbatim BibTeX field: no TeX escapes, so what could close or open a brace (or break the
    line) is percent-encoded, as it would be in the URL anyway."""
    return "".join(f"%{ord(c):02X}" if (c in "{}\\%" and not (c == "%" and _is_escape(value, i)))
                   or c.isspace() else c for i, c in enumerate(value))


def _is_escape(value: str, i: int) -> bool:
    return bool(re.match(r"%[0-9A-Fa-f]{2}", value[i:i + 3]))


def bibtex(r: Record) -> str:
    """A biblatex @unpublished entry ("the script of a talk", biblatex's manual), the one type whose
    data model takes an event and a venue; each name braced whole so that it is never split or
    inverted. @unpublished has no translator or editor fields: they are said in `note` and
    `addendum`, in the record's language."""
    words = _l(r)
    people = lambda names: " and ".join("{" + _tex(n) + "}" for n in names)  # noqa: E731
    fields = [("author", people(r.authors)), ("title", _tex(r.title)), ("type", _tex(words["speech"])),
              ("date", r.date.isoformat())]
    fields += [(k, _tex(v)) for k, v in (("origtitle", r.original_title), ("eventtitle", r.event),
                                          ("venue", r.place)) if v]
    fields.append(("howpublished", _tex(r.edition)))
    if r.translator:
        fields.append(("note", _tex(words["translated_by"].format(r.translator))))
    if r.editors:
        fields.append(("addendum", _tex(words["edited_by"].format(_names(r.editors, _zh(r))))))
    fields.append(("url", _url(r.url)))
    if langid := BABEL.get(r.lang) or BABEL.get(r.lang.split("-")[0]):
        fields.append(("langid", langid))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@unpublished{{{r.id},\n{body}\n}}\n"


def ris(r: Record) -> str:
    """RIS as a conference paper (CPAPER), the type whose `T2` both Zotero (conferenceName) and
    citation-js (event) read as the event. No `TT`: the RIS spec makes it the translated title and
    citation-js then reads it as the title (Zotero keeps TI); the original's title goes in a note."""
    lines = ["TY  - CPAPER", f"TI  - {r.title}"]
    lines += [f"AU  - {a}" for a in r.authors]
    lines += [f"PY  - {r.date.year:04d}", f"DA  - {r.date.isoformat().replace('-', '/')}/"]
    if r.event:
        lines.append(f"T2  - {r.event}")
    if r.place:
        lines.append(f"CY  - {r.place}")
    if r.translator:
        lines.append(f"A4  - {r.translator}")
    lines += [f"A2  - {e}" for e in r.editors]
    lines += [f"PB  - {r.edition}", f"UR  - {r.url}", f"LA  - {r.lang}"]
    if r.original_title:
        lines.append("N1  - " + _l(r)["original_title"].format(r.original_title))
    lines.append("ER  - ")
    return "\r\n".join(" ".join(line.splitlines()) for line in lines) + "\r\n"


# CSL strings are rich text: citeproc-js reads <i>, <b>, <sc>, <sup>, <sub> and <span …> as markup and
# applies the style's text-case. Each "<" alone in a nocase span is no tag's start, and the nocase span
# round the whole keeps the title as the edition writes it (citeproc-js, Zotero and pandoc honour it).
_LT = '<span class="nocase"><</span>'


def _rich(text: str) -> str:
    return '<span class="nocase">' + text.replace("<", _LT) + "</span>"


def csl(r: Record) -> dict[str, object]:
    item: dict[str, object] = {
        "id": r.id, "type": "speech", "title": _rich(r.title), "author": [{"literal": a} for a in r.authors],
        "issued": {"date-parts": [[r.date.year, r.date.month, r.date.day]]}, "genre": _l(r)["speech"],
        "container-title": _rich(r.edition), "URL": r.url, "language": r.lang}
    if r.original_title:
        item["original-title"] = _rich(r.original_title)
    if r.event:
        item["event-title"] = _rich(r.event)  # CSL 1.0.2; `event` is deprecated
    if r.place:
        item["event-place"] = r.place
    if r.translator:
        item["translator"] = [{"literal": r.translator}]
    if r.editors:
        item["editor"] = [{"literal": e} for e in r.editors]
    return item


def csl_json(r: Record) -> str:
    return json.dumps([csl(r)], ensure_ascii=False, indent=2) + "\n"
