"""The term base: terms.yml and `terms: {ignore}` validated, the consistency check on a fixture with
every case (tests/terms_site), term pages and their concordance crawled, and the TBX and CSV
exports read back by translate-toolkit and the csv module."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from translate.storage.tbx import tbxfile

from edition.link import link
from edition.model import Bilingual, Term
from edition.pipeline import Options, read
from edition.termmatch import Matcher
from edition.terms import terms

from .browser import Watched, axe_violations, chromium
from .conftest import ROOT, base_files, free_port, run, serve_site, speech, write_site
from .crawl import crawl, fetch
from .test_html_valid import vnu

SITE = ROOT / "tests" / "terms_site"
CHECKED = "content/speeches/checked.md"


@pytest.fixture(scope="module")
def terms_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    port = free_port()
    out = tmp_path_factory.mktemp("terms") / "site"
    code, printed = run("--root", str(SITE), "--out", str(out), "--base-url", f"http://127.0.0.1:{port}/sub/")
    assert code == 0, printed
    with serve_site(out, "/sub/", port) as base:
        yield base, out, printed


def diagnostics(printed: str) -> list[str]:
    return [line for line in printed.splitlines() if "]: " in line and line.startswith("content/")]


# ------------------------------------------------------------------ the check


def test_check_reports_exactly_the_avoided_the_missing_and_the_untranslated_term(
        terms_served: tuple[str, Path, str]) -> None:
    # ¶1 agreed, ¶2 variant, ¶4 inflected (plural, possessive, capitals), ¶5 a correction to the
    # agreed form, ¶7 a removed avoided form: silent. ¶3 an avoided form, ¶6 none of the forms:
    # warned at the English paragraph. ¶9 the English has the term, the Chinese does not: warned at
    # the Chinese paragraph. other.md ignores the term: silent.
    assert diagnostics(terms_served[2]) == [
        f"{CHECKED}:26:1: warning[term-inconsistent]: cyber sovereignty is rendered \"网络主权\" in the term base; "
        "¶9 does not have it",
        f"{CHECKED}:36:1: warning[term-inconsistent]: 网络主权 is rendered \"cyber sovereignty\" in the term base; "
        "¶3 has \"network sovereignty\"",
        f"{CHECKED}:42:1: warning[term-inconsistent]: 网络主权 is rendered \"cyber sovereignty\" in the term base; "
        "¶6 has neither it nor a variant",
    ]
    assert "ok: 0 errors, 3 warnings" in terms_served[2]


def test_strict_makes_the_warnings_fatal(tmp_path: Path) -> None:
    code, printed = run("check", "--root", str(SITE), "--strict")
    assert code == 1 and "3 errors, 0 warnings" in printed


def check(tmp_path: Path, files: dict[str, str]) -> tuple[int, list[str]]:
    site = write_site(tmp_path / "site", {**base_files(), **files})
    code, printed = run("check", "--root", str(site))
    return code, diagnostics(printed)


def test_unknown_ignored_term_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    code, found = check(tmp_path, {
        "content/terms.yml": "cyber-sovereignty: {zh: 网络主权, en: cyber sovereignty}\n",
        "content/speeches/first.md": speech(extra="terms: {ignore: [cyber-sovereignity]}\n")})
    assert code == 1
    assert found == ["content/speeches/first.md:8:18: error[term-unknown]: `terms.ignore` names "
                     "`cyber-sovereignity`, which is not in terms.yml"]


def test_the_text_checked_is_the_text_as_edited(tmp_path: Path) -> None:
    """README: a correction counts as its corrected reading, supplied text as supplied; removed
    text and comments do not count (¶1-¶3 silent; ¶4 and ¶5 warned: the term stands only in what
    was removed or commented — the comment ending its paragraph used to be checked as text)."""
    zh = "::: zh\n网络主权。\n\n网络主权。\n\n网络主权。\n\n网络主权。\n\n网络主权。\n:::\n\n"
    en = ("::: en\nThe {~~network sovereignty~>cyber sovereignty~~}.\n\nThe {++cyber++} sovereignty.\n\n"
          "The {++cyber sovereignty++}.\n\nThe {--cyber sovereignty--} sovereignty.\n\n"
          "The sovereignty.{>>cyber sovereignty<<}\n:::\n")
    code, found = check(tmp_path, {
        "content/terms.yml": "cyber-sovereignty: {zh: 网络主权, en: cyber sovereignty}\n",
        "content/speeches/first.md": speech(body=zh + en)})
    assert code == 0
    assert found == [
        "content/speeches/first.md:29:1: warning[term-inconsistent]: 网络主权 is rendered \"cyber sovereignty\" "
        "in the term base; ¶4 does not have it",
        "content/speeches/first.md:31:1: warning[term-inconsistent]: 网络主权 is rendered \"cyber sovereignty\" "
        "in the term base; ¶5 does not have it"]


def test_terms_field_is_checked_like_any_other(tmp_path: Path) -> None:
    code, found = check(tmp_path, {
        "content/terms.yml": "cyber-sovereignty: {zh: 网络主权, en: cyber sovereignty}\n",
        "content/speeches/first.md": speech(extra="terms: {ignor: [cyber-sovereignty]}\n"),
        "content/speeches/second.md": speech(extra="terms: [cyber-sovereignty]\n"),
        "content/speeches/third.md": speech(extra="terms: {ignore: [cyber-sovereignty], reason: why}\n")})
    assert code == 1
    assert found == [
        "content/speeches/first.md:8:9: error[unknown-key]: unknown field `ignor` in `terms`",
        "content/speeches/second.md:8:8: error[type]: `terms` must be a mapping of fields, found a list",
    ]


def test_terms_file_errors_name_their_place(tmp_path: Path) -> None:
    code, found = check(tmp_path, {"content/terms.yml": (
        "good: {zh: 优良, en: good}\n"
        "Bad_Id: {en: x}\n"
        "no-forms: {note: {en: hello}}\n"
        "typo: {en: typo, varaints: [x]}\n"
        "french: {fr: mot, en: word}\n"
        "listy: {en: listy, avoid: {a: b}}\n"
        "both: {en: both, variants: [twice], avoid: [Twice]}\n"
        "empty: {en: '', zh: 空}\n"
        "twin: {en: Good}\n"
        "scalar: just text\n")})
    assert code == 1
    assert found == [
        "content/terms.yml:2:1: error[bad-id]: the key `Bad_Id` in terms.yml is not a valid id",
        "content/terms.yml:3:11: error[missing-key]: term `no-forms` gives the term in no language",
        "content/terms.yml:4:18: error[unknown-key]: unknown field `varaints` in term `typo`",
        "content/terms.yml:5:10: error[unknown-key]: unknown field `fr` in term `french`",
        "content/terms.yml:6:27: error[type]: `avoid` of term `listy` must be a list of renderings, found a mapping",
        "content/terms.yml:7:45: error[term-contradiction]: term `both` lists \"Twice\" both as a rendering "
        "and under `avoid`",
        "content/terms.yml:8:13: error[type]: the `en` form of term `empty` is empty",
        "content/terms.yml:9:7: warning[term-duplicate]: the en form \"Good\" of term `twin` is also a form of "
        "term `good` (line 1)",
        "content/terms.yml:10:9: error[type]: term `scalar` must be a mapping, found `just text`",
    ]


def test_did_you_mean_for_a_misspelt_field(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {**base_files(), "content/terms.yml": "typo: {en: typo, varaints: [x]}\n"})
    _, printed = run("check", "--root", str(site))
    assert "hint: did you mean `variants`?" in printed


def test_a_site_without_terms_has_no_term_pages(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", base_files())
    code, printed = run("--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 0, printed
    assert not (tmp_path / "out" / "en" / "terms").exists()
    assert not (tmp_path / "out" / "exports" / "terms.tbx").exists()


# ------------------------------------------------------------------ matching


def test_matcher_forms_inflections_and_scripts() -> None:
    m = Matcher((Term("cs", Bilingual((("en", "cyber sovereignty"), ("zh", "网络主权"))), ("cyberspace sovereignty",),
                      ("network sovereignty",), None),
                 Term("ig", Bilingual((("en", "Internet governance"), ("zh", "互联网治理"))), (), (), None),
                 Term("i", Bilingual((("en", "Internet"), ("zh", "互联网"))), (), (), None)))
    text = ("Cyber\nsovereignties; cyber-sovereignty; cyber sovereignty’s; cyber sovereigntyX; "
            "Internet governance's; the Internet; cybercyber sovereignty; 推进全球互联网治理，互联网。")
    assert [(text[h.start:h.end], h.form) for h in m.find(text)] == [
        ("Cyber\nsovereignties", "cyber sovereignty"), ("cyber-sovereignty", "cyber sovereignty"),
        ("cyber sovereignty’s", "cyber sovereignty"), ("Internet governance's", "Internet governance"),
        ("Internet", "Internet"), ("互联网治理", "互联网治理"), ("互联网", "互联网")]



def test_matcher_one_word_plurals_apostrophes_and_wrapped_chinese() -> None:
    """A one-word form is its own last word (`policies`); an apostrophe is either (`People’s` for
    `People's`); a Chinese form may wrap at a line break of the source (`网络⏎主权`)."""
    m = Matcher((Term("p", Bilingual((("en", "policy"), ("zh", "政策"))), (), (), None),
                 Term("s", Bilingual((("en", "speech"), ("zh", "讲话"))), (), (), None),
                 Term("npc", Bilingual((("en", "National People's Congress"), ("zh", "全国人民代表大会"))), (), (),
                      None),
                 Term("cs", Bilingual((("en", "cyber sovereignty"), ("zh", "网络主权"))), (), (), None)))
    text = "These policies, two speeches; the National People’s Congress; 各国的网络\n  主权，政策。"
    assert [(text[h.start:h.end], h.form) for h in m.find(text)] == [
        ("policies", "policy"), ("speeches", "speech"), ("National People’s Congress", "National People's Congress"),
        ("网络\n  主权", "网络主权"), ("政策", "政策")]
    assert m.find("a policyholder, the policemen, speechless") == []
    assert m.find("cyber\n\nsovereignty; 网络\n\n主权") == []  # a blank line ends a paragraph: no term across it
    # An acronym or a word of fewer than four letters takes no plural: `its` is not `IT`, `news` not `new`.
    short = Matcher(tuple(Term(i, Bilingual((("en", en), ("zh", zh))), (), (), None)
                          for i, en, zh in (("it", "IT", "信息技术"), ("us", "US", "美国"), ("new", "new", "新"))))
    text = "its uses news, the IT's, the US, new"
    assert [text[h.start:h.end] for h in short.find(text)] == ["IT's", "US", "new"]


def test_matcher_reads_a_form_composed_or_decomposed_alike() -> None:
    """`café` with its accent as one character (NFC) or as `e` and a combining accent (NFD) is the
    same text: a term base and a speech that write it differently still agree (was a false
    term-inconsistent warning). The offsets are those of the text as written."""
    for form, text in (("café society", "The cafe\u0301 society, and the café society."),
                       ("cafe\u0301 society", "The café society, and the cafe\u0301 society.")):
        m = Matcher((Term("c", Bilingual((("en", form), ("zh", "咖啡馆"))), (), (), None),))
        assert [(text[h.start:h.end].startswith("caf"), text[h.end:h.end + 1]) for h in m.find(text)] == [
            (True, ","), (True, ".")]


def test_two_paragraphs_of_a_quote_are_not_read_as_one(tmp_path: Path) -> None:
    zh = "::: zh\n> 发展网络\n>\n> 主权问题\n:::\n\n"
    en = "::: en\n> Developing networks\n>\n> Questions of sovereignty\n:::\n"
    code, found = check(tmp_path, {
        "content/terms.yml": "cyber-sovereignty: {zh: 网络主权, en: cyber sovereignty}\n",
        "content/speeches/first.md": speech(body=zh + en)})
    assert (code, found) == (0, [])


# ------------------------------------------------------------------ pages


def test_term_pages_in_both_trees_with_a_concordance_that_links_each_paragraph(
        terms_served: tuple[str, Path, str]) -> None:
    base, out, _ = terms_served
    pages, problems = crawl(base)
    assert problems == []
    for key in ("en", "zh"):
        for term in ("", "cyber-sovereignty/", "internet-governance/", "global-village/"):
            assert f"{base}{key}/terms/{term}" in pages
    html = (out / "en" / "terms" / "cyber-sovereignty" / "index.html").read_text()
    # every paragraph of checked.md that holds a form of the term, and other.md's, linked to #pN
    for n in (1, 2, 3, 4, 5, 6, 9):
        assert f'href="../../speeches/checked/#p{n}"' in html  # relative: the site works at any path
    assert 'href="../../speeches/checked/#p7"' not in html  # the removed form is not the text
    assert 'href="../../speeches/other/#p1"' in html
    assert "Respect <mark>network sovereignty</mark>." in html
    assert "All countries’ <mark>Cyber Sovereignties</mark> must be respected." in html
    assert html.count("inconsistent with the term base") == 3
    assert "the speech treats this term otherwise" in html and "quotes a source in its own rendering" in html
    zh = (out / "zh" / "terms" / "cyber-sovereignty" / "index.html").read_text()
    assert "<h1>网络主权</h1>" in zh and "（应避免的译法）" in zh
    index = (out / "zh" / "terms" / "index.html").read_text()
    assert 'href="global-village/"' in index and 'href="../../exports/terms.tbx"' in index


def test_first_use_in_a_speech_links_to_the_term_page(terms_served: tuple[str, Path, str]) -> None:
    _, out, _ = terms_served
    html = (out / "en" / "speeches" / "checked" / "index.html").read_text()
    assert html.count('<a class="term" href="../../terms/cyber-sovereignty/"') == 2  # once per language
    assert ('<a class="term" href="../../terms/cyber-sovereignty/" title="Term: cyber sovereignty">'
            "cyber sovereignty</a>") in html
    assert '<a class="term" href="../../terms/cyber-sovereignty/" title="术语：网络主权">网络主权</a>' in html
    # a link's own text is left alone: the global village of ¶10 follows a cross-link, outside it
    assert '<a class="term" href="../../terms/global-village/" title="Term: global village">global village</a>' \
        in html


# ------------------------------------------------------------------ exports


def test_tbx_is_read_back_by_translate_toolkit(terms_served: tuple[str, Path, str]) -> None:
    base, _, _ = terms_served
    status, data, _ = fetch(base + "exports/terms.tbx")
    assert status == 200
    store = tbxfile.parsestring(data, sourcelanguage="zh-Hans", targetlanguage="en")
    units = {u.getid(): u for u in store.units}
    assert sorted(units) == ["term-cyber-sovereignty", "term-global-village", "term-internet-governance"]
    cs = units["term-cyber-sovereignty"]
    assert (cs.source, cs.target) == ("网络主权", "cyber sovereignty")
    assert [(t.text, t.administrative_status, t.deprecated) for t in cs.get_target_terms()] == [
        ("cyber sovereignty", "preferredTerm-admn-sts", False),
        ("cyberspace sovereignty", "admittedTerm-admn-sts", False),
        ("network sovereignty", "deprecatedTerm-admn-sts", True),
        ("internet sovereignty", "deprecatedTerm-admn-sts", True)]
    assert [n.text for n in cs.get_common_notes()] == ["The agreed rendering (test)."]
    assert [n.text for n in cs.get_common_notes(source=True)] == ["统一译法（测试）。"]
    assert units["term-global-village"].target == "global village"


def test_csv_is_read_back(terms_served: tuple[str, Path, str]) -> None:
    _, out, _ = terms_served
    rows = list(csv.DictReader(io.StringIO((out / "exports" / "terms.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == {"id": "cyber-sovereignty", "en": "cyber sovereignty", "zh": "网络主权",
                       "variants": "cyberspace sovereignty", "avoid": "network sovereignty | internet sovereignty",
                       "note_en": "The agreed rendering (test).", "note_zh": "统一译法（测试）。"}
    assert [r["id"] for r in rows] == ["cyber-sovereignty", "internet-governance", "global-village"]


def test_demo_term_base_uses_only_terms_of_its_texts() -> None:
    edition, problems, _ = read(Options(ROOT, ROOT / "_site", ROOT / "theme", write=False))
    assert edition is not None and problems == ()
    checked = terms(link(edition))
    assert checked.diagnostics == ()
    used = {occ.term for occ in checked.concordance}
    assert used == {t.id for t in edition.terms} == {"cyber-sovereignty", "internet-governance", "global-village"}


# ------------------------------------------------------------------ validity and accessibility


@pytest.mark.external
def test_term_pages_pass_the_nu_html_checker(terms_served: tuple[str, Path, str]) -> None:
    _, out, _ = terms_served
    pages = [out / key / "terms" for key in ("en", "zh")] + [out / key / "speeches" for key in ("en", "zh")]
    assert len([p for folder in pages for p in folder.rglob("*.html")]) == 14
    assert vnu(*pages) == []


@pytest.mark.browser
@pytest.mark.parametrize("path", ["terms/", "terms/cyber-sovereignty/", "speeches/checked/"])
@pytest.mark.parametrize("key", ["en", "zh"])
def test_term_pages_have_no_axe_violations(terms_served: tuple[str, Path, str], key: str, path: str) -> None:
    base, _, _ = terms_served
    with chromium() as browser:
        page = Watched(browser.new_page())
        page.page.goto(f"{base}{key}/{path}")
        assert axe_violations(page.page) == []
        assert page.errors == []
