"""Workers: the site built by one process and by two is the same, byte for byte; results come in
the order of the items; a failure in a worker is raised with its traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from edition import workers

from .conftest import ROOT, run, tree_digest


def built(site: Path, out: Path, jobs: int) -> dict[str, str]:
    code, printed = run("--root", str(site), "--out", str(out), "--jobs", str(jobs), "-q")
    assert code == 0, printed
    # Pagefind's bundle is not byte-reproducible even from one process (notes/pagefind.md).
    return {k: v for k, v in tree_digest(out).items() if not k.startswith("pagefind/")}


def test_one_and_two_processes_write_the_same_site(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "60", str(tmp_path / "site")],
                   check=True, capture_output=True)
    one, two = built(tmp_path / "site", tmp_path / "one", 1), built(tmp_path / "site", tmp_path / "two", 2)
    assert len(one) > 600 and one == two


def square(context: int, item: int) -> int:
    return context * item * item


def boom(context: int, item: int) -> int:
    if item == 37:
        raise ValueError("unit 37 is broken")
    return item


def test_results_come_in_the_order_of_the_items_whatever_the_processes() -> None:
    items = list(range(200))
    assert list(workers.run(square, 3, items, 1)) == list(workers.run(square, 3, items, 2, chunk=7)) \
        == [3 * i * i for i in items]


def test_a_failure_in_a_worker_names_its_cause() -> None:
    with pytest.raises(workers.WorkerFailed, match="unit 37 is broken"):
        list(workers.run(boom, 0, list(range(100)), 2, chunk=5))
