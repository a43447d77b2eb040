#!/usr/bin/env python3
"""The command line of an edition: `python build.py [build|check|serve|new] [options]`."""

import os
import sys
from importlib.util import find_spec
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
# pyproject.toml's dependencies, by the name they are imported under: each asked for, none imported
# (a system's Python may hold one of them, Jinja2 say, and not the others).
NEEDED = ("jinja2", "mistune", "yaml", "pagefind", "livereload", "watchfiles")

if any(find_spec(name) is None for name in NEEDED):
    # Run by a Python without the dependencies (Debian's, PEP 668): use the project's
    # virtual environment when the README's first command has made it.
    if (VENV / "bin" / "python").exists() and Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(VENV / "bin" / "python", [str(VENV / "bin" / "python"), *sys.argv])
    sys.exit("edition: its dependencies are not installed; run the README's first command:\n"
             "  python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/python build.py serve")

sys.path.insert(0, str(HERE))

from edition.cli import entry  # noqa: E402

if __name__ == "__main__":
    entry(theme=HERE / "theme")
