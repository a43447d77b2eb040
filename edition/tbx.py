"""The term base as files for translation tools: TBX-Basic (ISO 30042) and CSV.

Input: the validated `Edition` (its site languages and terms). Output: the text of
`exports/terms.tbx` and `exports/terms.csv`. In TBX each term is a `termEntry` with one `langSet`
per language; the agreed form is a preferred term, a variant an admitted term, an avoided form a
deprecated term (`administrativeStatus`), each in the language of the script it is written in;
the editors' note goes into each language's `note` as plain text. Ids are prefixed `term-` (an
XML id may not start with a digit).
"""

from __future__ import annotations

import csv
import html
import io
import re
from xml.sax.saxutils import escape, quoteattr

from .model import Edition, Term
from .termmatch import form_key
from .textcheck import spreadsheet_cell

STATUS = {"agreed": "preferredTerm-admn-sts", "variant": "admittedTerm-admn-sts", "avoid": "deprecatedTerm-admn-sts"}


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def _forms(term: Term, key: str) -> list[tuple[str, str]]:
    """(form, status) of one language: the agreed form first, then variants, then avoided forms."""
    out = [(f, "agreed") for k, f in term.forms.items if k == key]
    out += [(f, "variant") for f in term.variants if form_key(term, f) == key]
    out += [(f, "avoid") for f in term.avoid if form_key(term, f) == key]
    return out


def term_base_tbx(ed: Edition) -> str:
    site = ed.site
    title = site.title.pick(site.keys[0], site.keys)[0]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">',
           f'<martif type="TBX-Basic" xml:lang={quoteattr(site.languages[0].lang)}>',
           "<martifHeader>", "<fileDesc>",
           f"<titleStmt><title>{escape(title)}</title></titleStmt>",
           f"<sourceDesc><p>{escape(site.base_url)}</p></sourceDesc>",
           "</fileDesc>",
           '<encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>',
           "</martifHeader>", "<text>", "<body>"]
    for term in ed.terms:
        out.append(f'<termEntry id="term-{term.id}">')
        for lang in site.languages:
            forms = _forms(term, lang.key)
            if not forms:
                continue
            out.append(f"<langSet xml:lang={quoteattr(lang.lang)}>")
            note = term.note.get(lang.key) if term.note else None
            if note:
                out.append(f"<note>{escape(_plain(note))}</note>")
            for form, status in forms:
                out.append(f'<tig><term>{escape(form)}</term>'
                           f'<termNote type="administrativeStatus">{STATUS[status]}</termNote></tig>')
            out.append("</langSet>")
        out.append("</termEntry>")
    out += ["</body>", "</text>", "</martif>", ""]
    return "\n".join(out)


def term_base_csv(ed: Edition) -> str:
    """One row per term: id, the term in each language, variants, avoided forms (each separated
    by ` | `), the note in each language. UTF-8 with a byte-order mark, so spreadsheets read it."""
    keys = ed.site.keys
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["id", *keys, "variants", "avoid", *(f"note_{k}" for k in keys)])
    for t in ed.terms:  # each text guarded against formula injection, as the aligned TSV's
        w.writerow([spreadsheet_cell(c) for c in (
            t.id, *(t.forms.get(k) or "" for k in keys), " | ".join(t.variants), " | ".join(t.avoid),
            *(_plain(t.note.get(k) or "") if t.note else "" for k in keys))])
    return "\ufeff" + buf.getvalue()
