"""Workers: the site built by one process and by two is the same, byte for byte; results come in
the order of the items; a failure in a worker is raised with its traceback (an OSError as itself)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from edition import workers

from .conftest import ROOT, run, tree_digest


def built(site: Path, out: Path, jobs: int) -> tuple[dict[str, str], str]:
    code, printed = run("--root", str(site), "--out", str(out), "--jobs", str(jobs), "-q")
    assert code == 0, printed
    # Pagefind's bundle is not byte-reproducible even from one process (notes/pagefind.md).
    return {k: v for k, v in tree_digest(out).items() if not k.startswith("pagefind/")}, printed


def test_one_and_two_processes_write_the_same_site(tmp_path: Path) -> None:
    """Parsing, the term check (60 speeches: more than one chunk of work) and rendering on two
    processes give the files and the diagnostics of one."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "60", str(tmp_path / "site")],
                   check=True, capture_output=True)
    # Terms from the corpus's own words: found in most speeches, with an avoided form that warns.
    (tmp_path / "site" / "content" / "terms.yml").write_text(
        "reform:\n  zh: 改革开放\n  en: reform\n  avoid: [openness]\n"
        "science:\n  zh: 科学技术\n  en: science\n", encoding="utf-8")
    (one, said_one), (two, said_two) = built(tmp_path / "site", tmp_path / "one", 1), \
        built(tmp_path / "site", tmp_path / "two", 2)
    assert len(one) > 600 and one == two
    untimed = [re.sub(r" · [\d.]+s$", "", said, flags=re.M) for said in (said_one, said_two)]
    assert "term-inconsistent" in said_one and untimed[0] == untimed[1]
    assert "en/terms/reform/index.html" in one


def square(context: int, item: int) -> int:
    return context * item * item


def boom(context: int, item: int) -> int:
    if item == 37:
        raise ValueError("unit 37 is broken")
    return item


def test_results_come_in_the_order_of_the_items_whatever_the_processes() -> None:
    items = list(range(200))
    assert list(workers.run(square, 3, items, 1)) == list(workers.run(square, 3, items, 2, chunk=7)) \
        == list(workers.run(square, 3, items, 2, chunk=7, cut=50)) == [3 * i * i for i in items]


def test_no_chunk_holds_items_from_both_sides_of_the_cut() -> None:
    """The render stage acts once the speeches are made: the chunk of the last one is not also
    one of the lists (which would hold that moment back)."""
    assert workers.chunked(list(range(40)), 16, 20) == [list(range(16)), list(range(16, 20)), list(range(20, 36)),
                                                        list(range(36, 40))]
    assert workers.chunked(list(range(5)), 16) == [list(range(5))]


def test_a_failure_in_a_worker_names_its_cause() -> None:
    with pytest.raises(workers.WorkerFailed, match="unit 37 is broken"):
        list(workers.run(boom, 0, list(range(100)), 2, chunk=5))


def full(context: int, item: int) -> int:
    if item == 37:
        import errno
        raise OSError(errno.ENOSPC, "No space left on device", f"/out/{item}.html")
    return item


def test_an_environment_failure_in_a_worker_is_raised_as_that_oserror() -> None:
    """A full disk met by a worker is the build's `output-failed` diagnostic, like one met by the
    parent (tests/test_hostile.py), not an internal error."""
    with pytest.raises(OSError) as raised:
        list(workers.run(full, 0, list(range(100)), 2, chunk=5))
    assert not isinstance(raised.value, workers.WorkerFailed)
    assert (raised.value.errno, raised.value.strerror, raised.value.filename) == \
        (28, "No space left on device", "/out/37.html")


def not_the_system(context: int, item: int) -> int:
    if item == 37:
        import gzip
        gzip.decompress(b"not gzip")  # an OSError without an error number
    return item


def test_an_oserror_that_is_not_the_system_s_is_a_worker_failure() -> None:
    with pytest.raises(workers.WorkerFailed, match="Not a gzipped file"):
        list(workers.run(not_the_system, 0, list(range(100)), 2, chunk=5))
