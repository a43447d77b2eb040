"""Incremental equals full, as a property: random sequences of an editor's edits on the golden
site; after every step the preview's folder (rebuilt from its last good build, files replaced in
place) and the cached CLI build (a new process's view: only the cache folder) equal a clean full
build, file for file, with the same diagnostics (the search bundle aside)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edition.pipeline import Options, Result, build

from .conftest import THEME, tree_digest

GOLDEN = Path(__file__).parent / "golden" / "site"
SPEECHES = "content/speeches"


# ---------------------------------------------------------------- the edits (each keeps the site valid)

def speeches(root: Path) -> list[Path]:
    return sorted((root / SPEECHES).glob("*.md"))


def docs(root: Path) -> list[Path]:
    return [*speeches(root), *sorted((root / "content/pages").glob("*.md"))]


def pick(items: list[Path], n: int) -> Path | None:
    return items[n % len(items)] if items else None


def text_lines(p: Path) -> list[int]:
    """The numbers of the lines of running text in a document's body (not fences, notes, headings)."""
    lines = p.read_text(encoding="utf-8").split("\n")
    body = lines.index("---", 1) + 1
    return [i for i in range(body, len(lines)) if lines[i].strip() and not lines[i].startswith((":::", "[^", "#"))]


def edit_line(p: Path, n: int, change: Callable[[str], str]) -> None:
    lines = p.read_text(encoding="utf-8").split("\n")
    where = text_lines(p)
    if where:
        i = where[n % len(where)]
        lines[i] = change(lines[i])
        p.write_text("\n".join(lines), encoding="utf-8")


def set_field(p: Path, name: str, value: str | None) -> None:
    """Set (or with None remove) a front-matter field written on one line."""
    text = p.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    lines = [line for line in head.split("\n") if not line.startswith(name + ":")]
    if value is not None:
        lines.append(f"{name}: {value}")
    p.write_text("\n".join(lines) + sep + body, encoding="utf-8")


