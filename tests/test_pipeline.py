"""The pipeline, and the incremental rebuild a preview uses: its output equals a full build's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edition.pipeline import Options, build

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


def test_an_unchanged_rebuild_reuses_every_document_page(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    edit(root, CLOSING, "谢谢大家。", "谢谢各位。")
    second = build(opts, previous=first)
    assert first.rendered and second.rendered
    before = {f.path: f.data for f in first.rendered.files}
    rerendered = sorted(f.path for f in second.rendered.files
                        if f.path.endswith(".html") and f.data is not before.get(f.path))
    # the edited speech; the speech it links to and the event it mentions (their back-links show
    # its title); the speech that suggests it as related reading; the root pages; not the lists
    assert rerendered == sorted([*(f"{k}/{p}/index.html" for k in ("en", "zh")
                                   for p in ("speeches/2020-05-01-opening", "speeches/2020-05-03-closing",
                                             "speeches/2020-05-02-letter", "events/forum-2020")),
                                 "404.html", "index.html"])


def test_a_failed_build_keeps_the_previous_result_usable(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(GOLDEN, root)
    opts = Options(root=root, out=tmp_path / "out", theme=THEME)
    first = build(opts)
    before = tree_digest(tmp_path / "out")
    edit(root, CLOSING, "谢谢大家。", "谢谢[[nowhere]]。")
    failed = build(opts, previous=first)
    assert failed.failed(False) and failed.rendered is None
    assert tree_digest(tmp_path / "out") == before
