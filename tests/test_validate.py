import datetime as dt
from dataclasses import replace

import pytest

from edition.model import SourceFile, Sources
from edition.validate import ValidationFailed, validate

from .conftest import EVENTS_YML, PEOPLE_YML, SITE_YML, speech


def sources(**files: str) -> Sources:
    base = {"content/site.yml": SITE_YML, "content/people.yml": PEOPLE_YML, "content/events.yml": EVENTS_YML}
    base.update({k.replace("__", "/").replace("_md", ".md"): v for k, v in files.items()})
    return Sources("/x", tuple(SourceFile(k, v) for k, v in base.items()), (), (), "/t")


def test_speeches_newest_first_and_pages_in_order() -> None:
    ed = validate(sources(
        content__speeches__old_md=speech("Old").replace("2014-11-19", "2001-01-01"),
        content__speeches__new_md=speech("New"),
        content__pages__b_md="---\ntitle: B\norder: 2\n---\n",
        content__pages__a_md="---\ntitle: A\norder: 1\n---\n",
        content__pages__z_md="---\ntitle: Z\n---\n"))
    assert [s.slug for s in ed.speeches] == ["new", "old"]
    assert [p.slug for p in ed.pages] == ["a", "b", "z"]


def test_plain_title_is_in_the_original_language_and_place_defaults_to_the_event() -> None:
    text = "---\ntitle: 讲话\nspeaker: [ma-kai, li-si]\ndate: 2014-11-19\nevent: wic-2014\noriginal: zh\n---\n"
    ed = validate(sources(content__speeches__s_md=text))
    s = ed.speeches[0]
    assert s.title.items == (("zh", "讲话"),)
    assert s.speakers == ("ma-kai", "li-si")
    assert s.place is not None and s.place.get("en") == "Wuzhen, Zhejiang"
    assert s.date == dt.date(2014, 11, 19)
    assert s.sections == ()


def test_drafts_are_left_out_unless_asked_for() -> None:
    src = sources(content__speeches__d_md=speech(extra="draft: true\n"))
    assert validate(src).speeches == () and validate(src).drafts == ("d",)
    assert [s.slug for s in validate(src, drafts=True).speeches] == ["d"]


def test_summary_is_inline_markdown() -> None:
    ed = validate(sources(content__speeches__s_md=speech(extra="summary: {en: 'An *opening* <b>'}\n")))
    assert ed.speeches[0].summary.get("en") == "An <em>opening</em> &lt;b&gt;"


def test_base_url_override_and_trailing_slash() -> None:
    assert validate(sources(), base_url="http://127.0.0.1:8000/sub").site.base_url == "http://127.0.0.1:8000/sub/"


def test_broken_site_yml_stops_with_its_diagnostics() -> None:
    src = Sources("/x", (SourceFile("content/site.yml", "title: x\nlanguages: {}\n"),), (), (), "/t")
    with pytest.raises(ValidationFailed) as e:
        validate(src)
    assert [d.code for d in e.value.diagnostics] == ["missing-key", "missing-key"]


def test_a_slip_in_a_languages_name_or_tag_still_checks_the_content() -> None:
    """The language keys are known: the speeches are checked in the same run (all is said at once).
    A misspelled `languages` is its one error, not one per text whose keys cannot be checked."""
    site = SITE_YML.replace('lang: "zh-Hans"', 'lang: "zh_Hans"')
    assert 'lang: "zh_Hans"' in site
    ed = validate(sources(**{"content/site.yml": site, "content/speeches/a.md": speech().replace("ma-kai", "ma-kia")}))
    assert [d.code for d in ed.diagnostics] == ["bad-lang", "unknown-person"]
    site = SITE_YML.replace('name: "中文"', 'name: ""')
    ed = validate(sources(**{"content/site.yml": site, "content/speeches/a.md": speech()}))
    assert [(d.code, d.line) for d in ed.diagnostics] == [("empty-text", 5)]  # not one per `zh:` of the texts
    with pytest.raises(ValidationFailed) as e:
        validate(sources(**{"content/site.yml": SITE_YML.replace("languages:", "language:")}))
    assert [(d.code, d.hint) for d in e.value.diagnostics] == [("unknown-key", "did you mean `languages`?")]


def test_missing_site_yml() -> None:
    with pytest.raises(ValidationFailed) as e:
        validate(Sources("/x", (), (), (), "/t"))
    assert e.value.diagnostics[0].headline() == "content/site.yml: error[missing-file]: there is no content/site.yml"


def test_plain_forms_are_kept_only_for_a_term_base() -> None:
    """Without a term base nothing reads the blocks' `plain` forms once the alignment check has: the
    model drops them (240 MB at 10,000 speeches). A term base added later is part of the cache's
    key, so a document validated without one is parsed again and has them."""
    from pathlib import Path

    from edition.cache import Cache
    from edition.link import link
    from edition.terms import terms

    cache = Cache.open(Path("/x"), Path("theme"), disk=False)
    without = validate(sources(content__speeches__s_md=speech()), parsed=cache)
    assert [s.plain for s in without.speeches[0].sections] == [(), ()]
    term_base = "hello:\n  zh: 你好\n  en: hello\n"
    files = sources(content__speeches__s_md=speech())
    files = replace(files, files=(*files.files, SourceFile("content/terms.yml", term_base)))
    with_terms = validate(files, parsed=cache)
    assert [s.plain for s in with_terms.speeches[0].sections] == [("你好。",), ("Hello.",)]
    assert [(o.term, o.speech, o.status) for o in terms(link(with_terms)).concordance] == [("hello", "s", "ok")]


