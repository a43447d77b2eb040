"""The writer's temporary folders and the swap that publishes a staged tree.

Input: the output folder. Output: temporary siblings named after the process that made them
(`.<out>.new-<pid>-…`, `.<out>.old-<pid>-…`, `.<out>.index-<pid>-…`), so that the next build
removes those of a process that is gone (killed with -9, a crash, a power cut); and the swap,
done with one `renameat2(RENAME_EXCHANGE)` where the kernel and file system have it (the output
folder never stops existing), otherwise with two renames, the old tree restored if the second
fails or, after a kill between the two, by the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

RENAME_EXCHANGE = 2  # from <linux/fs.h>
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
AT_FDCWD = -100
KINDS = ("new", "old", "index")
# In every folder the writer makes (the output, its temporary siblings): a folder without it is
# never removed or replaced, whatever its name (a user's `._site.old-photos`).
MARKER = ".edition-output"
MARKER_TEXT = "This folder is written by edition; it is replaced on every build.\n"


def temp_dir(out: Path, kind: str) -> Path:
    """A new temporary sibling of `out` holding only the marker, readable (a served site must be)."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{kind}-{os.getpid()}-", dir=out.parent))
    os.chmod(tmp, 0o755)
    (tmp / MARKER).write_text(MARKER_TEXT)
    return tmp


def _marked(p: Path) -> bool:
    """Whether a folder was made by the writer: it holds the marker (a regular file) or nothing."""
    try:
        return stat.S_ISREG(os.lstat(p / MARKER).st_mode) or not any(p.iterdir())
    except OSError:
        return False


def _owner(name: str, out: Path) -> tuple[str, int | None] | None:
    """(kind, pid) of a temporary sibling of `out` named by temp_dir (pid None: an older name), or None."""
    m = re.fullmatch(rf"\.{re.escape(out.name)}\.({'|'.join(KINDS)})-(?:(\d+)-)?[^/]+", name)
    if not m:
        return None
    return m.group(1), int(m.group(2)) if m.group(2) else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # this process's own (a preview's indexer may be using one)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def sweep(out: Path, own: bool = False) -> list[Path]:
    """Remove the temporary siblings of `out` left by processes that are gone (with `own`, this
    process's too: an interrupted build's); if `out` itself is missing because a build was killed
    between the two renames of a swap, put its old tree back first. Returns what was removed."""
    if not out.parent.is_dir():
        return []
    stale = []
    for p in sorted(out.parent.iterdir()):
        owner = _owner(p.name, out)
        if owner and p.is_dir() and not p.is_symlink() and _marked(p) and \
                (owner[1] is None or (own and owner[1] == os.getpid()) or not _alive(owner[1])):
            stale.append((owner[0], p))
    if not out.exists():
        old = [p for kind, p in stale if kind == "old"]
        if old:
            newest = max(old, key=lambda p: p.stat().st_mtime_ns)
            os.rename(newest, out)
            stale = [(k, p) for k, p in stale if p != newest]
    for _, p in stale:
        remove(p)
    return [p for _, p in stale]


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        func = libc.renameat2  # glibc 2.28 or later
    except (OSError, AttributeError):
        return None
    func.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    func.restype = ctypes.c_int
    return func


def exchange(new: Path, out: Path) -> bool:
    """Swap two existing folders in one step; False where the kernel or file system cannot."""
    func = _renameat2()
    if func is None:
        return False
    if func(AT_FDCWD, os.fsencode(new), AT_FDCWD, os.fsencode(out), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(out))


