"""The writer's turns (outputlock.py): a build waits for the build holding its output's folder,
says so as the wait begins, and a preview's waiting build gives up when the preview stops."""

import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from edition.outputlock import Stopped, exclusive

from .conftest import ROOT, run, speech


def test_a_build_waits_until_the_build_holding_its_output_has_ended(site: Path, tmp_path: Path) -> None:
    """Two builds of one output at once (a preview's and a CLI's): the later reads its sources, the
    cache and the output only once the first has ended. Before, it could read them first, then link
    in pages the first had meanwhile published from other sources, and record them as its own."""
    out = tmp_path / "out"
    assert run("--root", str(site), "--out", str(out))[0] == 0
    cmd = [sys.executable, str(ROOT / "build.py"), "--root", str(site), "--out", str(out)]
    with exclusive(out) as waited:  # as a build of `out` holds it
        assert waited == 0.0
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        # It says so as the wait begins, not once it is over (a preview would sit silent meanwhile).
        assert select.select([proc.stderr], [], [], 60)[0], "nothing said while waiting"
        said = proc.stderr.readline()  # type: ignore[union-attr]
        assert said == f"waiting: another build is writing into {tmp_path}/; this one starts when it ends\n"
        time.sleep(4)  # a build of this site reads everything within a second or two: unless it waits
        assert proc.poll() is None, "the build did not wait"
        (site / "content/speeches/first.md").write_text(
            speech("First", "::: zh\n你好。\n:::\n\n::: en\nHello again.\n:::\n"), encoding="utf-8")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err.splitlines()[0].split()[:3] == ["wait", "1", "build"], err
    assert float(err.splitlines()[-1].rpartition("· ")[2].rstrip("s")) >= 4, err  # the total counts the wait
    assert "Hello again." in (out / "en/speeches/first/index.html").read_text(encoding="utf-8")


def test_builds_of_other_outputs_do_not_wait(tmp_path: Path) -> None:
    """The lock is the folder holding the output: an output elsewhere is not held up."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with exclusive(tmp_path / "a" / "out"), exclusive(tmp_path / "b" / "out") as waited:
        assert waited == 0.0
    with exclusive(tmp_path / "new" / "deeper" / "out") as waited:  # a first build into a new path:
        assert waited == 0.0  # its folder is made, so that a second build locks that same folder
        assert (tmp_path / "new" / "deeper").is_dir() and not (tmp_path / "new" / "deeper" / "out").exists()


def test_a_wait_ends_when_the_holder_ends_or_in_stopped_when_the_preview_stops(tmp_path: Path) -> None:
    """A preview's build waits in a thread, which Ctrl-C does not interrupt: it polls, and gives up
    (`Stopped`, nothing read or written) once the preview sets `stopping`."""
    out = tmp_path / "out"
    said: list[str] = []
    outcome: dict[str, object] = {}

    def wait(stopping: threading.Event) -> None:
        try:
            with exclusive(out, lambda: said.append("waiting"), stopping) as waited:
                outcome["waited"] = waited
        except Stopped as e:
            outcome["stopped"] = e

    for stop_it in (False, True):
        said.clear()
        outcome.clear()
        stopping = threading.Event()
        with exclusive(out):  # as the other build holds it
            waiter = threading.Thread(target=wait, args=(stopping,))
            waiter.start()
            deadline = time.monotonic() + 10
            while not said:
                assert time.monotonic() < deadline, "it did not say it waits"
                time.sleep(0.01)
            time.sleep(0.3)
            assert waiter.is_alive() and outcome == {}
            if stop_it:
                stopping.set()
                waiter.join(timeout=2)
                assert not waiter.is_alive(), "a stopped preview's build still waits"
                assert isinstance(outcome["stopped"], Stopped)
        waiter.join(timeout=5)
        assert not waiter.is_alive()
        if not stop_it:
            assert float(outcome["waited"]) >= 0.3  # type: ignore[arg-type]
    with exclusive(out, stopping=threading.Event()) as waited:  # nobody holds it now: no wait
        assert waited == 0.0


def test_the_lock_is_the_folder_and_no_file_is_made(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    with exclusive(tmp_path / "out"):
        assert sorted(p.name for p in tmp_path.iterdir()) == before
