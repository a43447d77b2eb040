"""Every page of the demo edition and of the golden site passes the Nu HTML Checker (vnu.jar)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, run

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu(*folders: Path) -> list[str]:
    java = shutil.which("java")
    assert java, "Java is installed by tests/run.sh (Debian's default-jre-headless)"
    assert VNU.is_file(), "vnu-jar is installed by tests/run.sh (npm ci, package-lock.json)"
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", "--also-check-css",
                           "--skip-non-html", *map(str, folders)], capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr or proc.stdout)["messages"]
    return [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages
            if m.get("type") in ("error", "non-document-error")]


def test_the_setup_named_when_a_checker_is_missing_installs_it() -> None:
    setup = (ROOT / "tests" / "run.sh").read_text()
    assert "default-jre-headless" in setup and "npm ci" in setup
    assert "vnu-jar" in (ROOT / "package.json").read_text()


@pytest.mark.parametrize("name", ["demo", "golden", "hostile"])
def test_pages_pass_the_nu_html_checker(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    if name == "hostile":  # quotes, <, </script>, braces and % in titles, names and places
        out = tmp_path / "site"
        assert run("--root", str(ROOT / "tests" / "hostile_site"), "--out", str(out))[0] == 0
    else:
        _, out = request.getfixturevalue(f"{name}_served")
    assert len(list(out.rglob("*.html"))) >= 15
    assert vnu(out) == []


def test_the_checker_finds_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=en><title>x</title><p id=a><p id=a>")
    assert len(vnu(tmp_path)) == 1
