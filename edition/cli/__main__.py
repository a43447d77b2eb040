"""`python -m edition.cli`: the command line, as `build.py` and the `edition` script run it."""

from . import entry

entry()
