"""What templates see of the term base: the terms index, a term's page and its concordance, and
the marker that links a term's first occurrence in a speech to its page.

Input: the `View` of a language tree (views.py), which makes one `TermBase` for each page as
`v.termbase`. Output: model objects and plain values; no Jinja here.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from . import i18n
from .memo import Part, memo, shared
from .model import Occurrence, Speech, Term, Use
from .termmatch import form_key

if TYPE_CHECKING:
    from .views import Text, View

TAG = re.compile(r"(<[^>]*>)")


class TermBase(Part):
    v: View

    @memo
    def terms(self) -> tuple[Term, ...]:
        """The terms, by their form in this tree's language (those without one after, by id)."""
        def order(t: Term) -> tuple[int, str, str]:
            form = t.forms.get(self.v.key)
            return (form is None, (form or "").casefold(), t.id)
        return tuple(sorted(self.v.edition.terms, key=order))

    def term(self, ident: str) -> Term | None:
        self.v.rec.note("edition", "terms")  # what `self.v.edition.terms` notes: the term base as a whole
        return self._terms_by_id.get(ident)

    @shared
    def _terms_by_id(self) -> dict[str, Term]:
        return {t.id: t for t in self.v._ed.terms}

    def name(self, term: Term) -> Text:
        """The term in this tree's language, else in the first language it has."""
        return self.v.text(term.forms)  # type: ignore[return-value]

    @shared
    def _concordance(self) -> dict[str, tuple[Occurrence, ...]]:
        return self.v.linked.rows_by("term")

    def concordance(self, ident: str) -> tuple[Occurrence, ...]:
        self.v.rec.note("concordance", ident)  # that term's rows, not the whole concordance
        return self._concordance.get(ident, ())

    def uses(self, occ: Occurrence) -> tuple[Use, ...]:
        """An occurrence's cells, the page language's first."""
        return tuple(sorted(occ.uses, key=lambda u: u.key != self.v.key))

    def by_speech(self, occs: tuple[Occurrence, ...]) -> tuple[tuple[Speech, tuple[Occurrence, ...]], ...]:
        """Occurrences grouped by speech, in the order given (speeches by date)."""
        groups: dict[str, list[Occurrence]] = {}
        for occ in occs:
            groups.setdefault(occ.speech, []).append(occ)
        return tuple((self.v.doc("speech", slug), tuple(g)) for slug, g in groups.items())  # type: ignore[misc]

    def form_lang(self, term: Term, form: str) -> str:
        """The language tag of a variant or avoided form: that of the term's form in the same script."""
        key = form_key(term, form)
        return self.v.tag_of(key) if key else self.v.language.lang

    def ignoring(self, ident: str) -> tuple[Speech, ...]:
        """The speeches that silence the term with `terms: {ignore}`. Any speech may start or stop
        doing so: what this reads is which speeches do (one key, not one per speech of the edition)."""
        self.v.rec.note("ignoring", ident)
        return self.v.rec.wrap_all(self._ignoring.get(ident, ()))

    @shared
    def _ignoring(self) -> dict[str, tuple[Speech, ...]]:
        return self.v._ed.silencing()

    def paras(self, n: int) -> str:
        return self.v.ui["one_para"] if n == 1 else self.v.ui["n_paras"].format(n=n)

    @shared
    def _first_uses(self) -> dict[tuple[str, str, int], tuple[tuple[str, str], ...]]:
        """(speech slug, language key, ¶) -> (form as written, term id) of the terms whose first
        occurrence in that speech's text in that language stands in that paragraph."""
        seen: set[tuple[str, str, str]] = set()
        out: dict[tuple[str, str, int], list[tuple[str, str]]] = {}
        for occ in sorted(self.v.linked.concordance, key=lambda o: (o.speech, o.para)):
            for u in occ.uses:
                if u.form and (occ.speech, u.key, occ.term) not in seen:
                    seen.add((occ.speech, u.key, occ.term))
                    out.setdefault((occ.speech, u.key, occ.para), []).append((u.form, occ.term))
        return {k: tuple(v) for k, v in out.items()}

    def mark(self, doc: Speech, key: str, n: int, fragment: str) -> str:
        """The block's HTML with each term that first occurs here (in this speech and language)
        linked to its page, in the first text where it stands whole, outside any link."""
        if doc.kind != "speech":
            return fragment
        self.v.rec.note("occurrences", doc.slug)  # the terms found in this speech (and so the term base)
        found = self._first_uses.get((doc.slug, key, n))
        if not found:
            return fragment
        parts = TAG.split(fragment)  # text at even indices, tags at odd ones
        for form, ident in found:
            needle = html.escape(form, quote=False).replace('"', "&quot;")  # as mistune escapes text
            depth = 0
            for i, part in enumerate(parts):
                if i % 2:
                    depth += 1 if re.match(r"<a[\s>]", part) else -1 if part.startswith("</a") else 0
                    continue
                at = part.find(needle) if depth == 0 else -1
                if at >= 0:
                    # The title is read in the cell's language: say it in that language.
                    term = self.term(ident)
                    name = term.forms.pick(key, self.v.site.keys)[0] if term else ident
                    title = html.escape(i18n.ui(key)["term_of"].format(term=name))
                    parts[i:i + 1] = [part[:at], f'<a class="term" href="{self.v.url("term", ident)}" title="{title}">',
                                      needle, "</a>", part[at + len(needle):]]
                    break
        return "".join(parts)
