"""Builds killed with -9 at random moments (issue 11, item 7): the output is always one whole
site, the previous or the new one, never a mix; the next build removes every temporary folder;
no Pagefind process outlives the build that started it.

The corpus is the issue's: 1,000 speeches of bench/make_corpus.py. Each of the 30 builds changes
the site's title (every page changes) and is killed at a moment drawn over its whole length and
half as long again (a build already over is not killed), so the kills fall in every stage: load,
validate, render with its worker processes, write, index, swap, and after it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from edition.indexcheck import problems

from .conftest import ROOT, tree_digest

SPEECHES = 1000
KILLS = 30


def _site(out: Path) -> dict[str, str]:
    """The output's files but the search bundle, whose file names Pagefind does not make
    reproducibly (its own note: filter chunks differ between identical runs); the bundle is
    checked whole instead."""
    assert problems([out / "pagefind" / "en", out / "pagefind" / "zh"]) == [], "the search bundle is not whole"
    return {k: v for k, v in tree_digest(out).items() if not k.startswith("pagefind/")}


def _strays(marker: str) -> list[str]:
    """Processes (other than this one) whose command line names `marker`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmd:
            found.append(f"{proc.name}: {cmd}")
    return found


def _wait_for_no_strays(marker: str, seconds: float = 20) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := _strays(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _difference(now: dict[str, str], expected: dict[str, str]) -> str:
    changed = sorted(k for k in now.keys() | expected.keys() if now.get(k) != expected.get(k))
    return f"the output is not one whole site: {len(changed)} files differ, e.g. {changed[:5]}"


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("._site."))


def test_thirty_kill_9s_leave_one_whole_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(SPEECHES), str(site)], check=True,
                   capture_output=True)
    out = site / "_site"
    cmd = [sys.executable, str(ROOT / "build.py"), "--root", str(site), "--out", str(out), "-q"]
    site_yml = site / "content" / "site.yml"
    texts = {"a": site_yml.read_text(encoding="utf-8")}
    texts["b"] = texts["a"].replace("Benchmark Edition", "Second Edition")
    assert texts["b"] != texts["a"]
    digests = {}
    durations = []
    for name in ("b", "a"):  # the reference sites; the output ends holding "a"
        site_yml.write_text(texts[name], encoding="utf-8")
        started = time.monotonic()
        subprocess.run(cmd, check=True)
        durations.append(time.monotonic() - started)
        digests[name] = _site(out)
    duration = max(durations)  # a 1,000-speech build's time varies by half from run to run here
    holds = "a"
    rng = random.Random(11)
    outcomes = []
    for _ in range(KILLS):
        target = "b" if holds == "a" else "a"
        site_yml.write_text(texts[target], encoding="utf-8")
        proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
        try:  # a moment over the build and past its end: about a third of the kills come after the swap
            proc.wait(timeout=rng.uniform(0, duration * 1.5))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert _wait_for_no_strays(str(site)) == [], "a child process outlived the killed build"
        now = _site(out)
        assert now in (digests["a"], digests["b"]), _difference(now, digests[holds])
        outcomes.append("published" if now == digests[target] else "kept")
        holds = target if now == digests[target] else holds
    print(f"{outcomes.count('kept')} kills kept the previous site, {outcomes.count('published')} came after "
          "the swap")
    assert "kept" in outcomes and "published" in outcomes  # kills fell before and after the swap
    subprocess.run(cmd, check=True)  # the next build sweeps what the killed ones left
    deadline = time.monotonic() + 60  # the tree it replaced, removed by a process of its own
    while _temporaries(site) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _temporaries(site) == []
    assert _site(out) == digests[target]
    assert _wait_for_no_strays(str(site)) == []
