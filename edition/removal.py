"""The removal of the writer's old trees (a replaced output, a failed build's staged site).

Input: a folder the writer made (it holds the marker). Output: the folder gone, with nothing it
links to, and nothing outside it: the folder is opened once, without following a link put in its
place, and everything is removed through that handle (rm(1) runs inside it, on names relative to
it), its marker last — a removal cut short leaves a folder the next build's sweep still knows for
the writer's (swap.sweep).

A command that ends before the removal does hands the rest to a process of its own (`hand_over`),
under a name of the kind GONE (`.<out>.gone-…`): that process holds a lock on the folder while it
removes it, and the sweep removes a GONE folder only when it can take that lock, so one whose
remover died (killed, or ended with its container) is removed by the next build whatever the pids.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

MARKER = ".edition-output"
GONE = "gone"  # the kind of a folder handed to a remover of its own (swap.KINDS)
PIPE_BUFFER = 60_000  # Linux's pipe holds 64 KiB
REMOVER = "edition-remove-old-output"
OPEN_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def marked(p: Path) -> bool:
    """Whether a folder (not a link to one) was made by the writer: it holds the marker (a regular
    file) or nothing."""
    try:
        fd = os.open(p, OPEN_FOLDER)
    except OSError:
        return False
    try:
        return _marked_at(fd)
    finally:
        os.close(fd)


def _marked_at(fd: int) -> bool:
    try:
        return stat.S_ISREG(os.lstat(MARKER, dir_fd=fd).st_mode)
    except FileNotFoundError:
        try:
            return not os.listdir(fd)
        except OSError:
            return False
    except OSError:
        return False


def unlocked(p: Path) -> bool:
    """Whether no remover holds the lock of a GONE folder (its remover is gone)."""
    try:
        fd = os.open(p, OPEN_FOLDER)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # the lock goes with it


def remove(tree: Path, lock: bool = False, wait: bool = True) -> None:
    """Remove a folder the writer made, through one handle on it (never what a link put in its place
    points to); nothing if it is not the writer's. `lock`: hold the folder's lock meanwhile (a GONE
    folder's remover); without `wait`, nothing if another holds it (a sweep: its remover is back)."""
    try:
        fd = os.open(tree, OPEN_FOLDER)
    except OSError:
        return
    try:
        if lock:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return
        if _marked_at(fd):
            _finish_removal(tree, fd, *_start_removal(fd))
    finally:
        os.close(fd)


def _start_removal(fd: int) -> tuple[list[str], subprocess.Popen[bytes] | None]:
    """The names in the folder `fd` but its marker, and rm(1) started on them inside it where there
    is one: it removes links, never what they point to, like rmtree, but without Python's lock per
    file — a build that pickles its cache meanwhile held it up (the old tree of 10,000 speeches,
    67,000 entries: 7.4 s to remove from a thread). One rm per name, one per core at a time
    (`xargs -P`: the two language trees side by side)."""
    try:
        names = sorted(n for n in os.listdir(fd) if n != MARKER)
    except OSError:
        return [], None
    rm, xargs = shutil.which("rm"), shutil.which("xargs")
    if not names or rm is None:
        return names, None
    listed = b"".join(os.fsencode(n) + b"\0" for n in names)
    cmd = [xargs, "-0", "-P", str(max(2, os.cpu_count() or 1)), "-n", "1", rm, "-rf", "--"] \
        if xargs and len(listed) <= PIPE_BUFFER else [rm, "-rf", "--", *names]
    try:  # run inside the folder itself (the handle), so that a link put in its place leads nowhere
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if cmd[0] == xargs else subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(fd,),
                                preexec_fn=lambda: os.fchdir(fd))
    except (OSError, subprocess.SubprocessError):
        return names, None
    if proc.stdin is not None:
        with contextlib.suppress(OSError):
            proc.stdin.write(listed)  # written whole at once, not to hold this process up
        with contextlib.suppress(OSError):
            proc.stdin.close()
    return names, proc


