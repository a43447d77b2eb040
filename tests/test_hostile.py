"""Hostile and broken input (issue 11): each attack gets its exact diagnostic, exit 1, and the
previous output stays byte-identical; where the input is legitimate, the output is correct."""

from __future__ import annotations

import re
import time
from pathlib import Path

from edition.yamlpos import parse

from .conftest import base_files, run, speech, tree_digest, write_site

HEADLINE = re.compile(r"^\S.*: (error|warning)\[[a-z-]+\]: .*$", re.M)


def refused(tmp_path: Path, files: dict[str, str | bytes], *flags: str) -> tuple[list[str], str]:
    """Build a valid site, change `files`, build again: the second build fails and leaves the first
    output byte-identical. Returns the headlines printed and all that was printed."""
    root = write_site(tmp_path / "site", base_files())
    out = root / "_site"
    code, printed = run("--root", str(root))
    assert code == 0, printed
    before = tree_digest(out)
    write_site(root, files)
    code, printed = run("--root", str(root), *flags)
    assert code == 1, printed
    assert tree_digest(out) == before, "a failed build must leave the previous output untouched"
    assert "Traceback" not in printed
    return [m.group(0) for m in HEADLINE.finditer(printed)], printed


# ---------------------------------------------------------------- 1. YAML alias bomb

def alias_bomb() -> str:
    """Nine levels of nine aliases each: 9**9 strings once expanded, in about 400 bytes."""
    lines = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = alias_bomb()
    assert len(bomb) < 450
    started = time.perf_counter()
    node, _diags = parse(bomb, "x.yml")
    assert node is None and time.perf_counter() - started < 2
    text = speech(extra=bomb.replace("a:", "x-a:", 1))
    headlines, _ = refused(tmp_path, {"content/speeches/first.md": text})
    assert headlines == ["content/speeches/first.md:12:8: error[yaml-alias]: the aliases expand to more than "
                         "10,000 values"]
    started = time.perf_counter()
    code, printed = run("check", "--root", str(tmp_path / "site"))
    assert code == 1 and time.perf_counter() - started < 2, printed


def test_alias_to_its_own_container_is_refused(tmp_path: Path) -> None:
    text = speech().replace("title:\n  zh: 讲话\n  en: A Speech\n", "title: &a [*a]\n")
    headlines, _ = refused(tmp_path, {"content/speeches/first.md": text})
    assert headlines == ["content/speeches/first.md:2:12: error[yaml-alias]: the alias `*a` refers to the value "
                         "that contains it"]


def test_aliases_within_budget_are_expanded() -> None:
    node, diags = parse("place: &p {en: Wuzhen, zh: 乌镇}\nsame: *p\n", "x.yml")
    assert diags == [] and node is not None
    assert node.items()[0][1] == node.items()[1][1]


def test_deep_nesting_is_refused() -> None:
    node, diags = parse("t: " + "[" * 500 + "]" * 500 + "\n", "x.yml")
    assert node is None
    assert [d.headline() for d in diags] == ["x.yml:1:67: error[yaml-depth]: the YAML is nested more than 64 "
                                             "levels deep"]
