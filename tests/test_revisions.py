"""Revisions from git: true or absent. Each file's commits equal `git log --follow` for it; a
shallow clone's cut-off files get none, with one warning; a folder that is not its own repository
gets none."""

from __future__ import annotations

from pathlib import Path

from edition.diagnostics import Severity
from edition.revisions import files_at, revisions

from .conftest import write_site
from .siterepo import ENV, commit, edit, git

A, B, C = (f"content/speeches/{s}.md" for s in ("a", "b", "c"))


def follow(repo: Path, path: str) -> list[tuple[str, str, str]]:
    log = git(repo, "log", "--follow", "-n", "10", "--format=%as%x1f%s%x1f%h", "--", path)
    return [tuple(line.split("\x1f")) for line in log.splitlines()]  # type: ignore[misc]


def found(repo: Path, paths: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    revs, diags = revisions(repo, paths)
    assert diags == ()
    return {p: [(r.date.isoformat(), r.message, r.commit) for r in rs] for p, rs in revs}


def tangled(repo: Path) -> Path:
    """Renames, a name reused after its file moved away, a deletion, commits elsewhere, a page."""
    write_site(repo, {A: "a1\n" * 5, B: "b1\n" * 5, "content/pages/about.md": "p\n", "README.md": "r\n"})
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "one", "2020-01-01T00:00:00")
    git(repo, "mv", A, C)  # a -> c
    commit(repo, "two: a becomes c", "2020-02-01T00:00:00")
    write_site(repo, {A: "a new file under the old name\n" * 3, "README.md": "r2\n"})
    commit(repo, "three: a new a", "2020-03-01T00:00:00")
    edit(repo / C, "a1\n", "A1\n")
    commit(repo, "four: edit c", "2020-04-01T00:00:00")
    write_site(repo, {"README.md": "r3\n"})
    commit(repo, "five: the README only", "2020-05-01T00:00:00")
    (repo / B).unlink()
    commit(repo, "six: b removed", "2020-06-01T00:00:00")
    write_site(repo, {B: "b is back\n"})
    commit(repo, "seven: b again", "2020-07-01T00:00:00")
    edit(repo / "content/pages/about.md", "p", "page")
    commit(repo, "eight: the page", "2020-08-01T00:00:00")
    return repo


def test_each_files_revisions_equal_git_log_follow(tmp_path: Path) -> None:
    repo = tangled(tmp_path / "site")
    paths = [A, B, C, "content/pages/about.md"]
    assert found(repo, paths) == {p: follow(repo, p) for p in paths}
    assert [m for _, m, _ in found(repo, paths)[C]] == ["four: edit c", "two: a becomes c", "one"]
    assert not any("README" in m for revs in found(repo, paths).values() for _, m, _ in revs)


def test_at_most_ten_revisions_a_file_newest_first(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    write_site(repo, {A: "0\n"})
    git(repo, "init", "-q")
    for n in range(12):
        (repo / A).write_text(f"{n}\n", encoding="utf-8")
        commit(repo, f"edit {n}", f"2020-01-{n + 1:02d}T00:00:00")
    assert [m for _, m, _ in found(repo, [A])[A]] == [f"edit {n}" for n in range(11, 1, -1)]


def test_a_shallow_clone_keeps_the_revisions_it_holds_whole_and_drops_the_cut_ones(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    write_site(repo, {A: "a\n"})
    git(repo, "init", "-q")
    commit(repo, "a", "2020-01-01T00:00:00")
    edit(repo / A, "a", "a2")
    commit(repo, "a again", "2020-02-01T00:00:00")
    write_site(repo, {B: "b\n"})
    commit(repo, "b is new", "2020-03-01T00:00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", repo.as_uri(), str(clone))
    revs, diags = revisions(clone, [A, B])
    # b was created after the clone's boundary: its history is whole. a's reaches the boundary,
    # which looks as if it had created a: no revisions rather than a false first one.
    assert [(p, [r.message for r in rs]) for p, rs in revs] == [(B, ["b is new"])]
    [d] = diags
    assert (d.severity, d.code) == (Severity.WARNING, "shallow-clone")
    assert "1 of 2 speeches and pages" in d.message and A in d.message and B not in d.message
    assert "git fetch --unshallow" in d.hint and "fetch-depth: 0" in d.hint
    git(clone, "fetch", "-q", "--unshallow")
    revs, diags = revisions(clone, [A, B])
    assert diags == () and [len(rs) for _, rs in revs] == [2, 1]


def test_one_warning_for_a_thousand_cut_files(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    names = [f"content/speeches/s{n:04d}.md" for n in range(1000)]
    write_site(repo, dict.fromkeys(names, "x\n"))
    git(repo, "init", "-q")
    commit(repo, "all", "2020-01-01T00:00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), str(clone))
    revs, diags = revisions(clone, names)
    assert revs == () and len(diags) == 1
    assert "1000 of 1000" in diags[0].message and "and 995 more" in diags[0].message


def test_no_revisions_without_a_repository_of_the_sites_own(tmp_path: Path) -> None:
    outer = tmp_path / "monorepo"
    write_site(outer / "site", {A: "a\n"})
    git(outer, "init", "-q")
    commit(outer, "a", "2020-01-01T00:00:00")
    assert revisions(outer / "site", [A]) == ((), ())  # the outer repository's log does not describe it
    assert revisions(tmp_path / "nowhere", [A]) == ((), ())
    assert files_at(outer / "site", "HEAD") is None


def test_files_at_a_revision(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    write_site(repo, {A: "\ufeffa\r\nb\r\n", "content/site.yml": "x: 1\n", "content/assets/x.md": "no\n",
                      "content/speeches/sub/y.md": "no\n", "README.md": "no\n"})
    git(repo, "init", "-q")
    first = commit(repo, "one", "2020-01-01T00:00:00")
    (repo / A).unlink()
    commit(repo, "two", "2020-02-01T00:00:00")
    assert files_at(repo, "HEAD~1") == (first, {A: "a\nb\n", "content/site.yml": "x: 1\n"})
    assert files_at(repo, "HEAD")[1] == {"content/site.yml": "x: 1\n"}  # type: ignore[index]
    assert files_at(repo, "no-such-branch") is None and files_at(repo, "--output=x") is None
    assert ENV["GIT_AUTHOR_NAME"]  # the commits above are the test's own, whatever git's global config
