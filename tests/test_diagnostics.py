from edition.diagnostics import (
    Severity,
    did_you_mean,
    error,
    format_diagnostic,
    is_fatal,
    sort_key,
    summary_line,
    warning,
)


def test_headline_with_and_without_position() -> None:
    assert error("a.md", 3, 7, "x", "bad").headline() == "a.md:3:7: error[x]: bad"
    assert error("a.md", 3, 0, "x", "bad").headline() == "a.md:3: error[x]: bad"
    assert warning("a.md", 0, 0, "y", "meh").headline() == "a.md: warning[y]: meh"


def test_format_shows_line_caret_and_hint() -> None:
    d = error("a.md", 2, 5, "code", "message", "a hint")
    text = format_diagnostic(d, {"a.md": "first\nabc defg\nthird"})
    assert text == "a.md:2:5: error[code]: message\n   2 | abc defg\n           ^\n  = hint: a hint"


def test_caret_counts_wide_characters_twice() -> None:
    d = error("a.md", 1, 3, "c", "m")
    assert format_diagnostic(d, {"a.md": "中文[[x]]"}).splitlines()[2] == " " * (7 + 4) + "^"


def test_format_without_source_is_the_headline() -> None:
    assert format_diagnostic(error("gone.md", 1, 1, "c", "m"), {}) == "gone.md:1:1: error[c]: m"


def test_strict_turns_warnings_fatal_and_counts_them_as_errors() -> None:
    w = warning("a.md", 1, 1, "w", "m")
    assert not is_fatal(w, strict=False) and is_fatal(w, strict=True)
    assert format_diagnostic(w, {}, strict=True).startswith("a.md:1:1: error[w]")
    assert summary_line([w]) == "0 errors, 1 warning"
    assert summary_line([w, w], strict=True) == "2 errors, 0 warnings"
    assert w.severity is Severity.WARNING


def test_sorted_by_file_then_position() -> None:
    ds = [error("b.md", 1, 1, "c", "m"), error("a.md", 9, 1, "c", "m"), error("a.md", 2, 4, "c", "m")]
    assert [(d.path, d.line) for d in sorted(ds, key=sort_key)] == [("a.md", 2), ("a.md", 9), ("b.md", 1)]


def test_did_you_mean() -> None:
    assert did_you_mean("speeker", ["speaker", "date"]) == "did you mean `speaker`?"
    assert did_you_mean("zzz", ["speaker"]) == ""
