"""The preview answers only its own address (DNS rebinding, cross-site WebSockets), and every page
carries a Content-Security-Policy that admits the site's own scripts and refuses planted ones
(issue 11, item 10)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape

from edition.previewguard import host_allowed, origin_allowed
from edition.views import CSP

from .browser import Watched, chromium
from .conftest import ROOT, free_port, run, serve_site, speech, write_site
from .test_serve import Preview


def test_host_and_origin_rules() -> None:
    assert host_allowed("127.0.0.1:8000", "127.0.0.1", 8000)
    assert host_allowed("localhost:8000", "127.0.0.1", 8000)
    assert host_allowed("[::1]:8000", "127.0.0.1", 8000)
    assert host_allowed("192.168.1.5:8000", "0.0.0.0", 8000)  # an IP literal cannot be rebound
    assert host_allowed("preview.lan:8000", "preview.lan", 8000)  # the name it was told to listen on
    for bad in ("evil.example:8000", "127.0.0.1:9000", "127.0.0.1", "", None, "127.0.0.1:80x", "a b:8000",
                "localhost.evil.example:8000", "127.0.0.1.nip.io:8000"):
        assert not host_allowed(bad, "127.0.0.1", 8000), bad
    assert origin_allowed("http://127.0.0.1:8000", "127.0.0.1", 8000)
    assert origin_allowed(None, "127.0.0.1", 8000)  # not a browser: nothing to rebind
    assert not origin_allowed("http://evil.example:8000", "127.0.0.1", 8000)
    assert not origin_allowed("https://127.0.0.1:8000", "127.0.0.1", 8000)
    assert not origin_allowed("null", "127.0.0.1", 8000)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    tmp = tmp_path_factory.mktemp("guard")
    root = tmp / "site"
    shutil.copytree(ROOT / "tests" / "golden" / "site", root)
    p = Preview(root, tmp / "serve.log", free_port())
    yield p
    p.stop()


def _get(preview: Preview, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    port = int(preview.url.rsplit(":", 1)[1].strip("/"))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    for name, value in headers.items():
        conn.putheader(name, value)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


def test_the_preview_refuses_other_host_names(preview: Preview) -> None:
    port = preview.url.rsplit(":", 1)[1].strip("/")
    for path in ("/en/", "/livereload.js", "/forcereload", "/en/speeches/"):
        status, body = _get(preview, path, {"Host": f"attacker.example:{port}"})
        assert status == 403, path
        assert body == b"403: this preview answers only requests for its own address (Host header refused)\n"
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, body = _get(preview, "/en/", {"Host": host})
        assert status == 200 and b"Content-Security-Policy" in body
        assert f'<script src="/livereload.js?port={port}"></script></head>'.encode() in body
        assert b"<script type=\"text/javascript\">(function(){" not in body  # livereload's inline script


def test_the_live_reload_socket_refuses_other_origins(preview: Preview) -> None:
    port = preview.url.rsplit(":", 1)[1].strip("/")
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": base64.b64encode(b"0123456789abcdef").decode()}
    ours = {"Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}"}
    assert _get(preview, "/livereload", {**upgrade, **ours})[0] == 101
    assert _get(preview, "/livereload", {**upgrade, **ours, "Origin": "http://attacker.example"})[0] == 403
    assert _get(preview, "/livereload", {**upgrade, "Host": f"attacker.example:{port}",
                                         "Origin": f"http://attacker.example:{port}"})[0] == 403


# ---------------------------------------------------------------- Content-Security-Policy

def _inline_scripts(page: str) -> list[str]:
    return [m.group(2) for m in re.finditer(r"<script(\s[^>]*)?>(.*?)</script>", page, re.S)
            if not re.search(r"\b(src|type)=", m.group(1) or "")]


def test_every_page_has_the_policy_and_it_admits_each_inline_script(demo_served: tuple[str, Path]) -> None:
    _, out = demo_served
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 30
    meta = f'<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">\n'
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert meta in text, page
        for script in _inline_scripts(text):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in CSP, f"{page}: an inline script the policy refuses"
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", text), f"{page}: an inline style or handler"


def test_a_planted_inline_script_is_refused(tmp_path: Path) -> None:
    from .conftest import base_files

    files = base_files()
    files["content/site.yml"] += "allow_html: true\n"
    planted = ('<script>window.planted = 1</script>\n\n<img src="data:," onerror="window.planted = 2">\n\n'
               '<p style="color: red" id="styled">Styled</p>')
    files["content/speeches/first.md"] = speech(body=f"::: en\n{planted}\n:::\n")
    root = write_site(tmp_path / "site", files)
    code, printed = run("--root", str(root), "--base-url", "http://127.0.0.1/sub/")
    assert code == 0, printed
    with serve_site(root / "_site", "/sub/") as base, chromium() as browser:
        w = Watched(browser.new_page())
        w.page.goto(base + "en/speeches/first/")
        w.page.wait_for_load_state("load")
        assert w.page.evaluate("window.planted") is None
        assert w.page.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
        refused = [e for e in w.errors if "Content Security Policy" in e]
        assert len(refused) >= 2 and len(refused) == len(w.errors), w.errors
