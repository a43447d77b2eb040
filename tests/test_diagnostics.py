from edition.diagnostics import (
    Severity,
    did_you_mean,
    did_you_mean_language,
    error,
    format_diagnostic,
    is_fatal,
    sort_key,
    source_excerpt,
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


def test_a_long_line_is_cut_to_a_window_around_the_caret() -> None:
    line = "a" * 300 + "[^x]" + "b" * 300
    shown, caret = source_excerpt(line, 301)
    assert shown == "..." + "a" * 31 + "[^x]" + "b" * 59 + "..."
    assert caret == 34 and shown[caret:caret + 4] == "[^x]"
    assert source_excerpt("short [^x]", 7) == ("short [^x]", 6)


def test_the_window_keeps_the_caret_under_wide_characters() -> None:
    line = "中" * 300 + "[^x]" + "文" * 100
    text = format_diagnostic(error("a.md", 1, 301, "c", "m"), {"a.md": line})
    _, shown, caret = text.splitlines()
    assert len(shown) < 80 and shown.startswith("   1 | ...中") and shown.endswith("文...")
    # Display cells before the caret: the gutter, "...", then two per Chinese character.
    cells = sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in shown[:shown.index("[^x]")])
    assert caret == " " * cells + "^"


def test_a_long_line_without_a_column_shows_its_start() -> None:
    text = format_diagnostic(error("a.md", 1, 0, "c", "m"), {"a.md": "x" * 500})
    assert text.splitlines()[1] == "   1 | " + "x" * 94 + "..."


def test_language_aliases() -> None:
    keys = ("en", "zh")
    assert [did_you_mean_language(w, keys) for w in ("cn", "zh-CN", "chs", "Chinese", "eng", "EN", "zn", "fr")] == [
        "did you mean `zh`?", "did you mean `zh`?", "did you mean `zh`?", "did you mean `zh`?",
        "did you mean `en`?", "did you mean `en`?", "did you mean `zh`?", ""]
