#!/usr/bin/env python3
"""Benchmark the build on the generated corpus: median wall time and peak memory of N builds.

    python bench/run.py [--speeches 1000] [--repeat 3] [--corpus DIR]

The corpus is written by bench/make_corpus.py (deterministic for a given size and seed)
into bench/corpus/<N>/ unless it is there already. Each build runs in its own process; its peak
resident memory comes from wait4(). Quote medians from one run: these machines are busy and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MAKE_CORPUS = ROOT / "bench" / "make_corpus.py"


def corpus(n: int, folder: Path | None) -> Path:
    target = folder or HERE / "corpus" / str(n)
    if not (target / "content" / "site.yml").is_file():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), str(target)], check=True)
    return target


def one_build(site: Path, out: Path, extra: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(site), "--out", str(out), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed:\n{err}")
    return wall, usage.ru_maxrss * 1024, err.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speeches", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", type=Path)
    a = ap.parse_args()
    site = corpus(a.speeches, a.corpus)
    out = HERE / "out"
    runs = [one_build(site, out, []) for _ in range(a.repeat)]
    walls, rss = [r[0] for r in runs], [r[1] for r in runs]
    files = sum(1 for p in out.rglob("*") if p.is_file())
    print(json.dumps({"speeches": a.speeches, "repeat": a.repeat, "wall_s": [round(w, 3) for w in walls],
                      "median_wall_s": round(statistics.median(walls), 3),
                      "median_peak_rss_mib": round(statistics.median(rss) / 2**20, 1),
                      "files": files, "last_summary": runs[-1][2]}, indent=2))


if __name__ == "__main__":
    main()
