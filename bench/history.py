#!/usr/bin/env python3
"""Benchmark reading revisions from git: the loader's one `git log` pass against one
`git log --follow` process per file, on the generated corpus committed as a history.

    python bench/history.py [--speeches 1000] [--commits 200] [--repeat 3] [--sample 100]

The corpus (bench/make_corpus.py) is copied into a temporary repository: a first commit adds every
speech, then each of `--commits` commits edits 10 speeches, and every tenth also renames one. The
per-file way is timed on `--sample` files and scaled to all of them (running it on every file takes
minutes). Prints medians of `--repeat` alternating rounds and checks that both give the same commits.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from edition.revisions import revisions  # noqa: E402

ENV = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
       "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def git(repo: Path, *args: str, date: str = "") -> str:
    env = {**ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else ENV
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def make_history(repo: Path, speeches: int, commits: int) -> None:
    subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(speeches), str(repo)], check=True,
                   capture_output=True)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The corpus", date="2020-01-01T12:00:00")
    rng = random.Random(7)
    folder = repo / "content" / "speeches"
    for n in range(commits):
        files = sorted(folder.glob("*.md"))
        for p in rng.sample(files, 10):
            with p.open("a", encoding="utf-8") as f:
                f.write(f"\n<!-- revision {n} -->\n")
        if n % 10 == 9:
            src = rng.choice(files)
            git(repo, "mv", str(src), str(src.with_name(f"renamed-{n}-{src.name}")))
        day = f"2020-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T12:00:00"
        git(repo, "commit", "-q", "-am", f"Revision {n}", date=day)


def per_file(repo: Path, path: str) -> list[str]:
    out = git(repo, "log", "--follow", "-n", "10", "--format=%h", "--", path)
    return out.split()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speeches", type=int, default=1000)
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sample", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "site"
        start = time.perf_counter()
        make_history(repo, args.speeches, args.commits)
        print(f"history: {args.speeches} speeches, {args.commits + 1} commits, made in "
              f"{time.perf_counter() - start:.1f}s", flush=True)
        paths = sorted(p.relative_to(repo).as_posix() for p in (repo / "content" / "speeches").glob("*.md"))
        sample = random.Random(1).sample(paths, min(args.sample, len(paths)))
        one_pass: list[float] = []
        each: list[float] = []
        found: dict[str, list[str]] = {}
        for _ in range(args.repeat):
            start = time.perf_counter()
            revs, diags = revisions(repo, paths)
            one_pass.append(time.perf_counter() - start)
            assert not diags
            found = {p: [r.commit for r in rs] for p, rs in revs}
            start = time.perf_counter()
            expected = {p: per_file(repo, p) for p in sample}
            each.append((time.perf_counter() - start) * len(paths) / len(sample))
        wrong = [p for p in sample if found.get(p, []) != expected[p]]
        print(f"one git log pass, {len(paths)} files: median {statistics.median(one_pass):.2f}s")
        print(f"git log --follow per file, scaled from {len(sample)} to {len(paths)} files: "
              f"median {statistics.median(each):.2f}s")
        print(f"ratio: {statistics.median(each) / statistics.median(one_pass):.0f}x; "
              f"files whose commits differ in the sample: {len(wrong)}")
        if wrong:
            sys.exit(1)
        shutil.rmtree(repo)


if __name__ == "__main__":
    main()
