"""The house rules a machine can check, over every module of the `edition` package: a docstring
saying what the module takes and gives, about 300 lines at most, the one-way imports between
stages, and which module alone may use a library or talk to the terminal."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "edition"
MODULES = sorted(PACKAGE.rglob("*.py"))
STAGES = ("load", "validate", "link", "terms", "render", "write", "index")  # the pipeline, in order
LONGEST = 350  # "each under ~300 lines": a module this long is split by concern
ONLY = {"mistune": "edition/markdown/", "jinja2": "edition/render.py"}


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), name(path))


def imported(path: Path) -> set[str]:
    """The modules a file imports: absolute names, and this package's own as `.name` (`..name` from
    a subpackage counts the same)."""
    found: set[str] = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level and node.module:
                found.add("." + node.module.split(".")[0])
            elif node.level:
                found |= {"." + a.name for a in node.names}
    return found


def test_the_package_is_read() -> None:
    assert {p.stem for p in MODULES} >= {*STAGES, "pipeline", "new"} and len(MODULES) > 40


@pytest.mark.parametrize("path", MODULES, ids=name)
def test_every_module_says_what_it_is_and_stays_short(path: Path) -> None:
    assert ast.get_docstring(tree(path)), f"{name(path)} has no docstring"
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= LONGEST, f"{name(path)} has {lines} lines: split it by concern"


def test_stages_do_not_import_each_other() -> None:
    """Imports point downward: a stage takes the previous stage's value from the pipeline, never
    reaches into another stage."""
    sideways = {(stage, other) for stage in STAGES for other in STAGES
                if other != stage and f".{other}" in imported(PACKAGE / f"{stage}.py")}
    assert sideways == set()


def test_a_library_is_imported_by_its_one_module() -> None:
    users = {lib: sorted(name(p) for p in MODULES if lib in imported(p)) for lib in ONLY}
    assert {lib: [u for u in found if not u.startswith(ONLY[lib])] for lib, found in users.items()} == \
        {lib: [] for lib in ONLY}
    assert all(users.values())  # and the scan sees the ones that do


def test_only_the_cli_prints_or_exits() -> None:
    def talks(path: Path) -> list[str]:
        calls = []
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.id if isinstance(f, ast.Name) else f"{getattr(f.value, 'id', '')}.{f.attr}" \
                    if isinstance(f, ast.Attribute) else ""
                if called in ("print", "exit", "quit", "sys.exit"):
                    calls.append(f"{name(path)}:{node.lineno} {called}")
            elif isinstance(node, ast.Raise) and "SystemExit" in ast.unparse(node):
                calls.append(f"{name(path)}:{node.lineno} SystemExit")
        return calls

    cli = PACKAGE / "cli"
    assert talks(cli / "__init__.py") and talks(cli / "new.py")  # the scan finds the CLI's own
    assert [c for p in MODULES if p.parent != cli for c in talks(p)] == []
