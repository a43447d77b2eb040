"""Killing a build while it writes (SIGINT) leaves the previous output exactly as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT, free_port, tree_digest

MAKE_CORPUS = ROOT / "bench" / "make_corpus.py"


def _ctrl_c_while_writing(cmd: list[str], folder: Path, staged: str) -> tuple[subprocess.Popen[str], str]:
    """Run `cmd`, send it SIGINT once its writer has started a temporary tree (`staged`, a glob in
    `folder`), and return the process with what it printed on standard error."""
    # As a terminal starts it: a shell's background job (`bash tests/run.sh &`) ignores SIGINT, and
    # Python then keeps ignoring it, as a program started with `nohup` or `&` should.
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list(folder.glob(staged)):
        assert proc.poll() is None, "it ended before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc, err


def test_sigint_while_writing_keeps_the_previous_output(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(MAKE_CORPUS), "300", str(tmp_path)], check=True)
    out = tmp_path / "_site"
    cmd = [sys.executable, str(ROOT / "build.py"), "--root", str(tmp_path), "--out", str(out), "-q"]
    subprocess.run(cmd, check=True)
    before = tree_digest(out)
    site_yml = tmp_path / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text().replace("Benchmark Edition", "Changed Edition"))

    proc, err = _ctrl_c_while_writing(cmd, tmp_path, "._site.new-*")

    assert proc.returncode == 130, err
    assert "interrupted: nothing was written; the previous output is as it was" in err
    assert tree_digest(out) == before
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ".edition-cache")
    assert left == [], "no temporary tree is left (the build cache stays: its entries are checked on use)"


def test_ctrl_c_during_the_previews_first_build_is_no_traceback(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(MAKE_CORPUS), "300", str(tmp_path)], check=True)
    cmd = [sys.executable, str(ROOT / "build.py"), "serve", "--root", str(tmp_path), "--port", str(free_port())]
    proc, err = _ctrl_c_while_writing(cmd, tmp_path, "._preview.new-*")

    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "interrupted: the preview stopped during its first build"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("._")) == []