def test_ids_and_texts_are_read_as_written_not_as_yaml_1_1_types() -> None:
    """The spec's ids are "lowercase ASCII letters, digits and hyphens" and its texts strings:
    unquoted, `2014-11-20`, `007`, `on` and `0x1f` stay those ids, `Yes` and `1.10` those texts
    (YAML 1.1 would read a date, numbers and a boolean)."""
    people = PEOPLE_YML + "007:\n  name: {en: Bond, zh: 邦德}\n"
    events = EVENTS_YML + "2014-11-20:\n  name: {en: The Day After, zh: 次日}\n"
    ed = validate(sources(**{
        "content/people.yml": people, "content/events.yml": events,
        "content/speeches/2014-11-19.md": speech().replace("speaker: ma-kai", "speaker: [ma-kai, 007]")
        .replace("original: zh", "original: zh\nevent: 2014-11-20\ntags: [on, 0x1f, 2014]\nplace: {en: 1.10, zh: 一}"),
        "content/speeches/later.md": speech().replace("  en: A Speech", "  en: Yes").replace(
            "original: zh", "original: zh\nrelated: [2014-11-19]")}))
    assert [d.code for d in ed.diagnostics if d.severity == "error"] == []
    first = next(s for s in ed.speeches if s.slug == "2014-11-19")
    later = next(s for s in ed.speeches if s.slug == "later")
    assert first.speakers == ("ma-kai", "007") and first.event == "2014-11-20"
    assert first.tags == ("on", "0x1f", "2014") and first.place.get("en") == "1.10"  # type: ignore[union-attr]
    assert later.title.get("en") == "Yes" and [r[0] for r in later.related] == ["2014-11-19"]
    assert "007" in {p.id for p in ed.people} and "2014-11-20" in {e.id for e in ed.events}
    from edition.link import link

    assert link(ed).diagnostics == ()  # the related speech named by its date-like slug is found


def test_ids_are_letters_digits_and_hyphens_as_the_spec_says() -> None:
    tagged = speech().replace("original: zh", "original: zh\ntags: [x-, -y]")
    ed = validate(sources(**{"content/speeches/a--b.md": tagged, "content/speeches/Ab.md": speech(),
                             "content/speeches/a_b.md": speech()}))
    assert [s.slug for s in ed.speeches] == ["a--b"] and ed.speeches[0].tags == ("x-", "-y")
    assert [(d.path, d.code) for d in ed.diagnostics] == [("content/speeches/Ab.md", "bad-slug"),
                                                         ("content/speeches/a_b.md", "bad-slug")]


def test_optional_fields_left_empty_are_absent() -> None:
    ed = validate(sources(content__speeches__s_md=speech().replace(
        "original: zh", "original: zh\ndraft:\nsource:\ntranslation:\nevent:\nrelated:\ntags:\nsummary:\nplace:"),
        content__pages__p_md="---\ntitle: P\norder:\ndraft: ~\n---\n"))
    assert ed.diagnostics == ()
    s, p = ed.speeches[0], ed.pages[0]
    assert (s.draft, s.source, s.translation, s.event, s.related, s.tags, s.summary, s.place) == \
        (False, None, None, None, (), (), None, None)
    assert (p.order, p.draft) == (None, False)


def test_private_use_and_grandfathered_language_tags_are_bcp_47() -> None:
    site = SITE_YML.replace('lang: "en"', 'lang: "x-klingon"').replace('lang: "zh-Hans"', 'lang: "i-default"')
    ed = validate(sources(**{"content/site.yml": site}))
    assert ed.diagnostics == () and [lg.lang for lg in ed.site.languages] == ["x-klingon", "i-default"]


def test_a_section_without_text_is_not_part_of_the_edition() -> None:
    """What `new` writes (a comment to fill in) is no text yet: the speech is then a catalogue
    record, and a speech with one empty section has that text missing, as the spec's notices say."""
    empty = "::: zh\n<!-- 在此粘贴 -->\n:::\n\n::: en\n<!-- Paste here -->\n:::\n"
    half = "::: zh\n你好。\n:::\n\n::: en\n<!-- Paste here -->\n:::\n"
    ed = validate(sources(content__speeches__e_md=speech(body=empty), content__speeches__h_md=speech(body=half)))
    by = {s.slug: s for s in ed.speeches}
    assert by["e"].sections == () and [s.key for s in by["h"].sections] == ["zh"]
    assert [(d.path, d.code) for d in ed.diagnostics] == [("content/speeches/h.md", "alignment")]


def test_a_note_label_or_mark_that_cannot_be_read_is_not_also_a_misalignment() -> None:
    """`[^a b]` makes its definition a paragraph of its own, a mark left open across a blank line
    splits nothing it should: the block counts differ because of the error, which is said alone
    (with --strict a follow-on warning was one more error). A real difference is still a warning."""
    two = "::: zh\n一。\n:::\n\n::: en\n{}\n:::\n"
    for en in ("One.[^a b]\n\n[^a b]: A note.", "One {++supplied\n\nstill++}."):
        ed = validate(sources(**{"content/speeches/a.md": speech(body=two.replace("{}", en))}))
        assert [d.code for d in ed.diagnostics if d.code == "alignment"] == [], en
    ed = validate(sources(**{"content/speeches/a.md": speech(body=two.replace("{}", "One.\n\nTwo."))}))
    assert [d.code for d in ed.diagnostics] == ["alignment"]
