"""Remake the screenshots of docs/: a speech page of the demo edition in both trees, on a desktop
(1366x900), a phone (390x844) and printed (page.pdf, its first page turned to PNG by pdftoppm),
and an aligned page (Chinese beside English) of the /zh/ tree.

    .venv/bin/python docs/screenshots.py            # writes docs/speech-*.png, docs/aligned-page.png
    .venv/bin/python docs/screenshots.py --out DIR  # elsewhere (to look before replacing)

Needs Debian's chromium, poppler-utils (pdftoppm) and fonts-noto-cjk (tests/run.sh installs them).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edition.cli import main as build  # noqa: E402
from tests.browser import chromium  # noqa: E402
from tests.conftest import free_port, serve_site  # noqa: E402

SPEECH = "speeches/2014-11-19-ma-kai-wic-opening/"


def shoot(out_dir: Path, root: Path, speech: str, aligned: str | None) -> list[Path]:
    made: list[Path] = []
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        with redirect_stderr(io.StringIO()) as err:
            code = build(["--root", str(root), "--out", str(site), "-q",
                          "--base-url", f"http://127.0.0.1:{port}/"], theme=ROOT / "theme")
        if code:
            raise SystemExit(err.getvalue())
        with serve_site(site, "/", port) as base, chromium() as browser:
            for lang in ("en", "zh"):
                url = f"{base}{lang}/{speech}"
                for name, size in (("desktop", (1366, 900)), ("phone", (390, 844))):
                    page = browser.new_page(viewport={"width": size[0], "height": size[1]},
                                            device_scale_factor=1 if name == "desktop" else 2)
                    page.goto(url)
                    target = out_dir / f"speech-{lang}-{name}.png"
                    page.screenshot(path=str(target))
                    made.append(target)
                    page.close()
                page = browser.new_page()
                page.goto(url)
                page.emulate_media(media="print")
                pdf = Path(tmp) / f"{lang}.pdf"
                page.pdf(path=str(pdf), format="A4", display_header_footer=False)
                page.close()
                prefix = out_dir / f"speech-{lang}-print"
                subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                                str(prefix)], check=True)
                made.append(prefix.with_suffix(".png"))
            if aligned:
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                page.goto(f"{base}zh/{aligned}")
                page.screenshot(path=str(out_dir / "aligned-page.png"))
                made.append(out_dir / "aligned-page.png")
                page.close()
    return made


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--root", type=Path, default=ROOT, help="the site to build (default: the demo)")
    parser.add_argument("--speech", default=SPEECH)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    aligned = "about/" if args.root == ROOT else None
    for p in shoot(args.out, args.root, args.speech, aligned):
        print(p)


if __name__ == "__main__":
    cli()
