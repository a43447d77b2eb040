"""Exports: each speech's texts and metadata in the formats other tools read, and the edition's
aligned pairs for translation memories.

Input: a `views.View` (the first language tree's) and the speeches. Output: file contents as text:
per speech a JSON file (metadata and the numbered pairs), plain text per language, TEI P5 (both
texts, `xml:lang`, blocks aligned by `corresp`, notes and editorial marks as TEI elements); for the
edition, the pairs as TSV and as TMX 1.4b. The Markdown source is copied by the renderer as is.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import zlib
from xml.sax.saxutils import escape, quoteattr

from . import __version__, cite
from .model import EXPORT_FORMATS, OutputFile, Speech
from .textcheck import spreadsheet_cell
from .urls import doc_path
from .views import View

FOLDER = "exports"
FORMATS = EXPORT_FORMATS  # each written once; per language tree only the citations, whose content differs
ALIGNED = {"tsv": f"{FOLDER}/aligned.tsv.gz", "tmx": f"{FOLDER}/aligned.tmx.gz"}  # gzip: text compresses 3-4x


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


def edition_files(views: dict[str, View], speeches: tuple[Speech, ...], memo: dict[str, bytes] | None = None
                  ) -> tuple[tuple[str, OutputFile], ...]:
    """(format, file) of the edition's aligned pairs, compressed (no time stamp: the same input
    gives the same bytes). The file is a series of gzip members of about 32 speeches each — a .gz
    file may hold several, read as one text by gzip, zcat and every zlib-based reader — so that
    `memo` (the members of the last build, by the digest of their text) spares compressing again
    what one save did not change."""
    formats = next(iter(views.values())).site.exports
    if not set(formats) & ALIGNED.keys():
        return ()
    pairs = [(doc, aligned_pairs(views, doc)) for doc in speeches]  # once for both formats
    made = {"tsv": aligned_tsv, "tmx": aligned_tmx}
    last = dict(memo or {})
    if memo is not None:
        memo.clear()  # this build's members only: an edited speech's old ones go
    # A member ends after a speech whose slug's digest says so (one in 32): a member holds about
    # 32 speeches, and adding or removing one moves no boundary but its own.
    ends = [hashlib.blake2b(doc.slug.encode(), digest_size=1).digest()[0] % MEMBER == 0 for doc in speeches]
    out = []
    for fmt, path in ALIGNED.items():
        if fmt in formats:
            head, *each, end = made[fmt](views, pairs)
            groups, group = [], [head]
            for text, last_one in zip(each, ends, strict=True):
                group.append(text)
                if last_one:
                    groups.append(group)
                    group = []
            groups.append([*group, end])
            members = []
            for group in groups:
                data = "".join(group).encode()
                key = hashlib.blake2b(data, digest_size=16).hexdigest()
                member = last.get(key) or gzip.compress(data, 6, mtime=0)
                if memo is not None:
                    memo[key] = member
                members.append(member)
            out.append((fmt, OutputFile(path, b"".join(members))))
    return tuple(out)


def members(data: bytes) -> dict[str, bytes]:
    """The gzip members of a download `edition_files` wrote, by the digest of their text: the memo
    of a build that did not make them (a CLI build reads them back from the last output). A member
    is known by what it decompresses to, so it is never reused for other text; reading stops at
    the first member that does not decompress whole, that has another header than this module
    writes (a file compressed by another tool), or that would decompress to far more than text
    compresses to (a file that is not ours)."""
    out = {}
    while data:
        if not data.startswith(GZIP_HEAD):
            break
        d = zlib.decompressobj(wbits=31)  # 31: one gzip member, header and trailer checked
        try:
            text = d.decompress(data, MAX_RATIO * len(data))
        except zlib.error:
            break
        if not d.eof:
            break
        rest = d.unused_data
        out[hashlib.blake2b(text, digest_size=16).hexdigest()] = data[:len(data) - len(rest)]
        data = rest
    return out


GZIP_HEAD = gzip.compress(b"", 6, mtime=0)[:10]  # what every member `edition_files` writes begins with
MAX_RATIO = 20  # text compresses 3-4x: a member that inflates 20x its file was not written here


MEMBER = 32  # speeches per gzip member, on average: 1-2 % more bytes than one member (the corpus: 1.4 %)


Pairs = list[tuple[Speech, list[tuple[int, dict[str, str]]]]]  # each speech with its aligned pairs


def paths(slug: str) -> dict[str, str]:
    base = f"{FOLDER}/speeches/{slug}/"
    return {"source": base + f"{slug}.md", "json": base + f"{slug}.json", "tei": base + f"{slug}.tei.xml",
            "text": base + slug + ".{key}.txt"}


def _fill(views: dict[str, View], doc: Speech, key: str, fragment: str, form: str) -> str:
    """Cross-links of a section as its own language's tree labels and links them."""
    return views[key].fill(doc, key, fragment, form)


