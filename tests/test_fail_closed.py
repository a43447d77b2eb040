"""Hostile and broken input, second round (an attack on the finished generator): each case fails
closed, with a diagnostic and exit 1 and never a traceback, a hang or a write outside the output
folder; where the input is legitimate, it builds as written."""

from __future__ import annotations

from pathlib import Path

from .conftest import base_files, run, speech, write_site


def test_text_cannot_forge_the_renderers_markers(tmp_path: Path) -> None:
    # Private-use characters and character references are text like any other: the renderer's own
    # markers (a cross-link's place, an asset's path) are characters no source can hold.
    body = ("::: zh\n你好\ue0005\ue001，`\ue0000\ue001`。\n:::\n\n"
            "::: en\nHello \ue002assets/x\ue003 and &#x2;0&#x3; and &#xE000;0&#xE001;.\n:::\n")
    root = write_site(tmp_path / "site", {**base_files(), "content/speeches/first.md": speech(body=body)})
    code, printed = run("--root", str(root))
    assert code == 0 and "Traceback" not in printed, printed
    page = (root / "_site/en/speeches/first/index.html").read_text()
    assert "Hello \ue002assets/x\ue003 and &amp;#x2;0&amp;#x3; and \ue0000\ue001." in page
    assert "你好\ue0005\ue001，<code>\ue0000\ue001</code>。" in page
