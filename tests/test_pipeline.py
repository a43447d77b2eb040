"""The pipeline, and the incremental rebuild a preview uses: its output equals a full build's."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from edition.model import OutputFile
from edition.pipeline import Options, Result, build

from .conftest import THEME, tree_digest

GOLDEN = Path(__file__).parent / "golden" / "site"
OPENING = "content/speeches/2020-05-01-opening.md"
CLOSING = "content/speeches/2020-05-03-closing.md"


def edit(root: Path, path: str, old: str, new: str) -> None:
    p = root / path
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "text of one speech": lambda r: edit(r, CLOSING, "谢谢大家。", "谢谢各位。"),
    "a title others cite": lambda r: edit(r, CLOSING, "Closing Remarks", "Final Remarks"),
    "a new cross-link (back-links change)": lambda r: edit(r, CLOSING, "谢谢大家。", "谢谢大家，见[[about]]。"),
    "a speaker's speech list": lambda r: edit(r, CLOSING, "date: 2020-05-03", "date: 2020-05-04"),
    "a speech removed": lambda r: (r / "content/speeches/2020-05-02-letter.md").unlink()
    or edit(r, OPENING, "related: [2020-05-02-letter]\n", ""),
    "people.yml": lambda r: edit(r, "content/people.yml", "Minister", "Foreign Minister"),
    "a template": lambda r: (r / "templates").mkdir() or shutil.copy(THEME / "templates" / "page.html",
                                                                    r / "templates" / "page.html")
    or edit(r, "templates/page.html", '<article class="page">', '<article class="page custom">'),
}


@pytest.mark.parametrize("search", ["now", "later"])  # "later": a preview, which updates files in place
@pytest.mark.parametrize("name", list(EDITS))
def test_incremental_rebuild_equals_a_full_build(tmp_path: Path, name: str, search: str) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "inc", theme=THEME, search=search)
    first = build(Options(root=root, out=tmp_path / "inc", theme=THEME))
    assert not first.failed(False)
    EDITS[name](root)
    second = build(opts, previous=first)
    assert not second.failed(False), second.diagnostics
    full = build(Options(root=root, out=tmp_path / "full", theme=THEME))
    def site_files(folder: Path) -> dict[str, str]:  # the search bundle varies (see test_cli)
        return {k: v for k, v in tree_digest(folder).items() if not k.startswith("pagefind/")}

    assert site_files(tmp_path / "inc") == site_files(tmp_path / "full")
    assert full.rendered is not None and second.rendered is not None


MARK = b"<!-- from the previous build -->"


def marked(result: Result) -> Result:
    """The result with a mark on each file it rendered: a later build that reuses a file (rather
    than render it again) writes it with the mark."""
    assert result.rendered is not None
    files = tuple(OutputFile(f.path, MARK + f.data) for f in result.rendered.files)
    return dataclasses.replace(result, rendered=dataclasses.replace(result.rendered, files=files))


def rendered_again(result: Result) -> list[str]:
    """The pages a build rendered rather than took from the previous result."""
    assert result.rendered is not None
    return sorted(f.path for f in result.rendered.files if f.path.endswith(".html") and not f.data.startswith(MARK))


ROOT_PAGES = ["404.html", "index.html"]  # made anew by every build (they are cheap)


def test_an_unchanged_rebuild_reuses_every_document_page(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    assert len(rendered_again(first)) > 30
    second = build(opts, previous=marked(first))
    assert not second.failed(False)
    assert rendered_again(second) == ROOT_PAGES


def test_a_rebuild_renders_again_only_the_pages_an_edit_touches(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    second = build(opts, previous=marked(first))
    assert not second.failed(False)
    assert (tmp_path / "out" / "zh/speeches/2020-05-03-closing/index.html").read_text().count("谢谢各位。") == 1
    # the edited speech; the speech it links to and the event it mentions (their back-links show
    # its title); the speech that suggests it as related reading; the root pages; not the lists
    assert rendered_again(second) == sorted([
        *(f"{k}/{p}/index.html" for k in ("en", "zh") for p in (
            "speeches/2020-05-01-opening", "speeches/2020-05-03-closing", "speeches/2020-05-02-letter",
            "events/forum-2020")), *ROOT_PAGES])


def test_a_failed_build_keeps_the_previous_result_usable(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = marked(build(opts))
    before = tree_digest(tmp_path / "out")
    edit(root, CLOSING, "谢谢大家。", "谢谢[[nowhere]]。")
    failed = build(opts, previous=first)
    assert failed.failed(False) and failed.rendered is None
    assert tree_digest(tmp_path / "out") == before  # the site as it was
    # fixed, the next build (a preview's) starts from the last good result, not from nothing
    edit(root, CLOSING, "谢谢[[nowhere]]。", "谢谢各位。")
    fixed = build(opts, previous=first)
    assert not fixed.failed(False)
    again = rendered_again(fixed)
    assert "en/speeches/2020-05-03-closing/index.html" in again and "en/about/index.html" not in again
    assert "谢谢各位。" in (tmp_path / "out" / "zh/speeches/2020-05-03-closing/index.html").read_text()
