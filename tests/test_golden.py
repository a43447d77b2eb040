"""A small bilingual site built and compared file by file with tests/golden/expected/.

Run with EDITION_UPDATE_GOLDEN=1 to rewrite the expected tree (then review the diff). The theme's
static files are copies and are compared by name only.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .conftest import run

GOLDEN = Path(__file__).parent / "golden"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_golden_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, printed = run("--root", str(GOLDEN / "site"), "--out", str(out))
    assert code == 0, printed
    got = _files(out)
    expected_dir = GOLDEN / "expected"
    if os.environ.get("EDITION_UPDATE_GOLDEN"):  # pragma: no cover - maintenance
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    expected = _files(expected_dir)
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        if name.startswith("theme/"):
            continue
        assert got[name].decode() == data.decode(), name
