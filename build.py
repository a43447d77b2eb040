#!/usr/bin/env python3
"""The command line of an edition: `python build.py [build|check|serve|new] [options]`."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"

try:
    import jinja2  # noqa: F401  (only asks whether the dependencies are importable)
except ImportError:
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
