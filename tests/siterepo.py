"""A host's site repository for tests: the generator (build.py, edition/, theme/, pyproject.toml)
with a small edition in content/, committed with the dates a test gives."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .conftest import EVENTS_YML, PEOPLE_YML, ROOT, SITE_YML, speech, write_site

ENV = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
       "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
       "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def git(repo: Path, *args: str, date: str = "") -> str:
    env = {**ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else ENV
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def new_repo(repo: Path, speeches: dict[str, str]) -> Path:
    """The generator and an edition with `speeches` (slug -> file text), not yet committed."""
    repo.mkdir(parents=True)
    for name in ("edition", "theme"):
        shutil.copytree(ROOT / name, repo / name, ignore=IGNORE)
    for name in ("build.py", "pyproject.toml", ".gitignore"):
        shutil.copy2(ROOT / name, repo / name)
    write_site(repo, {"content/site.yml": SITE_YML, "content/people.yml": PEOPLE_YML,
                      "content/events.yml": EVENTS_YML,
                      **{f"content/speeches/{slug}.md": text for slug, text in speeches.items()}})
    git(repo, "init", "-q", "-b", "main")
    return repo


def commit(repo: Path, message: str, date: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "--short", "HEAD").strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


__all__ = ["commit", "edit", "git", "new_repo", "speech"]
