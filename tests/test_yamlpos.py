import datetime as dt

import pytest

from edition.yamlpos import parse


def test_nodes_know_their_line_and_column_with_offset() -> None:
    node, diags = parse("a: 1\nb:\n  c: [x, y]\n", "f.yml", first_line=10)
    assert diags == []
    (ka, va), (_kb, vb) = node.items()
    assert (ka.value, ka.line, ka.column, va.value) == ("a", 10, 1, 1)
    (kc, vc), = vb.items()
    assert (kc.line, kc.column) == (12, 3)
    assert [(n.value, n.column) for n in vc.value] == [("x", 7), ("y", 10)]


def test_scalars_keep_yaml_types() -> None:
    node, _ = parse("d: 2014-11-19\nq: '2014-11-19'\nb: true\nn: 3\n", "f.yml")
    values = [v.value for _, v in node.items()]
    assert values == [dt.date(2014, 11, 19), "2014-11-19", True, 3]
    assert [v.plain for _, v in node.items()] == [True, False, True, True]


def test_impossible_date_is_kept_as_text() -> None:
    node, _ = parse("d: 2014-02-30\n", "f.yml")
    assert node.items()[0][1].value == "2014-02-30"


def test_duplicate_keys_are_errors() -> None:
    _, diags = parse("a: 1\nb: 2\na: 3\n", "f.yml")
    assert [d.headline() for d in diags] == [
        "f.yml:3:1: error[duplicate-key]: `a` is given twice; the first is at line 1"]


def test_syntax_error_position() -> None:
    node, diags = parse("a: 1\n b: 2\n", "f.yml", first_line=5)
    assert node is None
    assert diags[0].code == "yaml-syntax" and (diags[0].line, diags[0].column) == (6, 3)


def test_line_and_paragraph_separators_are_text_as_in_yaml_1_2() -> None:
    """U+2028 and U+2029 are line breaks to PyYAML (YAML 1.1): a plain value holding one was a
    syntax error, a quoted one moved every later line number by one."""
    text = "a: x\u2028y\nb: \"p\u2029q\"  # c\u2028d\nc: 1\n"
    node, diags = parse(text, "f.yml", first_line=3)
    assert diags == []
    assert [(k.source, v.value, v.source, v.line) for k, v in node.items()] == [
        ("a", "x\u2028y", "x\u2028y", 3), ("b", "p\u2029q", "p\u2029q", 4), ("c", 1, "1", 5)]
    _, diags = parse("a: x\u2028y\nb: [\n", "f.yml")
    assert [(d.code, d.line, d.column) for d in diags] == [("yaml-syntax", 2, 4)]


def test_empty_document() -> None:
    assert parse("", "f.yml") == (None, [])


@pytest.mark.parametrize(("text", "where", "message"), [
    # The parser notices an unclosed bracket or quote on a later line: the error names where it opened.
    ("title: {en: A, zh: B\nspeaker: ma-kai\n", (5, 8),
     "invalid YAML: the `{` opened here is not closed before line 6: expected `,` or `}`, found `speaker: ma-kai`"),
    ("related: [a, b\n", (5, 10),
     "invalid YAML: the `[` opened here is not closed: expected `,` or `]`, found the end of the text"),
    ("title: \"Ma Kai\nx: 1\n", (5, 8),
     "invalid YAML: the quotation mark \" opened here is not closed: found the end of the text"),
    ("a: b: c\n", (5, 5), "invalid YAML: mapping values are not allowed in this context, found `:`"),
    # Two everyday slips, in the editor's words: a text that begins with a sign of YAML's own, and a
    # key typed with a Chinese input method's full-width colon (which the parser notices a line later).
    ("title:\n  en: [Draft] A speech\n", (6, 7),
     "invalid YAML: a text that begins with `[` must be in quotes (YAML reads it as a sign of its own)"),
    ("title:\n  en: @handle\n", (6, 7),
     "invalid YAML: a text that begins with `@` must be in quotes (YAML reads it as a sign of its own)"),
    ("title：\n  zh: 讲话\n", (5, 6), "invalid YAML: the colon after `title` is the full-width `：`; YAML needs `:`"),
])
def test_syntax_errors_name_where_the_construct_began_and_what_was_found(
        text: str, where: tuple[int, int], message: str) -> None:
    _, diags = parse(text, "f.yml", first_line=5)
    assert [((d.line, d.column), d.message) for d in diags] == [(where, message)]
