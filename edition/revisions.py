"""Revisions: each speech's and page's commits, read from the site repository's git history.

Input: the site root and the paths of its speeches and pages. Output: `(path, revisions)` pairs,
newest first, and at most one diagnostic. Called by the loader (a reader of the file system, as
the loader is); a site that is not a git checkout, or a machine without git, gets no revisions:
nothing is invented.

Revisions are true or absent. A shallow clone (`git clone --depth N`, and `actions/checkout`
unless told `fetch-depth: 0`) cuts history at a boundary commit that looks as if it had created
every file; a file whose history reaches that boundary gets no revisions at all, and one warning
names the cause and the fix. Only commits that change a file count for it, and a rename keeps its
history: one `git log` pass with rename detection gives what `git log --follow FILE` gives for each
file (a process per file would take minutes for thousands of speeches).

`files_at` reads the sources as they are at another revision: what a pull request's summary
compares with (edition/review.py).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from .diagnostics import Diagnostic, warning
from .model import Revision
from .textcheck import FORBIDDEN

FOLDERS = ("content/speeches", "content/pages")
PER_FILE = 10  # the newest commits shown for a file
SHOWN = 5  # file names a warning lists before "and N more"

Revisions = tuple[tuple[str, tuple[Revision, ...]], ...]


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def _boundary(root: Path) -> frozenset[str] | None:
    """The full hashes at which a shallow clone's history is cut; empty for a full clone; None
    when git cannot read the repository."""
    out = _git(root, "rev-parse", "--is-shallow-repository", "--git-path", "shallow")
    if out is None:
        return None
    shallow, _, path = out.partition("\n")
    if shallow.strip() != "true":
        return frozenset()
    try:
        text = (root / path.strip()).read_text(encoding="ascii")
    except OSError:
        return None
    return frozenset(text.split())


def revisions(root: Path, paths: Iterable[str], per_file: int = PER_FILE) -> tuple[Revisions, tuple[Diagnostic, ...]]:
    """The revisions of each of `paths` (relative to the root, forward slashes) that has any.
    Only the site repository's own history counts: a site folder nested in another repository (a
    test fixture, a monorepo) is not described by that repository's log."""
    wanted = sorted(p for p in paths if p.startswith(tuple(f + "/" for f in FOLDERS)))
    if not wanted or not (root / ".git").exists():
        return (), ()
    boundary = _boundary(root)
    if boundary is None:
        return (), ()
    # Whatever the user's git configuration: the root (or boundary) commit lists its files, no colour,
    # no signature lines in the output.
    log = _git(root, "-c", "log.showRoot=true", "log", "-z", "--no-color", "--no-show-signature", "--name-status",
               "-M", "--format=%x1e%H%x1f%h%x1f%as", "--", *FOLDERS)
    if log is None:
        return (), ()
    found, cut = walk(log, wanted, boundary, per_file)
    # The subjects are read apart, each as long as git says: a subject can hold any character,
    # the log's separators too (one was a traceback, or a forged revision).
    subjects = _subjects(root, sorted({r.message for p in wanted for r in found[p]}))
    found = {p: [replace(r, message=subjects.get(r.message, "")) for r in revs] for p, revs in found.items()}
    shown = tuple((p, tuple(found[p])) for p in wanted if found[p] and p not in cut)
    return shown, _shallow_warning(sorted(cut), len(wanted))


def walk(log: str, wanted: list[str], boundary: frozenset[str], per_file: int
         ) -> tuple[dict[str, list[Revision]], set[str]]:
    """Read `git log -z --name-status -M` newest first, following each wanted file back through
    its renames. Returns each file's revisions and the files whose history reaches the boundary."""
    # The name a file had at the point the walk has reached -> the current files it became (a
    # name can be two files' past: one renamed away, another later created under the old name).
    follow: dict[str, set[str]] = {p: {p} for p in wanted}
    found: dict[str, list[Revision]] = {p: [] for p in wanted}
    cut: set[str] = set()
    for record in log.split("\x1e")[1:]:
        head, *changes = record.split("\0")
        full, short, date = head.split("\x1f", 2)
        tokens = [t.lstrip("\n") for t in changes]
        touched: set[str] = set()
        moves: list[tuple[str, str]] = []
        i = 0
        while i < len(tokens):
            status = tokens[i]
            if not status:
                i += 1
                continue
            if status[0] in "RC":
                old, new = tokens[i + 1], tokens[i + 2]
                i += 3
                touched.add(new)
                if status[0] == "R":  # the old name is gone in this commit: it touched that path too
                    touched.add(old)
                    moves.append((old, new))
            else:
                touched.add(tokens[i + 1])
                i += 2
        for current in sorted(set().union(*(follow.get(name, ()) for name in touched))):
            if full in boundary:
                cut.add(current)  # the clone's first commit, not this file's revision
            elif len(found[current]) < per_file and (day := _day(date)) is not None:
                found[current].append(Revision(day, full, short))  # the message: the full hash, until read
        for old, new in moves:  # older commits know the file by its old name
            if new in follow:
                follow.setdefault(old, set()).update(follow.pop(new))
    return found, cut


