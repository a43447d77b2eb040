"""A reviewer's view of a pull request: the workflow's review job, run as GitHub would, builds the
site as published, uploads it, and writes a job summary of the speeches and pages the branch adds,
changes and removes; the same summary from the command line."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from edition.cli import main
from edition.diagnostics import error, warning
from edition.review import changes, summary

from .conftest import THEME, speech
from .siterepo import commit, edit, git, new_repo
from .workflow import run_job

PAGES_URL = "https://user.github.io/repo"
ARTIFACT_URL = "https://github.com/user/repo/actions/runs/1/artifacts/2"
SIZE = re.compile(r"The built site: ([0-9,]+) files, ([0-9.]+ (?:kB|MB|GB)|[0-9]+ bytes), [0-9.]+ % of the 1 GB "
                  r"that GitHub Pages publishes\.")


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main with speeches one, two and three; the branch `pr` adds four, edits two (its English
    gains a paragraph the Chinese lacks: a warning) and deletes three."""
    repo = new_repo(tmp_path_factory.mktemp("review") / "site", {
        "one": speech("One"), "two": speech("Two"), "three": speech("Three")})
    commit(repo, "Three speeches", "2021-01-01T10:00:00")
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / "content/speeches/four.md").write_text(speech("Four"), encoding="utf-8")
    edit(repo / "content/speeches/two.md", "Hello.\n", "Hello.\n\nAnd welcome.\n")
    (repo / "content/speeches/three.md").unlink()
    commit(repo, "Add four, extend two, drop three", "2021-02-01T10:00:00")
    return repo


def expected_summary(base: str, problem: str, size: str) -> str:
    return f"""## The edition in this change

Compared with `origin/main` (`{base}`): speeches 1 added, 1 changed, 1 removed; pages 0 added, 0 changed, 0 removed.

| Change | Speech or page | Source | In the built site | Problems |
| --- | --- | --- | --- | --- |
| added | Speech: Four · 讲话 | `content/speeches/four.md` | `en/speeches/four/` `zh/speeches/four/` | none |
| changed | Speech: Two · 讲话 | `content/speeches/two.md` | `en/speeches/two/` `zh/speeches/two/` | 1 warning |
| removed | Speech: `three` | `content/speeches/three.md` | — | none |

### Problems (0 errors, 1 warning)

- {problem}

### Output

{size}

**The built site:** [download it]({ARTIFACT_URL}) (a zip), unzip it and open `index.html`.
"""


