"""A small bilingual site built and compared file by file with tests/golden/expected/.

Run with EDITION_UPDATE_GOLDEN=1 to rewrite the expected tree (then review the diff).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .conftest import run

GOLDEN = Path(__file__).parent / "golden"


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
    if os.environ.get("EDITION_UPDATE_GOLDEN"):  # pragma: no cover - maintenance
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir, ignore=lambda d, names: ["pagefind", "theme"] if Path(d) == out else [])
    expected = _files(expected_dir)
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        assert got[name].decode() == data.decode(), name
    static = Path(__file__).parent.parent / "theme" / "static"
    assert sorted(p.name for p in (out / "theme").iterdir()) == sorted(p.name for p in static.iterdir())
