#!/usr/bin/env python3
"""The command line of an edition: `python build.py [build|check|serve] [options]`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from edition.cli import main

if __name__ == "__main__":
    sys.exit(main(theme=Path(__file__).resolve().parent / "theme"))
