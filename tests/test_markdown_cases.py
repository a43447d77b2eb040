"""Spec-style Markdown cases: tests/cases/*.md hold `example` blocks of input · expected output.

Each input is the body of a speech `case` in a small site that also has a speech `target`
(12 aligned paragraphs), a page `about`, a person `ma-kai` and an event `wic-2014`. The output
lists what the English page shows: each aligned cell, the notes, the editorial marks, and the
diagnostics of the run. Directives on the first lines of an input: `%allow_html` (site.yml says
`allow_html: true`), `%crlf` (the file has CRLF line endings), `%bom` (it starts with a BOM).

Run with EDITION_UPDATE_CASES=1 to rewrite the expected outputs: every case then fails, saying
whether its output changed, so that the new expectations are read in `git diff tests/cases` before
they are trusted.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from edition.diagnostics import sort_key
from edition.link import link
from edition.load import decode
from edition.model import SourceFile, Sources
from edition.validate import validate
from edition.views import View

from .conftest import EVENTS_YML, PEOPLE_YML, SITE_YML, speech

CASES = Path(__file__).parent / "cases"
FENCE = "`" * 32
EXAMPLE_RE = re.compile(rf"^#+ (?P<name>.+?)\n(?:(?!{FENCE}).*\n)*?{FENCE} example\n(?P<input>(?:.*\n)*?)\.\n"
                        rf"(?P<output>(?:.*\n)*?){FENCE}\n", re.M)

TARGET = speech("Target", "::: zh\n" + "\n\n".join(f"目标第{i}段。" for i in range(1, 13)) + "\n:::\n\n::: en\n"
                + "\n\n".join(f"Target paragraph {i}." for i in range(1, 13)) + "\n:::\n")
ABOUT = "---\ntitle: {en: About, zh: 关于}\n---\n\n::: en\nAbout us.\n:::\n\n::: zh\n关于我们。\n:::\n"


def load_cases() -> list[tuple[str, str, str, str]]:
    out = []
    for f in sorted(CASES.glob("*.md")):
        for m in EXAMPLE_RE.finditer(f.read_text(encoding="utf-8")):
            out.append((f.name, m.group("name").strip(), m.group("input"), m.group("output")))
    return out


def run_case(body: str) -> str:
    directives = []
    while body.startswith("%"):
        line, _, body = body.partition("\n")
        directives.append(line[1:].strip())
    site_yml = SITE_YML + ("allow_html: true\n" if "allow_html" in directives else "")
    text = speech("Case", body)
    data = text.replace("\n", "\r\n") if "crlf" in directives else text
    raw = ("\ufeff" if "bom" in directives else "") + data
    decoded, problem = decode(raw.encode("utf-8"), "content/speeches/case.md")
    assert problem is None and decoded is not None
    files = (SourceFile("content/site.yml", site_yml), SourceFile("content/people.yml", PEOPLE_YML),
             SourceFile("content/events.yml", EVENTS_YML), SourceFile("content/speeches/case.md", decoded),
             SourceFile("content/speeches/target.md", TARGET), SourceFile("content/pages/about.md", ABOUT))
    edition = validate(Sources("/nowhere", files, (), (), "/nowhere"))
    linked = link(edition)
    lines = []
    doc = next((s for s in edition.speeches if s.slug == "case"), None)
    if doc is not None:
        v = View.of(linked, "en").at("en/speeches/case/")  # links as the page shows them: relative
        for row in v.rows(doc):
            for cell in row.cells:
                html = (cell.html or "").strip()
                lines.append(f"¶{row.n} {cell.key}: {html}" if html else f"¶{row.n} {cell.key}: (none)")
        for key, notes in v.notes(doc):
            for n in notes:
                lines.append(f"note {key} {n.number} (¶{n.block}): {n.html.strip()}")
        for key, m in v.marks(doc):
            src = f" (source: {m.source})" if m.kind == "corr" else ""
            lines.append(f"mark {key} {m.id} {m.kind} ¶{m.block}: {m.text}{src}")
    else:
        lines.append("(no speech)")
    diags = sorted((*edition.diagnostics, *linked.diagnostics), key=sort_key)
    for d in diags:
        if d.path == "content/speeches/case.md":
            lines.append(d.headline() + (f"\n  = hint: {d.hint}" if d.hint else ""))
    return "\n".join(lines) + "\n"


ALL = load_cases()


UPDATE = "EDITION_UPDATE_CASES"


@pytest.mark.parametrize(("file", "name", "source", "expected"), ALL, ids=[f"{c[0]}:{c[1]}" for c in ALL])
def test_case(file: str, name: str, source: str, expected: str) -> None:
    got = run_case(source)
    if os.environ.get(UPDATE):
        rewrite(CASES / file, name, source, got)
        pytest.fail(f"{UPDATE} is set: wrote the expected output of this case "
                    f"({'changed' if got != expected else 'unchanged'}); review `git diff tests/cases`, "
                    f"then run again without {UPDATE}")
    assert got == expected


def test_every_syntax_has_cases() -> None:
    names = {c[0] for c in ALL}
    assert {"sections.md", "alignment.md", "footnotes.md", "crosslinks.md", "marks.md", "escaping.md",
            "encoding.md"} <= names
    assert len(ALL) >= 40


def rewrite(path: Path, name: str, source: str, output: str) -> None:
    """Put `output` as the expected output of the example `name` (with input `source`) of a file."""
    def fill(m: re.Match[str]) -> str:
        if (m.group("name").strip(), m.group("input")) != (name, source):
            return m.group(0)
        return m.group(0)[: m.start("output") - m.start()] + output + FENCE + "\n"

    path.write_text(EXAMPLE_RE.sub(fill, path.read_text(encoding="utf-8")), encoding="utf-8")
