#!/usr/bin/env python3
"""Measure search on the benchmark corpus: indexing time and bundle size (from a build), and the
bytes a browser transfers for a first query and for a second one (Playwright's network events).

    python bench/search.py [--speeches 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Page, Request

from bench.run import corpus
from edition.index import index
from tests.browser import chromium
from tests.conftest import free_port, serve_site

ROOT = Path(__file__).resolve().parent.parent


def transferred(page: Page, url: str) -> tuple[int, int, str]:
    sizes: list[int] = []

    def finished(request: Request) -> None:
        s = request.sizes()
        sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

    page.on("requestfinished", finished)
    page.goto(url)
    page.locator("#search-status").filter(has_text="“").wait_for(timeout=60000)
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", finished)
    return sum(sizes), len(sizes), page.locator("#search-status").text_content() or ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speeches", type=int, default=1000)
    a = ap.parse_args()
    site = corpus(a.speeches, None)
    port = free_port()
    out = Path(__file__).resolve().parent / "out-search"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(site), "--out", str(out), "-q",
                    "--base-url", f"http://127.0.0.1:{port}/"], check=True)
    start = time.perf_counter()
    indexed, _ = index(out, ("en", "zh"))
    seconds = time.perf_counter() - start
    assert indexed is not None
    result = {"speeches": a.speeches, "index_seconds": round(seconds, 2), "pages_indexed": dict(indexed.pages),
              "bundle_mib": round(indexed.bundle_bytes / 2**20, 2)}
    with serve_site(out, "/", port) as base, chromium() as browser:
        page = browser.new_page()
        for name, key, q in (("first_query", "en", "sovereignty"), ("second_query", "en", "modernisation"),
                             ("first_query_zh", "zh", "改革开放")):
            if name == "first_query_zh":
                page = browser.new_page()  # a fresh cache
            total, requests, status = transferred(page, f"{base}{key}/search/?q={q}")
            result[name] = {"bytes": total, "requests": requests, "status": status}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
