import datetime as dt
import re

import pytest

from edition.model import Bilingual
from edition.schema import Reader
from edition.yamlpos import Node, parse


def reader() -> Reader:
    return Reader("f.yml", ("en", "zh"))


def node(text: str) -> Node:
    n, diags = parse(text, "f.yml")
    assert not diags
    return n


def test_bilingual_plain_string_is_in_the_default_language() -> None:
    r = reader()
    assert r.bilingual(node("plain"), "title", "zh") == Bilingual((("zh", "plain"),))
    assert r.bilingual(node("{zh: 中, en: E}"), "title", "zh") == Bilingual((("en", "E"), ("zh", "中")))
    assert r.diagnostics == []


def test_bilingual_unknown_language_suggests() -> None:
    r = reader()
    r.bilingual(node("{en: E, zn: Z}"), "title", "en")
    assert [(d.code, d.hint) for d in r.diagnostics] == [("unknown-language", "did you mean `zh`?")]


def test_fields_unknown_and_missing() -> None:
    r = reader()
    fields = r.fields(node("titel: x\n"), "a speech", ("title", "date"), ("title",))
    assert fields == {}
    # The misspelt key is the missing field: one error, whose hint names the field.
    assert [(d.message, d.hint) for d in r.diagnostics] == [("unknown field `titel` in a speech",
                                                             "did you mean `title`?")]
    r = reader()
    r.fields(node("colour: x\n"), "a speech", ("title", "date"), ("title",))
    assert [d.message for d in r.diagnostics] == ["unknown field `colour` in a speech",
                                                  "a speech needs a `title` field"]


def test_types_are_explained() -> None:
    r = reader()
    assert r.text(node("[a]"), "title") is None
    assert r.boolean(node("yes please"), "draft") is None
    assert r.integer(node("'3'"), "order") is None
    assert r.date(node("2014-11-19"), "date") == dt.date(2014, 11, 19)
    assert r.date(node("'2014-11-19'"), "date") == dt.date(2014, 11, 19)
    assert [d.message for d in r.diagnostics] == ["title must be text, found a list",
                                                  "draft must be `true` or `false`, found `yes please`",
                                                  "order must be a whole number, found the quoted text `3`"]


# "a list" is the YAML word for a sequence; `list` alone would be Python's.
PYTHON_NAMES = re.compile(r"\b(str|int|float|bool|dict|tuple|NoneType|None|datetime)\b|(?<!a )\blist\b")


@pytest.mark.parametrize("value", ["20.11.2014", "'x'", "3", "3.5", "true", "null", "[a]", "{a: 1}", "2014-11-19",
                                   "2014-11-19 10:00:00", "~", "''"])
def test_no_python_type_name_in_any_message(value: str) -> None:
    """Whatever YAML value stands where another is expected, messages speak YAML, not Python."""
    r = reader()
    n = node(value)
    r.text(n, "title"), r.boolean(n, "draft"), r.integer(n, "order"), r.date(n, "date"), r.url(n, "url")
    r.ident(n, "speaker"), r.bilingual(n, "summary", "en"), r.fields(n, "a speech", ("title",))
    r.entries(n, "people.yml")
    texts = [t for d in r.diagnostics for t in (d.message, d.hint)]
    assert texts and not [t for t in texts if PYTHON_NAMES.search(t.replace("`", " ` "))]


def test_a_date_written_another_way_gets_its_iso_form_when_unambiguous() -> None:
    r = reader()
    for written in ("20.11.2014", "2014/11/20", "11/20/2014", "2014年11月20日", "05/06/2014", "last week"):
        r.date(node(written), "date")
    assert [(d.message, d.hint) for d in r.diagnostics] == [
        ("date must be a date written YYYY-MM-DD, found `20.11.2014`", "write `2014-11-20`"),
        ("date must be a date written YYYY-MM-DD, found `2014/11/20`", "write `2014-11-20`"),
        ("date must be a date written YYYY-MM-DD, found `11/20/2014`", "write `2014-11-20`"),
        ("date must be a date written YYYY-MM-DD, found `2014年11月20日`", "write `2014-11-20`"),
        # Day-month or month-day: no guess.
        ("date must be a date written YYYY-MM-DD, found `05/06/2014`", "write it as e.g. `2014-11-19`"),
        ("date must be a date written YYYY-MM-DD, found `last week`", "write it as e.g. `2014-11-19`")]


def test_ids_single_or_list_and_invalid() -> None:
    r = reader()
    assert [i for i, _ in r.ids(node("ma-kai"), "speaker")] == ["ma-kai"]
    assert [i for i, _ in r.ids(node("[a, B_c, d]"), "speaker")] == ["a", "d"]
    assert r.diagnostics[0].message == "speaker `B_c` is not a valid id"


def test_url_must_be_absolute() -> None:
    r = reader()
    assert r.url(node("https://x.org/a"), "url") == "https://x.org/a"
    assert r.url(node("x.org"), "url") is None
    assert r.diagnostics[0].code == "bad-url"



def test_a_url_scheme_in_capitals_is_the_same_scheme() -> None:
    """RFC 3986 3.1: schemes are case-insensitive; the address is written with the scheme in lower
    case, the rest as given (the spec asks only for an absolute URL)."""
    r = reader()
    assert r.url(node("HTTPS://Example.ORG/Path?q=1#f"), "url") == "https://Example.ORG/Path?q=1#f"
    assert r.url(node("Http://x.org/"), "base_url") == "http://x.org/"
    assert r.url(node("FTP://x.org/"), "url") is None
    assert not r.diagnostics[:-1] and r.diagnostics[-1].code == "bad-url"


def test_a_text_cut_short_by_a_comment_is_warned_of_a_comment_set_apart_is_not() -> None:
    r = reader()
    title = r.bilingual(node("en: Speech #2 of the series\nzh: 讲话   # as printed\n"), "title", "en")
    assert title == Bilingual((("en", "Speech"), ("zh", "讲话")))
    assert [(d.code, d.severity, d.line) for d in r.diagnostics] == [("yaml-comment", "warning", 1)]
    assert r.diagnostics[0].hint == 'put the text in quotes if the `#` belongs to it: "Speech #2 of the series"'
    r = reader()
    r.bilingual(node('en: "Speech #2"\nzh: 讲话 # 注\n'), "title", "en")  # quoted; `# ` then a space: a comment
    assert r.diagnostics == []


def test_ids_separated_by_a_full_width_comma_are_named_so() -> None:
    r = reader()
    r.ids(node("[ma-kai，xi-jinping]"), "speaker")
    assert [d.hint for d in r.diagnostics] == [
        "separate ids with an ASCII comma and a space, `, ` (this is the full-width `，`)"]
