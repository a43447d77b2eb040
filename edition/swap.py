"""The writer's temporary folders and the swap that publishes a staged tree.

Input: the output folder. Output: temporary siblings named after the process that made them
(`.<out>.new-<pid>-…`, `.<out>.old-<pid>-…`, `.<out>.index-<pid>-…`), so that the next build
removes those of a process that is gone (killed with -9, a crash, a power cut), and those whose
remover is gone (`.<out>.gone-…`, removal.py); and the swap,
done with one `renameat2(RENAME_EXCHANGE)` where the kernel and file system have it (the output
folder never stops existing), otherwise with two renames, the old tree restored if the second
fails or, after a kill between the two, by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path

from .removal import GONE, MARKER, marked, remove, remove_later, unlocked

RENAME_EXCHANGE = 2  # from <linux/fs.h>
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
AT_FDCWD = -100
KINDS = ("new", "old", "index", GONE)
# In every folder the writer makes (the output, its temporary siblings): a folder without it is
# never removed or replaced, whatever its name (a user's `._site.old-photos`).
MARKER_TEXT = "This folder is written by edition; it is replaced on every build.\n"


def temp_dir(out: Path, kind: str) -> Path:
    """A new temporary sibling of `out` holding only the marker, readable (a served site must be)."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{kind}-{os.getpid()}-", dir=out.parent))
    os.chmod(tmp, 0o755)
    (tmp / MARKER).write_text(MARKER_TEXT)
    return tmp


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
    try:  # a killed build not yet reaped (a container whose first process reaps no child) is gone
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rpartition(b")")[2].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
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
        if owner and marked(p) and \
                (unlocked(p) if owner[0] == GONE else
                 owner[1] is None or (own and owner[1] == os.getpid()) or not _alive(owner[1])):
            stale.append((owner[0], p))
    if not out.exists():
        old = [p for kind, p in stale if kind == "old"]
        if old:
            newest = max(old, key=lambda p: p.stat().st_mtime_ns)
            os.rename(newest, out)
            stale = [(k, p) for k, p in stale if p != newest]
    for kind, p in stale:
        remove(p, lock=kind == GONE, wait=False)  # a remover that took the lock since goes on alone
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


def swap(new: Path, out: Path, aside: Callable[[], Path]) -> Path | None:
    """Put the folder `new` in place of `out`: one exchange where the kernel and file system can,
    else two renames through the free name `aside()` gives, `out` put back if the second fails.
    Returns where the tree `out` held now is (None: there was none)."""
    if not out.exists():
        os.rename(new, out)
        return None
    if exchange(new, out):
        return new  # it now holds the old tree
    old = aside()
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    return old


def publish_tree(new: Path, out: Path) -> None:
    """Make the staged tree `new` the output `out`; the old tree is removed in the background."""
    old = swap(new, out, lambda: _free_name(out))
    if old is not None:
        remove_later(old)


def _free_name(out: Path) -> Path:
    """A name for the old tree that the sweep knows (`.<out>.old-…`): after a kill between the two
    renames of a swap, the next build puts that tree back."""
    old = temp_dir(out, "old")
    os.remove(old / MARKER)
    os.rmdir(old)  # only its name was wanted: the old tree (which holds the marker) moves there
    return old


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