def _pairs(views: dict[str, View], doc: Speech) -> list[dict[str, object]]:
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
        "edition": r.edition, "pairs": _pairs(views, doc),
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


# Ideographs, kana, hangul and CJK punctuation: a line break between two of them is no space.
_CJK = ("\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
        "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef")
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \t]*\n\\s*(?=[{_CJK}])")


def one_line(text: str) -> str:
    """A block as one line: a break between CJK characters vanishes (as CSS Text joins them),
    every other run of white space is one space."""
    return " ".join(_CJK_BREAK.sub("", text).split())


def aligned_pairs(views: dict[str, View], doc: Speech) -> list[tuple[int, dict[str, str]]]:
    """The one rule TSV and TMX share: a numbered block is a pair when at least two languages
    have text for it; its texts are whitespace-normalised by `one_line`. A block with one side
    only is in neither file (a translation memory entry needs both sides)."""
    out = []
    for row in _pairs(views, doc):
        texts = {k: t for k in views if (t := one_line(str(row.get(k) or "")))}
        if len(texts) >= 2:
            out.append((int(row["n"]), texts))  # type: ignore[call-overload]
    return out


def aligned_tsv(views: dict[str, View], speeches: Pairs) -> list[str]:
    """One line per aligned pair, quoted as Python's csv and spreadsheets read it (a cell that
    starts with a quote keeps it), each text guarded against formula injection. In parts: the
    heading, each speech's lines, an empty end."""
    keys = tuple(views)
    parts = []
    for rows in ([("speech", "paragraph", *keys)],
                 *([(doc.slug, str(n), *(spreadsheet_cell(texts.get(k, "")) for k in keys)) for n, texts in pairs]
                   for doc, pairs in speeches)):
        buffer = io.StringIO()
        csv.writer(buffer, dialect="excel-tab", lineterminator="\n").writerows(rows)
        parts.append(buffer.getvalue())
    return [*parts, ""]


def aligned_tmx(views: dict[str, View], speeches: Pairs) -> list[str]:
    """The translation memory, in parts: its head, each speech's units (maybe none), its end."""
    v = next(iter(views.values()))
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
             f'<header creationtool="edition" creationtoolversion="{__version__}" segtype="paragraph" '
             'o-tmf="edition" adminlang="en" srclang="*all*" datatype="plaintext"/>\n<body>\n']
    for doc, pairs in speeches:
        units = []
        for n, texts in pairs:
            order = sorted(texts, key=lambda k: k != doc.original)  # the source (srclang) first, as readers expect
            tuvs = "".join(f"<tuv xml:lang={quoteattr(v.tag_of(k))}><seg>{escape(texts[k])}</seg></tuv>"
                           for k in order)
            units.append(f'<tu tuid="{doc.slug}-p{n}" srclang={quoteattr(v.tag_of(doc.original))}>'
                         f'<prop type="x-speech">{escape(doc.slug)}</prop><prop type="x-paragraph">{n}</prop>'
                         f"{tuvs}</tu>\n")
        parts.append("".join(units))
    return [*parts, "</body>\n</tmx>\n"]
