"""Shared helpers: small sites written to temporary folders, and the CLI run in-process."""

from __future__ import annotations

import hashlib
import io
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from edition.cli import main

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "theme"

SITE_YML = """title: {en: "Test Edition", zh: "测试文集"}
base_url: "https://example.org/ed/"
languages:
  en: {name: "English", lang: "en"}
  zh: {name: "中文", lang: "zh-Hans"}
"""
PEOPLE_YML = """ma-kai:
  name: {zh: "马凯", en: "Ma Kai"}
  role: {zh: "国务院副总理", en: "Vice Premier of the State Council"}
li-si:
  name: {zh: "李四", en: "Li Si"}
"""
EVENTS_YML = """wic-2014:
  name: {zh: "首届世界互联网大会", en: "First World Internet Conference"}
  place: {zh: "浙江乌镇", en: "Wuzhen, Zhejiang"}
  start: 2014-11-19
  end: 2014-11-21
"""


def speech(title_en: str = "A Speech", body: str = "::: zh\n你好。\n:::\n\n::: en\nHello.\n:::\n",
           extra: str = "") -> str:
    return (f"---\ntitle:\n  zh: 讲话\n  en: {title_en}\nspeaker: ma-kai\ndate: 2014-11-19\n"
            f"original: zh\n{extra}---\n\n{body}")


def base_files() -> dict[str, str]:
    return {"content/site.yml": SITE_YML, "content/people.yml": PEOPLE_YML,
            "content/events.yml": EVENTS_YML,
            "content/speeches/first.md": speech("First")}


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data, encoding="utf-8")
    return root


def run(*argv: str) -> tuple[int, str]:
    """Run the command line in-process; returns (exit status, what it printed)."""
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(list(argv), theme=THEME)
    return code, err.getvalue()


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", base_files())
