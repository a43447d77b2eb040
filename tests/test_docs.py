"""The examples of docs/content-format.md and README.md, run: the documentation cannot drift.

An example is a run of fenced blocks in a document:

    ```yaml file=content/events.yml        a whole file of the example's site (any language word)
    ```console                             `$ ` lines are commands; the lines after
    $ python3 build.py check -q            `$ python3 build.py …` are what it prints
    content/events.yml:1:1: error[…

The site of an example is the document's base site, then every `file=` block since the previous
`console` block. The base site of docs/content-format.md is its blocks marked `base=PATH`; the
base site of README.md is the demo edition (this repository's content/). Commands other than
`python3 build.py` (rm, printf, mkdir, ln) run in bash in the site folder. The generator runs in
the site folder, as an editor runs it; timings (`0.42s`) are compared as `0.00s`, and the site
folder's absolute path is shown as `~/edition`.

To add an example: write its file blocks and a console block holding only the command, run
`EDITION_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/test_docs.py` (it writes what each command
prints into the document, then fails), review the diff, commit.
"""

from __future__ import annotations

import ast
import io
import os
import re
import shlex
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from edition.cli import main

from .conftest import ROOT, THEME

DOCS = ("docs/content-format.md", "README.md")
FENCE_RE = re.compile(r"^(?P<fence>`{3,})(?P<lang>[\w-]*)[ \t]*(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                      re.M | re.S)
TIME_RE = re.compile(r"\d+\.\d\ds\b")
CODE_RE = re.compile(r"\b(?:error|warning)\[([a-z0-9-]+)\]")
HOME = "~/edition"
UPDATE = os.environ.get("EDITION_UPDATE_DOCS") == "1"
# Codes no content can cause, each with the reason; the documentation still describes them.
UNREPRODUCIBLE = {"search-index": "needs a broken Pagefind installation",
                  "file-unreadable": "file permissions do not stop root, who runs the tests",
                  "output-failed": "needs a full disk or a read-only output folder",
                  "internal-error": "needs a bug of the generator (the preview reports it; see test_preview)"}


@dataclass(frozen=True)
class Example:
    doc: str
    line: int  # of the console block's fence
    index: int  # the how-manieth example of the document, for the update mode
    files: tuple[tuple[str, str], ...]
    console: str  # the block's text
    start: int  # the block's body in the document (character offsets), for the update mode
    end: int

    @property
    def name(self) -> str:
        return f"{self.doc}:{self.line}"


def blocks(doc: str) -> list[re.Match[str]]:
    return list(FENCE_RE.finditer((ROOT / doc).read_text(encoding="utf-8")))


def _info(m: re.Match[str], key: str) -> str | None:
    found = re.search(rf"(?:^|\s){key}=(\S+)", m.group("info"))
    return found.group(1) if found else None


def base_files(doc: str) -> dict[str, str]:
    return {path: m.group("body") for m in blocks(doc) if (path := _info(m, "base"))}


def examples(doc: str) -> list[Example]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    out, files = [], []
    for m in blocks(doc):
        if path := _info(m, "file"):
            files.append((path, m.group("body")))
        elif m.group("lang") == "console" and "$ python3 build.py" in m.group("body"):
            out.append(Example(doc, text.count("\n", 0, m.start()) + 1, len(out), tuple(files), m.group("body"),
                               m.start("body"), m.end("body")))
            files = []
    return out


ALL = [e for doc in DOCS for e in examples(doc)]


def make_site(example: Example, root: Path) -> Path:
    if example.doc == "README.md":
        shutil.copytree(ROOT / "content", root / "content")
    for path, body in (*base_files(example.doc).items(), *example.files):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(body, encoding="utf-8")
    return root


def perform(console: str, site: Path) -> str:
    """The console block as the commands print it now: the `$` lines kept, each output replaced."""
    out: list[str] = []
    for line in console.splitlines():
        if not line.startswith("$ "):
            continue
        out.append(line)
        words = shlex.split(line[2:])
        if words[:2] != ["python3", "build.py"]:
            subprocess.run(["bash", "-c", line[2:]], cwd=site, check=True)
            continue
        printed = io.StringIO()
        cwd = Path.cwd()
        os.chdir(site)
        try:
            with redirect_stderr(printed), redirect_stdout(printed):
                main(words[2:], theme=THEME)
        finally:
            os.chdir(cwd)
        text = printed.getvalue().replace(str(site), HOME).rstrip("\n")
        out.extend(text.split("\n") if text else [])
    return "\n".join(out) + "\n"


def normal(text: str) -> str:
    return TIME_RE.sub("0.00s", text)


@pytest.mark.parametrize("example", ALL, ids=[e.name for e in ALL])
def test_example(example: Example, tmp_path: Path) -> None:
    site = make_site(example, tmp_path / "edition")
    printed = perform(example.console, site)
    if UPDATE and normal(printed) != normal(example.console):
        now = examples(example.doc)[example.index]  # earlier updates may have moved it
        doc = ROOT / example.doc
        text = doc.read_text(encoding="utf-8")
        doc.write_text(text[:now.start] + printed + text[now.end:], encoding="utf-8")
        pytest.fail(f"{example.name} rewritten: review the diff")
    assert normal(printed) == normal(example.console)


def test_there_are_examples_in_both_documents() -> None:
    assert {e.doc for e in ALL} == set(DOCS)
    assert base_files("docs/content-format.md").keys() >= {"content/site.yml", "content/people.yml"}


def emitted_codes() -> set[str]:
    """Every diagnostic code in the generator's source: the string given for a parameter `code`."""
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in (ROOT / "edition").rglob("*.py")]
    position: dict[str, int] = {"Diagnostic": 4}
    for tree in trees:
        for f in ast.walk(tree):
            if isinstance(f, ast.FunctionDef):
                names = [a.arg for a in f.args.args]
                if "code" in names:
                    position[f.name] = names.index("code") - (names[:1] == ["self"])
    codes = set()
    for tree in trees:
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            given = [*call.args[position[name]:position[name] + 1]] if name in position else []
            given += [k.value for k in call.keywords if k.arg == "code"]
            codes |= {g.value for g in given if isinstance(g, ast.Constant) and isinstance(g.value, str)}
    return codes


def test_every_diagnostic_code_has_a_tested_example() -> None:
    codes = emitted_codes()
    assert {"unknown-key", "template", "footnote-undefined", "section-fence"} <= codes  # the scan works
    shown = {c for e in ALL if e.doc == DOCS[0] for c in CODE_RE.findall(e.console)}
    missing = codes - shown - UNREPRODUCIBLE.keys()
    assert not missing, f"add an example of each to {DOCS[0]} (see this test's docstring): {sorted(missing)}"
    reference = (ROOT / DOCS[0]).read_text(encoding="utf-8")
    assert all(f"`{code}`" in reference for code in UNREPRODUCIBLE)
