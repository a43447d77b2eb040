"""A small bilingual site built and compared file by file with tests/golden/expected/.

Run with EDITION_UPDATE_GOLDEN=1 to rewrite the expected tree: the test then fails, naming what
changed, so that the new expectations are read in `git diff tests/golden` before they are trusted.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import pytest

from .conftest import run

GOLDEN = Path(__file__).parent / "golden"
UPDATE = "EDITION_UPDATE_GOLDEN"


def _files(folder: Path) -> dict[str, bytes]:
    """Every file but the search bundle (Pagefind's own output, tested by the search tests) and the
    theme's static files (copies of theme/static/, checked by name below)."""
    return {rel: p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not (rel := p.relative_to(folder).as_posix()).startswith(("pagefind/", "theme/"))}


def test_golden_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, printed = run("--root", str(GOLDEN / "site"), "--out", str(out))
    assert code == 0, printed
    got = _files(out)
    expected_dir = GOLDEN / "expected"
    expected = _files(expected_dir)
    if os.environ.get(UPDATE):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir, ignore=lambda d, names: ["pagefind", "theme"] if Path(d) == out else [])
        changed = sorted(n for n in got.keys() | expected.keys() if got.get(n) != expected.get(n))
        pytest.fail(f"{UPDATE} is set: wrote {expected_dir.relative_to(GOLDEN.parent.parent)}/ "
                    f"({len(changed)} files changed: {', '.join(changed[:10]) or 'none'}"
                    f"{', …' if len(changed) > 10 else ''}); review `git diff tests/golden`, then run again "
                    f"without {UPDATE}")
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        if name.endswith(".gz"):  # compare what readers unpack; zlib versions may pack differently
            assert gzip.decompress(got[name]) == gzip.decompress(data), name
        else:
            assert got[name].decode() == data.decode(), name
    static = Path(__file__).parent.parent / "theme" / "static"
    assert sorted(p.name for p in (out / "theme").iterdir()) == sorted(p.name for p in static.iterdir())
