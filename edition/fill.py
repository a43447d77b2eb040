"""Fill: a rendered fragment's placeholders made into links and paths on one language tree.

Input: a view of the tree (views.View), a document, the key of the section a fragment comes
from, the fragment (HTML, TEI or plain text from the markdown package, with a control-character
placeholder for each cross-link and each file of content/assets/). Output: the fragment with each
cross-link as a link labelled in the tree's language (or its label alone where no link can stand:
an image's alt text, inside a link) and each asset path as the way there from the page. The link
stage resolved every target before: this only looks them up.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from . import i18n
from .markdown import ASSET_RE, LABEL_RE, PLACEHOLDER_RE
from .model import Page, Speech

if TYPE_CHECKING:
    from .views import View


def fill(v: View, doc: Speech | Page, section_key: str, fragment: str, form: str = "html") -> str:
    """Replace the cross-link placeholders of a fragment with links on this tree (`form`:
    "html", "tei" for a TEI ref with the absolute URL, "text" for the label alone), and the
    placeholders of files of content/assets/ with the way there (absolute but in "html")."""
    if "\x1e" in fragment:  # a file of content/assets/: the way there from this page
        root = v.link("") if form == "html" else v.site.base_url
        fragment = ASSET_RE.sub(lambda m: root + m.group(1), fragment)
    if "\x02" not in fragment and "\x04" not in fragment:
        return fragment
    section = doc.section(section_key)
    assert section is not None
    v.rec.note("targets", doc.path)
    block_lang = v.tag_of(section_key)

    def label(i: int) -> tuple[str, str, str, str]:
        """The text of cross-link i, its language, and what stands before and after its link."""
        ref, target = section.refs[i], v.target(doc.path, section_key, i)
        assert target is not None  # asked only of links the link stage resolved
        if ref.label is not None:
            return ref.label, block_lang, "", ""
        t = v.label(target.kind, target.id)
        # A paragraph's label is in its title's language (so is the link's `lang`); a title in
        # running text takes the cell's marks: 《》 in Chinese, around the link, which is the
        # title itself (as a reader's tools expect), wherever the page is.
        if target.para:
            return i18n.ui(t.key)["xref_para"].format(title=t.value, n=target.para), t.lang, "", ""
        if target.kind in ("speech", "page"):
            before, _, after = i18n.ui(section_key)["work_title"].partition("{title}")
            return t.value, t.lang, before, after
        return t.value, t.lang, "", ""

    def marked(m: re.Match[str], before: str, after: str) -> tuple[str, str]:
        """The title marks to add: none where the text already stands between them (《[[slug]]》)."""
        text = m.string
        if before and text[:m.start()].endswith(before) and text.startswith(after, m.end()):
            return "", ""
        return before, after

    def plain(m: re.Match[str]) -> str:  # where no link can stand: an image's alt, a link's text
        i = int(m.group(1))
        if v.target(doc.path, section_key, i) is None:  # reported by the link stage
            text = section.refs[i].raw
        else:
            text, _, before, after = label(i)
            before, after = marked(m, before, after)
            text = before + text + after
        return text if form == "text" else html.escape(text)

    def one(m: re.Match[str]) -> str:
        i = int(m.group(1))
        ref = section.refs[i]
        target = v.target(doc.path, section_key, i)
        if target is None:  # the link stage reported it; a failed build never gets here
            return ref.raw if form == "text" else html.escape(ref.raw)
        href = v.url(target.kind, target.id, target.para)
        text, lang, before, after = label(i)
        before, after = marked(m, before, after)
        if form == "text":
            return before + text + after
        if form == "tei":
            return (f'{before}<ref target="{html.escape(v.absolute(href))}">'
                    f'{html.escape(text, quote=False)}</ref>{after}')
        attr = f' lang="{lang}"' if lang != block_lang else ""
        if ref.label is not None:  # the target named too (a tooltip; printed after the label)
            t = v.label(target.kind, target.id)
            named = v.ui["xref_para"].format(title=t.value, n=target.para) if target.para else t.value
            attr += f' title="{html.escape(named)}"'
        return f'{before}<a class="xref" href="{html.escape(href)}"{attr}>{html.escape(text)}</a>{after}'

    return PLACEHOLDER_RE.sub(one, LABEL_RE.sub(plain, fragment))
