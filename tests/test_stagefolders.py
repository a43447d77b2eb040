"""The staged site's folders made ahead (stagefolders.py): all of them, by a process of its own, and
none left behind that a clean build would not make."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from edition import stagefolders
from edition.stagefolders import ahead, prune, stop

from .conftest import run


def entries(folder: Path) -> dict[str, str]:
    """Every file and folder below `folder` (a folder without files too), the search bundle aside."""
    return {p.relative_to(folder).as_posix(): "dir" if p.is_dir() else "file"
            for p in folder.rglob("*") if p.relative_to(folder).parts[0] != "pagefind"}


def test_the_folders_of_a_listing_are_made_but_the_search_bundle(tmp_path: Path) -> None:
    tree = {"en/": 0, "en/speeches/": 0, "en/speeches/a/": 0, "en/speeches/a/index.html": 0, "en/speeches/a-b/": 0,
            "zh/": 0, "pagefind/": 0, "pagefind/en/": 0, "pagefind/en/fragment/": 0, "index.html": 0}
    made = ahead(tmp_path, tree, "pagefind")
    assert made is not None
    made.proc.wait()
    assert made.folders == {"en", "en/speeches", "en/speeches/a", "en/speeches/a-b", "zh"}
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == sorted(made.folders)
    assert ahead(tmp_path, {"index.html": 0, "pagefind/": 0}, "pagefind") is None  # nothing to make


def test_the_folders_no_file_went_into_are_removed_deepest_first(tmp_path: Path) -> None:
    tree = {"en/": 0, "en/speeches/": 0, "en/speeches/kept/": 0, "en/speeches/gone/": 0, "en/speeches/gone/x/": 0,
            "zh/": 0, "zh/speeches/": 0, "zh/speeches/gone/": 0, "old/": 0}
    made = ahead(tmp_path, tree, "pagefind")
    made.proc.wait()  # type: ignore[union-attr]
    (tmp_path / "en/speeches/kept/index.html").write_text("kept")
    (tmp_path / "old/unlisted.txt").write_text("a file `files` does not name: its folder stays")
    prune(tmp_path, made, ["en/speeches/kept/index.html", "index.html"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "en", "en/speeches", "en/speeches/kept", "en/speeches/kept/index.html", "old", "old/unlisted.txt"]


def test_a_process_that_cannot_start_makes_nothing_and_is_not_waited_for(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    assert ahead(tmp_path, {"en/": 0}, "pagefind") is None
    prune(tmp_path, None, [])
    stop(None)
    assert list(tmp_path.iterdir()) == []


def test_a_removed_speech_leaves_no_folder_and_the_site_is_a_clean_builds(golden_copy: Path, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[stagefolders.Ahead] = []

    def recorded(*args: object) -> stagefolders.Ahead | None:
        made = ahead(*args)  # type: ignore[arg-type]
        started.append(made)  # type: ignore[arg-type]
        return made
    monkeypatch.setattr("edition.pipeline.ahead", recorded)
    slug = "2020-05-04-extra"  # a speech no other one names
    speech = golden_copy / f"content/speeches/{slug}.md"
    shutil.copyfile(golden_copy / "content/speeches/2020-05-03-closing.md", speech)
    code, log = run("build", "--root", str(golden_copy), "-q")
    assert code == 0, log
    assert started == []  # a first build has no listing to make folders from
    speech.unlink()
    code, log = run("build", "--root", str(golden_copy), "-q")
    assert code == 0, log
    assert started and started[0] is not None and started[0].proc.returncode == 0
    assert f"en/speeches/{slug}" in started[0].folders  # made ahead, then removed
    out = golden_copy / "_site"
    assert not (out / "en/speeches" / slug).exists() and not (out / "zh/speeches" / slug).exists()
    shutil.copytree(golden_copy, tmp_path / "again",  # the sources (the old output is being removed)
                    ignore=shutil.ignore_patterns("_site", "._site*", ".edition-cache"))
    assert run("build", "--root", str(tmp_path / "again"), "--no-cache", "-q")[0] == 0
    assert entries(out) == entries(tmp_path / "again/_site")


def test_a_folder_of_assets_replaced_by_a_file_of_its_name_is_copied(golden_copy: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder the last output had is not made ahead where the new site has a file (the process
    waited for here, as it is ahead of the writer on a large site)."""
    def finished(*args: object) -> stagefolders.Ahead | None:
        made = ahead(*args)  # type: ignore[arg-type]
        if made is not None:
            made.proc.wait()
        return made
    monkeypatch.setattr("edition.pipeline.ahead", finished)
    (golden_copy / "content/assets/img").mkdir(parents=True)
    (golden_copy / "content/assets/img/a.txt").write_text("a")
    code, log = run("build", "--root", str(golden_copy), "-q")
    assert code == 0, log
    shutil.rmtree(golden_copy / "content/assets/img")
    (golden_copy / "content/assets/img").write_text("now a file")
    code, log = run("build", "--root", str(golden_copy), "-q")
    assert code == 0, log
    assert (golden_copy / "_site/assets/img").read_text() == "now a file"