def paragraph(root: Path, n: int) -> None:
    if p := pick(docs(root), n):
        edit_line(p, n // 7, lambda line: line + f" Edit {n}.")


def footnote(root: Path, n: int) -> None:
    p = pick(speeches(root), n)
    if p is None or f"[^e{n}]" in p.read_text(encoding="utf-8"):
        return
    text = p.read_text(encoding="utf-8")
    m = re.search(r"::: (\w+)\n\n?([^\n]+)\n", text)
    if m:  # a reference in the section's first paragraph, its note at the section's end
        start = m.end(2)
        end = text.index("\n:::", start)
        text = text[:start] + f"[^e{n}]" + text[start:end] + f"\n\n[^e{n}]: Note {n}." + text[end:]
        p.write_text(text, encoding="utf-8")


def crosslink_add(root: Path, n: int) -> None:
    p, target = pick(docs(root), n), pick(docs(root), n // 3 + 1)
    if p and target and target != p:
        edit_line(p, n // 5, lambda line: line + f" [[{target.stem}]]")


def crosslink_remove(root: Path, n: int) -> None:
    for p in docs(root)[n % 3:]:
        text = p.read_text(encoding="utf-8")
        if "[[" in text:
            p.write_text(re.sub(r"\[\[[^\]]*\]\]", "", text, count=1), encoding="utf-8")
            return


def tags(root: Path, n: int) -> None:
    if p := pick(speeches(root), n):
        set_field(p, "tags", ["[governance]", "[trade, governance]", "[trade]", None][n % 4])


def summary(root: Path, n: int) -> None:
    if p := pick(speeches(root), n):
        set_field(p, "summary", [f'{{en: "Summary {n}.", zh: "摘要{n}。"}}', None][n % 2])


def person_renamed(root: Path, n: int) -> None:
    p = root / "content/people.yml"
    p.write_text(re.sub(r'en: "Li Si[^"]*"', f'en: "Li Si {n}"', p.read_text(encoding="utf-8")), encoding="utf-8")


def event_renamed(root: Path, n: int) -> None:
    p = root / "content/events.yml"
    p.write_text(re.sub(r'en: "Forum 2020[^"]*"', f'en: "Forum 2020 ({n})"', p.read_text(encoding="utf-8")),
                 encoding="utf-8")


def speech_added(root: Path, n: int) -> None:
    day = n % 28 + 1
    (root / SPEECHES / f"2021-03-{day:02d}-added-{n}.md").write_text(
        f"---\ntitle: {{zh: 新讲话{n}, en: New Speech {n}}}\nspeaker: {['li-si', 'zhang-san'][n % 2]}\n"
        f"date: 2021-03-{day:02d}\n" + ("event: forum-2020\n" if n % 3 == 0 else "") + "original: zh\n---\n\n"
        f"::: zh\n第{n}段。\n:::\n\n::: en\nParagraph {n}.\n:::\n", encoding="utf-8")


def _forget(root: Path, slug: str, new: str | None) -> None:
    """What an editor does when a speech goes or is renamed: the links to it follow."""
    for p in docs(root):
        text = p.read_text(encoding="utf-8")
        if new is None:
            changed = re.sub(r"\[\[" + re.escape(slug) + r"(#p\d+)?(\|[^\]]*)?\]\]", "", text)
            changed = re.sub(r"(related: \[[^\]]*?)\b" + re.escape(slug) + r"\b,? ?", r"\1", changed)
        else:
            changed = re.sub(r"\b" + re.escape(slug) + r"\b", new, text)
        if changed != text:
            p.write_text(changed, encoding="utf-8")


def speech_deleted(root: Path, n: int) -> None:
    if (p := pick(speeches(root), n)) and len(speeches(root)) > 1:
        p.unlink()
        _forget(root, p.stem, None)


def speech_renamed(root: Path, n: int) -> None:
    if p := pick(speeches(root), n):
        new = f"{p.stem[:10]}-renamed-{n}"
        p.rename(p.with_name(new + ".md"))
        _forget(root, p.stem, new)


def template(root: Path, n: int) -> None:
    """A site override of the list item: added (showing summaries), then edited."""
    t = root / "templates" / "macros.html"
    if not t.exists():
        t.parent.mkdir(exist_ok=True)
        macros = (THEME / "templates" / "macros.html").read_text(encoding="utf-8")
        t.write_text(macros.replace(
            "    {%- if not s.sections %}",
            '    {%- if s.summary %} · <span class="summary">{{ t_html(v.text(s.summary)) }}</span>{% endif %}\n'
            "    {%- if not s.sections %}", 1), encoding="utf-8")
    else:
        t.write_text(re.sub(r'class="summary[^"]*"', f'class="summary s{n}"', t.read_text(encoding="utf-8")),
                     encoding="utf-8")


def site_yml(root: Path, n: int) -> None:
    p = root / "content/site.yml"
    p.write_text(re.sub(r'en: "Golden Edition[^"]*"', f'en: "Golden Edition {n}"', p.read_text(encoding="utf-8")),
                 encoding="utf-8")


def term_base(root: Path, n: int) -> None:
    """A term base added, changed (its agreed form, which makes warnings, or its note) or removed."""
    p = root / "content/terms.yml"
    if n % 4 == 3:
        p.unlink(missing_ok=True)
        return
    en = ["governance", "global governance", "governance"][n % 4]
    p.write_text(f"governance:\n  zh: 治理\n  en: {en}\n  avoid: [government]\n"
                 f'  note: {{en: "Note {n}.", zh: "注{n}。"}}\n', encoding="utf-8")


def term_ignored(root: Path, n: int) -> None:
    """A speech silences the term, with a reason, or stops doing so (without a term base: an error)."""
    if p := pick(speeches(root), n):
        set_field(p, "terms", [f'{{ignore: [governance], reason: "Reason {n}."}}', None][n % 2])


EDITS = [paragraph, footnote, crosslink_add, crosslink_remove, tags, summary, person_renamed, event_renamed,
         speech_added, speech_deleted, speech_renamed, template, site_yml, term_base, term_ignored]


# ---------------------------------------------------------------- the property

def site_files(folder: Path) -> dict[str, str]:
    return {k: v for k, v in tree_digest(folder).items() if not k.startswith("pagefind/")} if folder.is_dir() else {}


class Editor:
    """One site, its preview session and its CLI runs, compared with a clean build after each step."""

    def __init__(self, work: Path) -> None:
        shutil.rmtree(work, ignore_errors=True)
        self.work, self.root = work, work / "site"
        shutil.copytree(GOLDEN, self.root)
        self.steps = 0
        self.preview: Result | None = None  # the preview's last good build
        self.check()

    def opts(self, out: str, **kw: object) -> Options:
        return Options(root=self.root, out=self.work / out, theme=THEME, search="later", **kw)  # type: ignore[arg-type]

    def check(self) -> None:
        self.steps += 1
        full_out = f"full-{self.steps}"
        full = build(self.opts(full_out))
        preview = build(self.opts("preview", cache=True), previous=self.preview)
        cli = build(self.opts("cli", cache=True))
        assert preview.diagnostics == full.diagnostics and cli.diagnostics == full.diagnostics
        if full.failed(False):
            assert preview.failed(False) and cli.failed(False)
            return
        self.preview = preview
        expected = site_files(self.work / full_out)
        shutil.rmtree(self.work / full_out)
        assert site_files(self.work / "preview") == expected
        assert site_files(self.work / "cli") == expected

    def broken_then_fixed(self, n: int) -> None:
        p = pick(speeches(self.root), n)
        if p is None:
            return
        good = p.read_text(encoding="utf-8")
        p.write_text(good.replace("speaker:", "speeker:", 1), encoding="utf-8")
        self.check()  # every way of building fails alike, and the outputs stay as they were
        p.write_text(good, encoding="utf-8")
        self.check()


@settings(max_examples=20, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(0, len(EDITS)), st.integers(0, 1000)), min_size=1, max_size=5))
def test_incremental_equals_full(tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[int, int]]) -> None:
    editor = Editor(tmp_path_factory.getbasetemp() / "incremental")
    for which, n in steps:
        if which == len(EDITS):
            editor.broken_then_fixed(n)
        else:
            EDITS[which](editor.root, n)
            editor.check()


def test_term_base_edits_equal_full(tmp_path: Path) -> None:
    """The term pages read the concordance, the term base and which speeches silence a term: each
    edit of those, in turn, and the builds still equal a clean one (the property above draws
    these edits too, but rarely one after the other)."""
    editor = Editor(tmp_path / "terms")
    for edit, n in ((term_base, 0), (term_ignored, 0), (paragraph, 0), (term_base, 1), (term_ignored, 3),
                    (term_ignored, 2), (term_base, 2), (term_ignored, 5), (term_base, 3)):
        edit(editor.root, n)
        editor.check()
    assert editor.steps == 10