def _day(text: str) -> dt.date | None:
    """A commit's date, or None for one Python cannot hold (a commit can say it is from year 10000)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _subjects(root: Path, commits: list[str]) -> dict[str, str]:
    """The subject (first line of the message) of each commit, read from the commit objects
    themselves (size-prefixed: nothing in a message can put the answers out of step)."""
    out = {}
    for commit, (kind, body) in zip(commits, _objects(root, commits) or [], strict=False):
        if kind == b"commit":
            message = body.decode("utf-8", errors="replace").partition("\n\n")[2]
            subject = " ".join(message.strip().split("\n\n")[0].split())  # as git's %s: the first paragraph
            # A commit message is no source to report on, but XML and pages cannot carry its controls.
            out[commit] = FORBIDDEN.sub("\ufffd", subject)
    return out


def _objects(root: Path, names: list[str]) -> list[tuple[bytes, bytes]] | None:
    """The type and content of each object named (`<rev>:<path>` or a hash), from one `git cat-file
    --batch` (b"" for one that is missing); None when git cannot answer."""
    if not names:
        return []
    try:
        proc = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], capture_output=True, timeout=120,
                              input="".join(f"{n}\n" for n in names).encode())
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    out, data, at = [], proc.stdout, 0
    for _ in names:  # each answer: "<oid> <type> <size>\n<bytes>\n", or "<what> missing\n"
        end = data.find(b"\n", at)
        head = data[at:end].split() if end >= 0 else []
        if len(head) != 3 or not head[2].isdigit():
            out.append((b"", b""))
            at = end + 1
            continue
        size = int(head[2])
        out.append((head[1], data[end + 1:end + 1 + size]))
        at = end + 1 + size + 1
    return out


def _shallow_warning(cut: list[str], total: int) -> tuple[Diagnostic, ...]:
    if not cut:
        return ()
    names = ", ".join(cut[:SHOWN]) + (f" and {len(cut) - SHOWN} more" if len(cut) > SHOWN else "")
    return (warning("content", 0, 0, "shallow-clone",
                    f"the repository is a shallow clone: the history of {len(cut)} of {total} "
                    f"{'speech or page' if total == 1 else 'speeches and pages'} "
                    f"is cut off ({names}), so they show no revisions rather than the clone's first commit as "
                    "their last revision",
                    "fetch the full history (`git fetch --unshallow`); in a GitHub Actions workflow, give "
                    "actions/checkout `fetch-depth: 0`"),)


def files_at(root: Path, rev: str) -> tuple[str, dict[str, str]] | None:
    """The site's sources as they are at `rev` (a pull request's base): its abbreviated commit and
    the text of each data file, speech and page (undecodable bytes replaced); None when `rev` is not
    a commit of the site's repository."""
    if not (root / ".git").exists() or rev.startswith("-"):
        return None
    commit = _git(root, "rev-parse", "--verify", "--quiet", "--short", f"{rev}^{{commit}}")
    listing = _git(root, "ls-tree", "-r", "-z", "--name-only", f"{rev}^{{commit}}", "--", "content")
    if commit is None or listing is None:
        return None
    # A name with a line break cannot be asked of `cat-file --batch` (one name a line), nor be a slug.
    names = [n for n in listing.split("\0") if _is_source(n) and "\n" not in n and "\r" not in n]
    if not names:
        return commit.strip(), {}
    objects = _objects(root, [f"{rev}^{{commit}}:{n}" for n in names])
    if objects is None:
        return None
    texts = {name: blob.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
             for name, (kind, blob) in zip(names, objects, strict=True) if kind == b"blob"}
    return commit.strip(), texts


def _is_source(path: str) -> bool:
    """A file the loader reads: content/*.yml, content/speeches/*.md, content/pages/*.md."""
    parts = path.split("/")
    return (len(parts) == 2 and parts[1].endswith(".yml")) or \
        (len(parts) == 3 and parts[1] in ("speeches", "pages") and parts[2].endswith(".md"))
