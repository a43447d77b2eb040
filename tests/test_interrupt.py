"""Killing a build while it writes (SIGINT) leaves the previous output exactly as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT, free_port, tree_digest

MAKE_CORPUS = ROOT / "bench" / "make_corpus.py"


def test_sigint_while_writing_keeps_the_previous_output(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(MAKE_CORPUS), "300", str(tmp_path)], check=True)
    out = tmp_path / "_site"
    cmd = [sys.executable, str(ROOT / "build.py"), "--root", str(tmp_path), "--out", str(out), "-q"]
    subprocess.run(cmd, check=True)
    before = tree_digest(out)
    site_yml = tmp_path / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text().replace("Benchmark Edition", "Changed Edition"))

    # As a terminal starts it: a shell's background job (`bash tests/run.sh &`) ignores SIGINT, and
    # Python then keeps ignoring it, as a program started with `nohup` or `&` should.
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob("._site.new-*")):  # the writer has started its temporary tree
        assert proc.poll() is None, "the build ended before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)

    assert proc.returncode == 130, err
    assert "interrupted: nothing was written; the previous output is as it was" in err
    assert tree_digest(out) == before
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ".edition-cache")
    assert left == [], "no temporary tree is left (the build cache stays: its entries are checked on use)"


def test_ctrl_c_during_the_previews_first_build_is_no_traceback(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(MAKE_CORPUS), "300", str(tmp_path)], check=True)
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--root", str(tmp_path), "--port",
                             str(free_port())], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob("._preview.new-*")):  # the first build is writing
        assert proc.poll() is None, "the preview ended before its first build wrote"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)

    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "interrupted: the preview stopped during its first build"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("._")) == []
