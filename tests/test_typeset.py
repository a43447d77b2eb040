"""typeset.py: which mark of a run of Chinese punctuation is halved, and that tags are untouched."""

from __future__ import annotations

from edition.typeset import punctuation


def test_the_first_mark_of_a_run_is_halved() -> None:
    assert punctuation("<p>他说：“好。”</p>") == '<p>他说<span class="pr">：</span>“好<span class="pr">。</span>”</p>'


def test_two_opening_marks_halve_the_second() -> None:
    assert punctuation("<p>见“《论语》”</p>") == '<p>见“<span class="pr">《</span>论语<span class="pr">》</span>”</p>'


def test_single_marks_and_attributes_are_left_alone() -> None:
    html = '<p title="：“">你好，世界。</p>'
    assert punctuation(html) == html


def test_the_text_is_unchanged_once_tags_are_removed() -> None:
    import re
    source = '<p>甲、乙。“丙”，（丁）；<a href="x">戊！”</a></p>'
    assert re.sub(r"<[^>]+>", "", punctuation(source)) == re.sub(r"<[^>]+>", "", source)
