"""Exports: each speech's texts and metadata in the formats other tools read (the edition's aligned
pairs for translation memories are aligned.py's).

Input: a `views.View` (the first language tree's) and the speeches. Output: file contents as text:
per speech a JSON file (metadata and the numbered pairs), plain text per language, TEI P5 (both
texts, `xml:lang`, blocks aligned by `corresp`, notes and editorial marks as TEI elements). The
Markdown source is copied by the renderer as is.
"""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape, quoteattr

from . import cite
from .model import EXPORT_FORMATS, OutputFile, Speech
from .urls import doc_path
from .views import View

FOLDER = "exports"
FORMATS = EXPORT_FORMATS  # each written once; per language tree only the citations, whose content differs


def speech_files(views: dict[str, View], doc: Speech, source: str | None) -> tuple[OutputFile, ...]:
    """Every file made from one speech besides its pages, in the formats the site asks for."""
    formats = next(iter(views.values())).site.exports
    out = []
    if "cite" in formats:  # the reference as files reference managers import, one per language tree
        for key, v in views.items():
            folder = doc_path(key, "speech", doc.slug)
            record = v.cite.record(doc)
            out += [OutputFile(folder + "cite.bib", cite.bibtex(record).encode()),
                    OutputFile(folder + "cite.ris", cite.ris(record).encode()),
                    OutputFile(folder + "cite.json", cite.csl_json(record).encode())]
    where = paths(doc.slug)
    if "json" in formats:
        out.append(OutputFile(where["json"], speech_json(views, doc).encode()))
    if "tei" in formats:
        out.append(OutputFile(where["tei"], speech_tei(views, doc).encode()))
    if "text" in formats:
        out += [OutputFile(where["text"].format(key=sec.key), speech_text(views, doc, sec.key).encode())
                for sec in doc.sections]
    if "source" in formats and source is not None:
        out.append(OutputFile(where["source"], source.encode()))
    return tuple(out)


def paths(slug: str) -> dict[str, str]:
    base = f"{FOLDER}/speeches/{slug}/"
    return {"source": base + f"{slug}.md", "json": base + f"{slug}.json", "tei": base + f"{slug}.tei.xml",
            "text": base + slug + ".{key}.txt"}


def _fill(views: dict[str, View], doc: Speech, key: str, fragment: str, form: str) -> str:
    """Cross-links of a section as its own language's tree labels and links them."""
    return views[key].fill(doc, key, fragment, form)


def pairs(views: dict[str, View], doc: Speech) -> list[dict[str, object]]:
    count = max((len(s.blocks) for s in doc.sections), default=0)
    out = []
    for n in range(1, count + 1):
        row: dict[str, object] = {"n": n, "anchor": f"p{n}"}
        for s in doc.sections:
            row[s.key] = _fill(views, doc, s.key, s.text[n - 1], "text") if n <= len(s.blocks) else None
        out.append(row)
    return out


def speech_json(views: dict[str, View], doc: Speech) -> str:
    v = next(iter(views.values()))
    r = v.cite.record(doc)
    data = {
        "slug": doc.slug, "title": dict(doc.title.items), "date": doc.date.isoformat(),
        "speakers": [{"id": i, "name": dict(p.name.items)} for i in doc.speakers if (p := v.person(i))],
        "event": ({"id": doc.event, "name": dict(e.name.items)} if doc.event and (e := v.event(doc.event)) else None),
        "place": dict(doc.place.items) if doc.place else None, "original": doc.original,
        "languages": {s.key: v.tag_of(s.key) for s in doc.sections},
        "translation": ({"translator": doc.translation.translator, "url": doc.translation.url,
                         "published": doc.translation.published.isoformat() if doc.translation.published else None,
                         "license": doc.translation.license} if doc.translation else None),
        "tags": list(doc.tags), "url": {lg.key: v.absolute(v.url("speech", doc.slug, key=lg.key))
                                        for lg in v.site.languages},
        "edition": r.edition, "pairs": pairs(views, doc),
        "notes": {s.key: [_fill(views, doc, s.key, t, "text") for t in s.text[len(s.blocks):]] for s in doc.sections}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def speech_text(views: dict[str, View], doc: Speech, key: str) -> str:
    v = views[key]
    section = doc.section(key)
    title = doc.title.get(key) or v.text(doc.title).value  # type: ignore[union-attr]
    lines = [title, ""]
    if section is not None:
        blocks = len(section.blocks)
        lines += [f"¶{n} {v.fill(doc, key, t, 'text')}" for n, t in enumerate(section.text[:blocks], 1)]
        notes = section.text[blocks:]
        if notes:
            lines += ["", *(v.fill(doc, key, t, "text") for t in notes)]
    return "\n\n".join(line for line in lines if line) + "\n"


def speech_tei(views: dict[str, View], doc: Speech) -> str:
    v = next(iter(views.values()))
    r = v.cite.record(doc)
    titles = "".join(f"<title xml:lang={quoteattr(v.tag_of(k))}>{escape(t)}</title>" for k, t in doc.title.items)
    authors = "".join(f"<author>{escape(a)}</author>" for a in r.authors)
    editors = "".join(f"<editor>{escape(e)}</editor>" for e in r.editors)
    keys = [s.key for s in doc.sections]
    divs = []
    for s in doc.sections:
        others = [k for k in keys if k != s.key]
        blocks = []
        for n, t in enumerate(s.tei, 1):
            corresp = " ".join(f"#{k}-p{n}" for k in others if n <= len(doc.section(k).tei))  # type: ignore[union-attr]
            attrs = f' xml:id="{s.key}-p{n}" n="{n}"' + (f' corresp="{corresp}"' if corresp else "")
            element = _fill(views, doc, s.key, t, "tei")
            if n > 1 and element.startswith("<head"):  # TEI allows a <head> only first in its <div>
                element = '<ab type="head"' + element[len("<head"):-len("</head>")] + "</ab>"
            blocks.append(re.sub(r"^<(\w+)", lambda m, a=attrs: f"<{m.group(1)}{a}", element, count=1))
        kind = "original" if s.key == doc.original else "translation"
        divs.append(f'<div type="{kind}" xml:lang={quoteattr(v.tag_of(s.key))} xml:id="{s.key}">'
                    + "\n".join(blocks) + "</div>")
    if doc.section(doc.original) is None:  # the original is not part of the edition: say so, never invent it
        divs.insert(0, f'<div type="original" xml:lang={quoteattr(v.tag_of(doc.original))}>'
                       '<gap reason="not-in-edition"/></div>')
    # Every language the file holds (texts and titles): a catalogue record still has its titles.
    used = dict.fromkeys([doc.original, *keys, *(k for k, _ in doc.title.items)])
    bibl = escape(", ".join(x for x in (r.event, r.place, doc.date.isoformat()) if x))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" '
            f'xml:lang={quoteattr(v.tag_of(doc.original))}>\n<teiHeader><fileDesc><titleStmt>{titles}{authors}{editors}'
            f"</titleStmt><publicationStmt><publisher>{escape(r.edition)}</publisher>"
            f"<idno type=\"URL\">{escape(r.url)}</idno></publicationStmt>"
            f"<sourceDesc><bibl>{authors}<date when=\"{doc.date.isoformat()}\"/>{bibl}</bibl></sourceDesc></fileDesc>"
            "<profileDesc><langUsage>" + "".join(f"<language ident={quoteattr(v.tag_of(k))}/>" for k in used)
            + "</langUsage></profileDesc></teiHeader>\n<text><body>\n" + "\n".join(divs) + "\n</body></text>\n</TEI>\n")
