"""The alignment check: a merged and a split paragraph planted in a generated speech are found at
exactly their paragraphs; an aligned speech, and a speech with short pairs, give no warning."""

from __future__ import annotations

import random
from pathlib import Path

from bench.make_corpus import en_paragraph, zh_paragraph

from .conftest import base_files, run, speech, write_site


def paragraphs(seed: int, count: int = 12) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    return [zh_paragraph(rng, 180) for _ in range(count)], [en_paragraph(rng, 110) for _ in range(count)]


def check(tmp_path: Path, zh: list[str], en: list[str]) -> list[str]:
    body = "::: zh\n" + "\n\n".join(zh) + "\n:::\n\n::: en\n" + "\n\n".join(en) + "\n:::\n"
    site = write_site(tmp_path / "site", {**base_files(), "content/speeches/first.md": speech(body=body)})
    _, printed = run("check", "--root", str(site))
    return [line for line in printed.splitlines() if "alignment-suspect" in line]


def test_aligned_pairs_give_no_warning(tmp_path: Path) -> None:
    assert check(tmp_path, *paragraphs(1)) == []


def test_a_merged_and_a_split_paragraph_are_found_where_they_are(tmp_path: Path) -> None:
    zh, en = paragraphs(2)
    en[3:5] = [en[3] + " " + en[4]]  # the translation merges ¶4 and ¶5 ...
    half = len(en[8].split()) // 2
    words = en[8].split()
    en[8:9] = [" ".join(words[:half]), " ".join(words[half:])]  # ... and splits a later one in two: ¶9 and ¶10
    assert len(en) == len(zh)
    found = check(tmp_path, zh, en)
    assert [line.split(": warning")[0].rsplit(":", 2)[1] for line in found] == ["43", "53"]  # English ¶4, ¶9
    assert [line.split("]: ")[1].split(" pairs")[0] for line in found] == ["¶4", "¶9"]
    assert "Chinese characters with" in found[0] and "English words" in found[0]
    assert "characters a word" in found[0]


def test_short_pairs_are_not_judged(tmp_path: Path) -> None:
    zh = ["女士们、先生们：", "谢谢！", "大家好！", "欢迎。", "再见。", "谢谢大家！"]
    en = ["Ladies and gentlemen:", "Thank you very much indeed, all of you!", "Hello!", "Welcome.", "Goodbye.",
          "Thanks."]
    assert check(tmp_path, zh, en) == []
