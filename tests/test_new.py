"""`build.py new`, driven non-interactively (stdin is not a terminal in tests)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, run


def new(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "new", "--root", str(site), *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_new_writes_a_file_that_builds_without_warnings(site: Path) -> None:
    proc = new(site, "--title", "en=On Forums: a \"Test\"", "--title", "zh=论论坛", "--speaker", "li-si",
               "--date", "2014-11-20", "--event", "wic-2014", "--original", "zh")
    assert proc.returncode == 0, proc.stderr
    path = site / "content" / "speeches" / "2014-11-20-on-forums-a-test.md"
    assert proc.stderr == "created content/speeches/2014-11-20-on-forums-a-test.md\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle:\n  en: "On Forums: a \\"Test\\""\n  zh: "论论坛"\nspeaker: li-si\n')
    assert "::: zh\n" in text and "::: en\n" in text
    code, printed = run("--root", str(site), "--strict")
    assert code == 0 and printed.splitlines()[-1].startswith("ok: 0 errors, 0 warnings")
    assert (site / "_site" / "zh" / "speeches" / "2014-11-20-on-forums-a-test" / "index.html").is_file()


def test_new_refuses_to_overwrite(site: Path) -> None:
    target = site / "content" / "speeches" / "first.md"
    before = target.read_bytes()
    proc = new(site, "--title", "en=X", "--speaker", "li-si", "--date", "2021-01-02", "--slug", "first")
    assert proc.returncode == 1
    assert "content/speeches/first.md exists already; nothing was written" in proc.stderr
    assert target.read_bytes() == before


def test_new_checks_against_the_site(site: Path) -> None:
    proc = new(site, "--title", "fr=X", "--speaker", "li-so", "--date", "2021-13-01", "--event", "wic",
               "--original", "de")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "new: error: --title fr=…: `fr` is not a language of the site",
        "new: error: speaker `li-so` is not in people.yml (did you mean `li-si`?)",
        "new: error: date `2021-13-01` is not a day of the calendar (check the month and the day)",
        "new: error: event `wic` is not in events.yml (did you mean `wic-2014`?)",
        "new: error: original `de` is not a language of the site (en, zh)"]
    assert sorted(p.name for p in (site / "content" / "speeches").iterdir()) == ["first.md"]


def test_new_without_latin_title_uses_the_speaker_for_the_slug(site: Path) -> None:
    proc = new(site, "--title", "zh=讲话", "--speaker", "ma-kai", "--date", "2020-02-02")
    assert proc.returncode == 0, proc.stderr
    assert (site / "content" / "speeches" / "2020-02-02-ma-kai.md").is_file()


def test_new_needs_answers_when_not_interactive(site: Path) -> None:
    proc = new(site)
    assert proc.returncode == 1
    assert "new: error: a title is needed: --title KEY=TEXT" in proc.stderr


def test_a_wrong_answer_is_asked_again_not_the_whole_dialogue(site: Path) -> None:
    """On a terminal, a speaker who is not in people.yml or a date that is no day of the calendar
    is said at once and asked again: the answers before it are kept."""
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "new", "--root", str(site)],
                            stdin=child, stdout=child, stderr=child, text=True)
    os.close(child)
    answers = ["On Forums", "", "li-so", "li-si", "2021-02-30", "2021-02-03", "", ""]
    os.write(main, "".join(a + "\n" for a in answers).encode())
    out = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert proc.wait(timeout=60) == 0, out.decode()
    said = out.decode().replace("\r", "")
    assert "speaker `li-so` is not in people.yml (did you mean `li-si`?)" in said
    assert "date `2021-02-30` is not a day of the calendar (check the month and the day)" in said
    text = (site / "content" / "speeches" / "2021-02-03-on-forums.md").read_text(encoding="utf-8")
    assert "speaker: li-si\n" in text and "date: 2021-02-03\n" in text
