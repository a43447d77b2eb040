"""Aligned: the edition's aligned pairs, the downloads translation memories read (TSV and TMX 1.4b).

Input: the views of the language trees, the speeches, the recorder of the unit that makes them and
what the last build made (`model.Part`s whose inputs have not changed; the compressed members by
the digest of their text). Output: the two files, gzip-compressed, and this build's `Part`s.

Each file is a series of gzip members of about 32 speeches — a .gz file may hold several, read as
one text by gzip, zcat and every zlib-based reader — so that after a save only the member holding
the edited speech is made again: the others are taken as the last build compressed them, when
every input their text read (recorded as a template's reads are) is as it was.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
from xml.sax.saxutils import escape, quoteattr

from . import __version__, exports
from .model import OutputFile, Part, Speech
from .record import Key, Recorder
from .textcheck import spreadsheet_cell
from .views import View

# gzip: text compresses 3-4x
ALIGNED = {"tsv": f"{exports.FOLDER}/aligned.tsv.gz", "tmx": f"{exports.FOLDER}/aligned.tmx.gz"}
MEMBER = 32  # speeches per gzip member, on average: 1-2 % more bytes than one member (the corpus: 1.4 %)
GZIP_HEAD = gzip.compress(b"", 6, mtime=0)[:10]  # what every member `edition_files` writes begins with
SITE: Key = ("site",)  # every member reads the site's languages (the columns, the language tags)

Pairs = list[tuple[Speech, list[tuple[int, dict[str, str]]]]]  # each speech with its aligned pairs


def edition_files(views: dict[str, View], speeches: tuple[Speech, ...], memo: dict[str, bytes] | None = None,
                  reuse: tuple[Part, ...] = (), rec: Recorder | None = None
                  ) -> tuple[tuple[tuple[str, OutputFile], ...], tuple[Part, ...]]:
    """(format, file) of the edition's aligned pairs, compressed (no time stamp: the same input
    gives the same bytes), and a `Part` per member. `memo`: the members of the last build by the
    digest of their text (replaced by this build's); `reuse`: the last build's parts whose inputs
    are unchanged — their members are taken from `memo` without making their text."""
    formats = tuple(f for f in ALIGNED if f in next(iter(views.values())).site.exports)
    if not formats:
        return (), ()
    rec = rec or Recorder()
    last = dict(memo or {})
    if memo is not None:
        memo.clear()  # this build's members only: an edited speech's old ones go
    old = {(p.holds, p.place): p for p in reuse}
    frame = {fmt: MAKERS[fmt](views, []) for fmt in formats}  # (head, end) of each file
    members: dict[str, list[bytes]] = {fmt: [] for fmt in formats}
    offset = dict.fromkeys(formats, 0)
    parts = []
    groups = _groups(speeches)
    for i, group in enumerate(groups):
        holds, place = tuple(doc.slug for doc in group), (i == 0, i == len(groups) - 1)
        hit = old.get((holds, place))
        if hit is not None and dict(hit.made).keys() == set(formats) and all(d in last for _, d in hit.made):
            rec.keys.update(hit.reads)
            keys, digests = hit.reads, dict(hit.made)
        else:
            texts, read = rec.reads(lambda group=group: _texts(views, group, formats))
            keys, digests = tuple(sorted(read | {SITE})), {}
            for fmt in formats:
                head, end = frame[fmt]
                data = ((head if place[0] else "") + texts[fmt] + (end if place[1] else "")).encode()
                digests[fmt] = digest = hashlib.blake2b(data, digest_size=16).hexdigest()
                if digest not in last:
                    last[digest] = gzip.compress(data, 6, mtime=0)
        spans = []
        for fmt in formats:
            member = last[digests[fmt]]
            members[fmt].append(member)
            if memo is not None:
                memo[digests[fmt]] = member
            spans.append((offset[fmt], len(member)))
            offset[fmt] += len(member)
        parts.append(Part(holds, place, keys, tuple((fmt, digests[fmt]) for fmt in formats), spans=tuple(spans)))
    return tuple((fmt, OutputFile(ALIGNED[fmt], b"".join(members[fmt]))) for fmt in formats), tuple(parts)


def _groups(speeches: tuple[Speech, ...]) -> list[tuple[Speech, ...]]:
    """The speeches in members: a member ends after a speech whose slug's digest says so (one in
    32), so adding or removing one speech moves no boundary but its own. Never none (the heading)."""
    groups: list[tuple[Speech, ...]] = []
    group: list[Speech] = []
    for doc in speeches:
        group.append(doc)
        if hashlib.blake2b(doc.slug.encode(), digest_size=1).digest()[0] % MEMBER == 0:
            groups.append(tuple(group))
            group = []
    return [*groups, tuple(group)]


def _texts(views: dict[str, View], group: tuple[Speech, ...], formats: tuple[str, ...]) -> dict[str, str]:
    """A member's text in each format, without the file's head and end."""
    found = [(doc, aligned_pairs(views, doc)) for doc in group]  # once for both formats
    return {fmt: "".join(MAKERS[fmt](views, found)[1:-1]) for fmt in formats}


def members(files: dict[str, bytes], parts: tuple[Part, ...]) -> dict[str, bytes]:
    """The gzip members of `parts` in the downloads the build that made those parts wrote (`files`,
    by path, each checked by the caller to be as that build left it), by the digest of their text:
    the memo of a build that did not make them (a CLI build reads them back from the last output).
    Each is cut out where that build recorded it (`Part.spans`) instead of being found by
    decompressing the whole file (at 1,000 speeches about 0.6 s of CPU in a rebuild after one save); a cut
    that falls outside the file or does not start a member as this module writes one is not taken."""
    out = {}
    for part in parts:
        for (fmt, digest), (start, length) in zip(part.made, part.spans, strict=False):
            member = files.get(ALIGNED.get(fmt, ""), b"")[start:start + length]
            if len(member) == length and member.startswith(GZIP_HEAD):
                out[digest] = member
    return out


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
    for row in exports.pairs(views, doc):
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


MAKERS = {"tsv": aligned_tsv, "tmx": aligned_tmx}  # each format's parts: head, one per speech, end