def test_the_review_job_uploads_the_site_and_summarises_the_pull_request(branch: Path, tmp_path: Path) -> None:
    step_summary = tmp_path / "step_summary.md"
    step_summary.touch()  # the runner makes it, empty, for each step
    job = run_job("review", branch, tmp_path / "ws", ref="pr",
                  context={"steps.pages.outputs.base_url": PAGES_URL, "github.base_ref": "main",
                           "steps.artifact.outputs.artifact-url": ARTIFACT_URL},
                  env={"GITHUB_STEP_SUMMARY": str(step_summary), "GITHUB_BASE_REF": "main"})
    names = [r.name for r in job.ran]
    assert names[0].startswith("Build as published") and names[-1].startswith("Check as the publishing build")
    build, *_, check = job.ran
    assert build.code == 0, build.output
    # The artifact is the site the build wrote, under the Pages address, hidden files and all.
    site = job.uploads["actions/upload-artifact"]
    assert site == tmp_path / "ws" / "_site" and (site / ".edition-output").is_file()
    page = (site / "en/speeches/four/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PAGES_URL}/en/speeches/four/">' in page
    assert not (site / "en/speeches/three").exists()
    # The last step annotates the warning on its line and fails the job, as publishing would.
    [diag] = problems(tmp_path / "ws")
    assert check.code == 1 and job.failed
    assert f"::error file=content/speeches/two.md,line={diag['line']},col={diag['column']}" in check.output
    # The job summary, as the reviewer reads it.
    text = step_summary.read_text(encoding="utf-8")
    files = [p for p in site.rglob("*") if not p.is_dir()]
    size = SIZE.search(text)
    assert size, text
    number, unit = size.group(2).split()
    scale = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[unit]
    assert int(size.group(1).replace(",", "")) == len(files)
    assert abs(float(number) * scale - sum(p.lstat().st_size for p in files)) <= 0.05 * scale
    problem = (f"`content/speeches/two.md:{diag['line']}:{diag['column']}` warning[alignment]: "
               f"{diag['message']} (hint: {diag['hint']})")
    base = git(branch, "rev-parse", "--short", "main").strip()
    assert text == expected_summary(base, problem, size.group(0))


def problems(root: Path) -> list[dict[str, object]]:
    """The branch's problems as `check --format json` gives them (their wording belongs to the
    diagnostics, not to this test)."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        main(["check", "--root", str(root), "--format", "json"], theme=THEME)
    return json.loads(out.getvalue())["diagnostics"]


def test_the_summary_from_the_command_line_appends_and_never_replaces(branch: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--branch", "pr", branch.as_uri(), str(clone))
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = main(["check", "--root", str(clone), "--summary", "-", "--base", "origin/main"], theme=THEME)
    printed = out.getvalue()
    assert code == 0 and "speeches 1 added, 1 changed, 1 removed" in printed
    assert printed.endswith("### Output\n\nNot built: nothing was written.\n")
    notes = tmp_path / "notes.md"
    notes.write_text("# My notes\n", encoding="utf-8")
    with redirect_stderr(io.StringIO()):
        assert main(["--root", str(clone), "--out", str(tmp_path / "out"), "--summary", str(notes),
                     "--base", "origin/main"], theme=THEME) == 0
        assert main(["check", "--root", str(clone), "--summary", str(notes), "--base", "HEAD"], theme=THEME) == 0
    text = notes.read_text(encoding="utf-8")
    assert text.startswith("# My notes\n## The edition in this change\n") and text.count("## The edition") == 2
    assert "The built site: " in text and "No speech or page is added, changed or removed." in text
    err = io.StringIO()
    with redirect_stderr(err):
        assert main(["check", "--root", str(clone), "--summary", "-", "--base", "nope"], theme=THEME) == 1
    assert "--base nope: not a commit" in err.getvalue()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        assert main(["check", "--root", str(clone), "--summary", "-", "--format", "json"], theme=THEME) == 1
        assert main(["check", "--root", str(clone), "--summary", str(tmp_path / "no" / "dir.md")], theme=THEME) == 1
    assert "the JSON goes to standard output" in err.getvalue() and "No such file or directory" in err.getvalue()


def test_the_summary_of_a_failing_build_and_of_hostile_titles() -> None:
    base = {"content/site.yml": "a", "content/speeches/gone.md": "x", "content/pages/about.md": "p"}
    current = {"content/site.yml": "b", "content/speeches/new.md": "y", "content/pages/about.md": "p2"}
    docs, data = changes(base, current)
    assert [(c.change, c.kind, c.path) for c in docs] == [
        ("added", "speech", "content/speeches/new.md"), ("changed", "page", "content/pages/about.md"),
        ("removed", "speech", "content/speeches/gone.md")]
    assert data == ("content/site.yml",)
    bad = warning("content/speeches/new.md", 3, 1, "x", "a <script>alert(1)</script> | message\nsecond line")
    text = summary("main`x", "abc1234", base, current, None, [bad], True, None)
    assert "**The build fails** with 1 error: nothing would be published." in text
    assert "Compared with `main'x` (`abc1234`): speeches 1 added, 0 changed, 1 removed; " \
           "pages 0 added, 1 changed, 0 removed." in text
    assert "Data files changed (every page that shows them may change): `content/site.yml`." in text
    assert "| added | Speech: `new` | `content/speeches/new.md` | not published: the build stops at an error | " \
           "1 error |" in text
    assert "- `content/speeches/new.md:3:1` error[x]: a &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| message " \
        "second line" in text
    # Nor Markdown: a title or a key that makes an image or a link stays text; code stays code.
    bad = error("content/speeches/new.md", 3, 1, "unknown-key", "unknown field `x` ![t](https://e.example/t.png) `y`")
    text = summary("main", "abc1234", base, current, None, [bad], True, None)
    assert "error[unknown-key]: unknown field `x` \\!\\[t\\]\\(https://e.example/t.png\\) `y`" in text
    assert "<script>" not in text and text.endswith("### Output\n\nNot built: nothing was written.\n")