def _finish_removal(tree: Path, fd: int, names: list[str], rm: subprocess.Popen[bytes] | None,
                    handed: threading.Event | None = None) -> None:
    """Wait for rm, remove what it left (all of it without rm), then the marker and the folder;
    nothing more once `handed` is set (a process of its own goes on with it)."""
    if rm is not None:
        rm.wait()
    for name in names:
        if handed is not None and handed.is_set():
            return
        try:
            if stat.S_ISDIR(os.lstat(name, dir_fd=fd).st_mode):
                shutil.rmtree(name, ignore_errors=True, dir_fd=fd)
            else:
                os.unlink(name, dir_fd=fd)
        except OSError:
            pass
    if handed is not None and handed.is_set():
        return
    with contextlib.suppress(OSError):
        if os.listdir(fd) == [MARKER]:  # else what could not be removed keeps it, for the next sweep
            os.unlink(MARKER, dir_fd=fd)
    with contextlib.suppress(OSError):
        os.rmdir(tree)  # by its name: a link put in its place is not a folder, and stays


def remove_later(tree: Path) -> None:
    """Remove an old tree out of sight without holding up a preview's reload. rm is started here,
    not by the thread, which would wait for Python's lock while the build pickles its cache (at
    10,000 speeches 1.5 s); the thread waits for it and removes what is left. A daemon thread: a
    process that exits (or is interrupted) first leaves the rest to the next build's sweep."""
    try:
        fd = os.open(tree, OPEN_FOLDER)
    except OSError:
        return
    _Removal(tree, fd).start()


class _Removal(threading.Thread):
    """The removal of one old tree, running beside the build (see `remove_later`)."""

    def __init__(self, tree: Path, fd: int) -> None:
        super().__init__(name=REMOVER, daemon=True)
        self.tree, self.fd = tree, fd
        self.handed = threading.Event()
        self.names, self.rm = _start_removal(fd) if _marked_at(fd) else ([], None)

    def run(self) -> None:
        try:
            if self.names or self.rm is not None or _marked_at(self.fd):
                _finish_removal(self.tree, self.fd, self.names, self.rm, self.handed)
        finally:
            os.close(self.fd)

    def hand_over(self, out_name: str) -> bool:
        """Leave the rest to a process of its own, which goes on after this one exits; False where
        none could be started (then wait). The folder becomes `.<out>.gone-…` (see the module)."""
        if not sys.executable or os.getpid() == 1:  # no Python to start; a container's first process,
            return False  # whose end ends every process it started
        m = re.fullmatch(r"\.(?:.+)\.[a-z]+-(?:\d+-)?([^/]+)", self.tree.name)
        try:
            child = subprocess.Popen([sys.executable, "-I", "-c", _CHILD, str(Path(__file__).resolve().parent.parent)],
                                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        except (OSError, subprocess.SubprocessError):
            return False
        self.handed.set()
        if self.rm is not None:  # what it removed stays removed; the new process does the rest
            with contextlib.suppress(OSError):
                self.rm.kill()
        tree = self.tree.with_name(f".{out_name}.{GONE}-{m.group(1) if m else 'x'}")
        try:
            os.rename(self.tree, tree)
        except OSError:
            tree = self.tree
        with contextlib.suppress(OSError):
            child.stdin.write(os.fsencode(tree))  # type: ignore[union-attr]
        with contextlib.suppress(OSError):
            child.stdin.close()  # type: ignore[union-attr]
        return True


# The process a removal is handed over to (`python -I`: nothing of the working folder is imported):
# it reads the folder's path, then removes it holding its lock.
_CHILD = ("import os, sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
          "from edition.removal import remove; tree = sys.stdin.buffer.read(); "
          "os.nice(10) if hasattr(os, 'nice') else None; tree and remove(Path(os.fsdecode(tree)), lock=True)")


def settle() -> None:
    """Wait until the old trees replaced so far are removed (the threads are found by name: the
    process's list of threads is the only record of them)."""
    for thread in threading.enumerate():
        if thread.name == REMOVER:
            thread.join()


def hand_over(out: Path) -> None:
    """At the end of a command: the old trees of `out` still being removed are left to processes of
    their own, so that the command returns as soon as its output is published (at 10,000 speeches
    the old tree takes 3–4 s to remove on this project's test machine)."""
    for thread in threading.enumerate():
        if isinstance(thread, _Removal) and thread.is_alive() and not thread.hand_over(out.name):
            thread.join()
