import datetime as dt

from edition.model import Bilingual
from edition.schema import Reader
from edition.yamlpos import parse


def reader() -> Reader:
    return Reader("f.yml", ("en", "zh"))


def node(text: str):
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
    assert [d.message for d in r.diagnostics] == ["unknown field `titel` in a speech",
                                                  "a speech needs a `title` field"]


def test_types_are_explained() -> None:
    r = reader()
    assert r.text(node("[a]"), "title") is None
    assert r.boolean(node("yes please"), "draft") is None
    assert r.integer(node("'3'"), "order") is None
    assert r.date(node("2014-11-19"), "date") == dt.date(2014, 11, 19)
    assert r.date(node("'2014-11-19'"), "date") == dt.date(2014, 11, 19)
    assert [d.message for d in r.diagnostics] == ["title must be text, found a list",
                                                  "draft must be `true` or `false`, found str `yes please`",
                                                  "order must be a whole number, found str `3`"]


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
