"""`python -m edition.cli`: the command line, as `build.py` and the `edition` script run it."""

import sys

from . import main

sys.exit(main())