def publish_tree(new: Path, out: Path) -> None:
    """Make the staged tree `new` the output `out`; the old tree is removed in the background."""
    if not out.exists():
        os.rename(new, out)
        return
    if exchange(new, out):
        remove_later(new)  # it now holds the old tree
        return
    old = temp_dir(out, "old")
    os.remove(old / MARKER)
    os.rmdir(old)  # only its name was wanted: the old tree (which holds the marker) moves there
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    remove_later(old)


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` that has Linux kill the child (Pagefind, which execs in place of
    `python -m pagefind`) when the build that started it dies, even by kill -9; None elsewhere.
    The C function is looked up before the fork: the child only calls it."""
    try:
        prctl = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the build died before the line above
            os._exit(1)
    return preexec


def remove(tree: Path) -> None:
    """Remove a folder the writer made, its marker last: one cut short (a kill) still bears the
    marker, so the next build's sweep knows it for its own and finishes the work."""
    _finish_removal(tree, *_start_removal(tree))


def _start_removal(tree: Path) -> tuple[list[os.DirEntry[str]], subprocess.Popen[bytes] | None]:
    """The entries of `tree` but its marker, and rm(1) started on them where there is one: it
    removes links, never what they point to, like rmtree, but without Python's lock per file — a
    build that pickles its cache meanwhile held it up (the old tree of 10,000 speeches, 67,000
    entries: 7.4 s to remove from a thread). One rm per folder a level down, one per core at a time
    (`xargs -P`), where xargs(1) is there: that tree in 1.8 s instead of 2.6–3.1 s with one rm."""
    try:
        entries = [e for e in os.scandir(tree) if e.name != MARKER]
    except OSError:
        return [], None
    if not entries or (rm := shutil.which("rm")) is None:
        return entries, None
    parts: list[str] = []
    for e in entries:
        try:
            if e.is_dir(follow_symlinks=False):
                with os.scandir(e.path) as inside:
                    parts.extend(c.path for c in inside)
                continue
        except OSError:
            pass
        parts.append(e.path)
    names = b"".join(os.fsencode(p) + b"\0" for p in parts)
    if len(names) > PIPE_BUFFER:  # written whole at once, not to hold this process up
        names = b"".join(os.fsencode(e.path) + b"\0" for e in entries)
    xargs = shutil.which("xargs")
    cmd = [xargs, "-0", "-P", str(max(2, os.cpu_count() or 1)), "-n", "1", rm, "-rf", "--"] \
        if xargs and len(names) <= PIPE_BUFFER else [rm, "-rf", "--", *(e.path for e in entries)]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if cmd[0] == xargs else subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return entries, None
    if proc.stdin is not None:
        with contextlib.suppress(OSError):
            proc.stdin.write(names)
        with contextlib.suppress(OSError):
            proc.stdin.close()
    return entries, proc


PIPE_BUFFER = 60_000  # Linux's pipe holds 64 KiB


def _finish_removal(tree: Path, entries: list[os.DirEntry[str]], rm: subprocess.Popen[bytes] | None) -> None:
    if rm is not None:
        rm.wait()
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)  # what rm left, or all of it without rm
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    with contextlib.suppress(OSError):
        os.unlink(tree / MARKER)
    with contextlib.suppress(OSError):
        os.rmdir(tree)


def remove_later(tree: Path) -> None:
    """Remove an old tree out of sight without holding up a preview's reload. rm is started here,
    not by the thread, which would wait for Python's lock while the build pickles its cache (at
    10,000 speeches 1.5 s); the thread waits for it and removes what is left. A daemon thread: a
    process that exits (or is interrupted) first leaves the rest to the next build's sweep."""
    _Removal(tree).start()


class _Removal(threading.Thread):
    """The removal of one old tree, running beside the build (see `remove_later`)."""

    def __init__(self, tree: Path) -> None:
        super().__init__(name=REMOVER, daemon=True)
        self.tree = tree
        self.entries, self.rm = _start_removal(tree)

    def run(self) -> None:
        _finish_removal(self.tree, self.entries, self.rm)

    def hand_over(self) -> bool:
        """Leave the rest of the removal to a process of its own, which goes on after this one exits;
        the tree is renamed after that process (`.<out>.new-<its pid>-…`) so that a build starting
        meanwhile leaves it alone, and if it dies, the next build's sweep finishes it. False where
        no such process could be started."""
        m = re.fullmatch(rf"\.(.+)\.(?:{'|'.join(KINDS)})-(?:\d+-)?([^/]+)", self.tree.name)
        if not sys.executable:  # an embedded interpreter: no Python to start
            return False
        try:
            child = subprocess.Popen([sys.executable, "-c", _CHILD, str(Path(__file__).resolve().parent.parent)],
                                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True, preexec_fn=lambda: os.nice(10))
        except OSError:
            return False
        if self.rm is not None:  # what it removed stays removed; the new process does the rest
            with contextlib.suppress(OSError):
                self.rm.kill()
        tree = self.tree
        if m:  # an "old" tree becomes a "new" one: never put back as the output (see `sweep`)
            with contextlib.suppress(OSError):
                os.rename(self.tree, tree := self.tree.with_name(f".{m.group(1)}.new-{child.pid}-{m.group(2)}"))
        with contextlib.suppress(OSError):
            child.stdin.write(os.fsencode(tree))  # type: ignore[union-attr]
        with contextlib.suppress(OSError):
            child.stdin.close()  # type: ignore[union-attr]
        return True


# The process a removal is handed over to: it reads the tree's path once the tree bears its pid.
_CHILD = ("import os, sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
          "from edition.swap import remove; tree = sys.stdin.buffer.read(); tree and remove(Path(os.fsdecode(tree)))")
REMOVER = "edition-remove-old-output"


def settle() -> None:
    """Wait until the old trees replaced so far are removed (the threads are found by name: the
    process's list of threads is the only record of them)."""
    for thread in threading.enumerate():
        if thread.name == REMOVER:
            thread.join()


def hand_over() -> None:
    """At the end of a command: the old trees still being removed are left to processes of their
    own, so that the command returns as soon as its output is published (at 10,000 speeches the
    old tree takes 3–4 s to remove on this project's test machine)."""
    for thread in threading.enumerate():
        if isinstance(thread, _Removal) and thread.is_alive() and not thread.hand_over():
            thread.join()
