#!/usr/bin/env python3
"""The editor's loop, measured: the CLI's cold build, its rebuild with nothing changed and after one
speech changed (search included, with the build cache; the median of five rebuilds, each after
another edit of that speech, and its ratio to the median of three cold builds, two of them made
between those rebuilds: alternating, as this shared machine's speed drifts within a run), and the
preview's save-to-screen time
(`build.py serve`, a browser on one speech page, ten edits of that speech; the time from the
file's save to the first paint of the page that shows the edited text, by the system clock that
both this script and the page read), and how long the search index takes to follow a save (the
preview's background index: the English bundle replaced; whether the Chinese one was made again),
on a copy of a site.

    python bench/reload.py demo            # the demo edition in content/
    python bench/reload.py corpus [N]      # N speeches (default 1000) of bench/make_corpus.py

Prints one JSON object; every time is wall-clock seconds on this machine, measured in one run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import chromium
from tests.conftest import free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ONE_SPEECH_RUNS = 5  # CLI rebuilds after one speech changed, each after another edit: their median
COLD_AGAIN = 2  # cold builds after the first, each after one of the first rebuilds: the median of three
EDITS = 10


def cli(site: Path, *options: str) -> tuple[float, dict[str, float]]:
    """One `build.py build` run: its wall time and its stages' times. Each starts with no write of an
    earlier run still pending (`sync`, not timed): a cold build of 10,000 speeches leaves about a
    gigabyte to write back, and a rebuild that followed one took 78–109 s instead of 36–51 s."""
    os.sync()
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(site), *options],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    stages = {m.group(1): float(m.group(2)) for m in re.finditer(r"^  (\w+)\s+\d+ \w*\s+([\d.]+)s$", proc.stderr, re.M)}
    return round(wall, 3), stages


def cold_again(site: Path, aside: Path) -> tuple[float, dict[str, float]]:
    """A cold build of the site as it is, with a cache of its own, into an output of its own. The
    warm cache waits beside it, and what the cold build made is kept until the end of the run:
    removing it here would slow the next rebuild (this machine's file system, see the README)."""
    aside.mkdir()
    cache = site / ".edition-cache"
    cache.rename(aside / "warm-cache")
    try:
        return cli(site, "--out", str(aside / "site"))
    finally:
        cache.rename(aside / "cold-cache")
        (aside / "warm-cache").rename(cache)


def entry(port: int, key: str) -> bytes:
    """A tree's search bundle entry as served (it names the index by a hash of its contents)."""
    return urllib.request.urlopen(f"http://127.0.0.1:{port}/pagefind/{key}/pagefind-entry.json", timeout=10).read()


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "demo"
    work = Path(tempfile.mkdtemp())
    site = work / "site"
    if which == "demo":
        site.mkdir()
        shutil.copytree(ROOT / "content", site / "content")
        speech = site / "content/speeches/2014-11-19-ma-kai-wic-opening.md"
        marker = "Ladies, gentlemen, friends:"
    else:
        n = sys.argv[2] if len(sys.argv) > 2 else "1000"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), n, str(site)], check=True,
                       stdout=subprocess.DEVNULL)
        all_speeches = sorted((site / "content/speeches").glob("*.md"))
        speech = all_speeches[len(all_speeches) // 2]
        body = speech.read_text(encoding="utf-8").split("::: en\n\n", 1)[1]
        marker = body.split("\n", 1)[0][:40]  # the start of the first English paragraph
    url_path = f"en/speeches/{speech.stem}/"
    text = speech.read_text(encoding="utf-8")

    report: dict[str, object] = {"site": which, "speeches": len(list((site / "content/speeches").glob("*.md")))}
    report["cli_cold_s"], report["cli_cold_stages"] = cli(site)
    report["cli_nothing_changed_s"], report["cli_nothing_changed_stages"] = cli(site)
    # An editor rebuilds again and again: the median of several rebuilds, each after another edit
    # (the first follows a build that replaced no output; the next ones, the usual case, follow one that did).
    runs, colds = [], [report["cli_cold_s"]]
    for i in range(ONE_SPEECH_RUNS):
        speech.write_text(text.replace(marker, f"Changed {i}: " + marker, 1), encoding="utf-8")
        runs.append(cli(site))
        if i < COLD_AGAIN:
            colds.append(cold_again(site, work / f"cold-{i}")[0])
    report["cli_one_speech_changed_runs_s"] = [r[0] for r in runs]
    report["cli_one_speech_changed_s"], report["cli_one_speech_changed_stages"] = \
        sorted(runs, key=lambda r: r[0])[len(runs) // 2]  # the median run, with its stages
    report["cli_cold_runs_s"] = colds
    report["cli_cold_median_s"] = statistics.median(colds)
    report["cli_one_speech_changed_ratio"] = round(report["cli_one_speech_changed_s"] / report["cli_cold_median_s"], 3)
    speech.write_text(text, encoding="utf-8")

    port = free_port()
    log = (work / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(site), "--port", str(port),
                             "-q"], stderr=log)
    url = f"http://127.0.0.1:{port}/{url_path}"
    for _ in range(6000):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    times: list[float] = []
    follows: list[float] = []
    zh_again: list[bool] = []
    try:
        with chromium() as browser:
            page = browser.new_page()
            # When each page was first painted, by the page's own clock (the system's, as time.time()):
            # polling for the text would measure Playwright's retry intervals (up to 500 ms) instead.
            page.add_init_script("addEventListener('DOMContentLoaded', () => "
                                 "requestAnimationFrame(() => { window.__shown = Date.now(); }));")
            page.goto(url)
            entries = {key: entry(port, key) for key in ("en", "zh")}
            for i in range(EDITS + 2):
                new = f"Edited {i}: "
                start = time.time()
                speech.write_text(text.replace(marker, new + marker, 1), encoding="utf-8")
                page.locator(".cell[lang=en]", has_text=new).first.wait_for(timeout=120000)
                if i < EDITS:
                    times.append(page.evaluate("window.__shown") / 1000 - start)
                    time.sleep(0.5)  # an editor reads before the next save
                    continue
                # The search follows: the time from the save to the English bundle replaced, after
                # the ten saves (the preview's first background index), then after one more save.
                while entry(port, "en") == entries["en"]:
                    time.sleep(0.05)
                follows.append(time.time() - start)
                time.sleep(1)  # the other tree's bundle, if it is made again, lands about when the first does
                now = {key: entry(port, key) for key in ("en", "zh")}
                zh_again.append(now["zh"] != entries["zh"])
                entries = now
    finally:
        proc.terminate()
        proc.wait()
    report["save_to_screen_s"] = [round(t, 3) for t in times]
    report["save_to_screen_median_s"] = round(statistics.median(times), 3)
    report["search_follows_s"] = [round(t, 3) for t in follows]
    report["chinese_tree_indexed_again"] = zh_again
    print(json.dumps(report, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
