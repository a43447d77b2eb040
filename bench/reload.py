#!/usr/bin/env python3
"""Measure a preview's save-to-reload time: `build.py serve` on a copy of a site, a browser on one
speech page, then edits of that speech; the time from the file's save to the edited text on screen.

    python bench/reload.py demo            # the demo edition in content/
    python bench/reload.py corpus [N]      # N speeches (default 1000) of bench/make_corpus.py
"""

from __future__ import annotations

import json
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


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "demo"
    work = Path(tempfile.mkdtemp())
    site = work / "site"
    if which == "demo":
        site.mkdir()
        shutil.copytree(ROOT / "content", site / "content")
        speech = site / "content/speeches/2014-11-19-ma-kai-wic-opening.md"
        url_path = "en/speeches/2014-11-19-ma-kai-wic-opening/"
        marker = "Ladies, gentlemen, friends:"
    else:
        n = sys.argv[2] if len(sys.argv) > 2 else "1000"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), n, str(site)], check=True)
        all_speeches = sorted((site / "content/speeches").glob("*.md"))
        speech = all_speeches[len(all_speeches) // 2]
        url_path = f"en/speeches/{speech.stem}/"
        marker = None
    port = free_port()
    log = (work / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(site), "--port", str(port),
                             "-q"], stderr=log)
    url = f"http://127.0.0.1:{port}/{url_path}"
    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    times = []
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.goto(url)
            text = speech.read_text(encoding="utf-8")
            if marker is None:  # the corpus: the first English paragraph
                body = text.split("::: en\n\n", 1)[1]
                marker = body.split("\n", 1)[0][:40]
            for i in range(5):
                new = f"Edited {i}: "
                edited = text.replace(marker, new + marker, 1)
                start = time.perf_counter()
                speech.write_text(edited, encoding="utf-8")
                page.locator(".cell[lang=en]", has_text=new).first.wait_for(timeout=60000)
                times.append(time.perf_counter() - start)
                time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait()
    print(json.dumps({"site": which, "save_to_reload_s": [round(t, 3) for t in times],
                      "median_s": round(statistics.median(times), 3)}, indent=2))


if __name__ == "__main__":
    main()
