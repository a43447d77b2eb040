"""Index: the search bundle of a staged site, made by Pagefind's extended build (the one that
segments Chinese, so that two- and four-character words are found).

Input: a written (staged or live) site folder. Output: `Indexed` (pages per language, bundle
size) and diagnostics; the bundle is written to <site>/pagefind/. Pages say what is indexed with
data-pagefind-* attributes: the page language's text of each speech (the other text where the
page language's is missing), its title, filters and sort keys. `start` runs Pagefind in the
background (a build starts it once the pages it reads are staged, beside the rest of rendering);
`finish` waits for it and checks the bundle. A tree whose pages Pagefind would read as the last
build's were (`unchanged_trees`) keeps that build's bundle: Pagefind rewrites a whole bundle for
one page, so after one edit only the edited language's tree is indexed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

from . import indexcheck
from .bundlefiles import plant, settle
from .cache import stats
from .diagnostics import Diagnostic, error
from .model import SEARCH_BUNDLE
from .searchinput import same_input
from .swap import die_with_parent


@dataclass(frozen=True)
class Indexed:
    pages: tuple[tuple[str, int], ...]  # (language, pages indexed)
    bundle_bytes: int


MAX_NAMED = 200  # pages named one by one in a glob; beyond, the whole tree is read
SPEECH_PAGE = re.compile(r"speeches/[^/]+/index\.html")
GLOB_SPECIAL = re.compile(r"[*?\[\]{},\\!]")


def glob(key: str, searchable: tuple[str, ...] | None) -> str:
    """The pages of a tree Pagefind reads: those the renderer found a search body in (every speech
    page, and any page a site's template gives one), so that it does not parse the list and term
    pages it would not index. Without that list, or when no page of the tree has a body (Pagefind
    then indexes whole pages), or when too many pages would have to be named: the whole tree."""
    whole = f"{key}/**/*.html"
    names: set[str] = set()
    for path in searchable or ():
        if path.startswith(f"{key}/"):
            rest = path[len(key) + 1:]
            if GLOB_SPECIAL.search(rest):
                return whole
            names.add("speeches/*/index.html" if SPEECH_PAGE.fullmatch(rest) else rest)
    if not names or len(names) > MAX_NAMED:
        return whole
    return f"{key}/{{{','.join(sorted(names))}}}" if len(names) > 1 else f"{key}/{names.pop()}"


@dataclass(frozen=True)
class Indexing:
    """Pagefind at work on a site: one process per language tree, started by `start`, ended by
    `finish` (or `cancel`). `searchable`: the pages it was given (see `glob`)."""
    output: Path
    keys: tuple[str, ...]
    searchable: tuple[str, ...] | None
    procs: tuple[subprocess.Popen[str], ...]  # one per tree of `keys` not `kept`
    kept: tuple[str, ...] = ()  # trees whose last bundle was linked in, not indexed again
    planted: frozenset[str] = frozenset()  # the last bundle's files it indexes over (bundlefiles)
    site: Path | None = None  # the pages it reads, to index a tree again from nothing
    background: bool = False


def reads_only(keys: tuple[str, ...], searchable: tuple[str, ...]) -> bool:
    """Pagefind would read only the `searchable` pages of every tree (not whole trees, which may
    still be being written): so it may start before the rest of the site is made."""
    return all(glob(key, searchable) != f"{key}/**/*.html" for key in keys)


def spawn(site: Path, output: Path, keys: tuple[str, ...], background: bool = False,
           searchable: tuple[str, ...] | None = None) -> Indexing:
    """One bundle per language tree (`output/<key>/`): a page loads its own language's, and can
    merge another's, which Pagefind allows only from another bundle. `background`: at the lowest
    CPU priority (a preview's, so that the next save's page is not held up by the index).
    `searchable`: the pages with a search body (see `glob`)."""
    dies = die_with_parent()

    def preexec() -> None:
        if dies is not None:
            dies()
        if background:
            os.nice(19)
    # The language trees are indexed side by side: one process each, as many as there are cores.
    # `-P` (`-I` before 3.11): nothing is imported from the working folder (a `shutil.py` there).
    safe = "-P" if sys.version_info >= (3, 11) else "-I"
    procs = tuple(subprocess.Popen([sys.executable, safe, "-m", "pagefind", "--site", str(site), "--glob",
                                    glob(key, searchable), "--output-path", str(output / key), "--silent"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   preexec_fn=preexec)
                  for key in keys)
    return Indexing(output, keys, searchable, procs, site=site, background=background)


def cancel(running: Indexing) -> None:
    """Stop an indexing whose result will not be used (a build that failed, or pages that changed
    after it started); its half-written bundle goes with the staged site."""
    for proc in running.procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def finish(running: Indexing) -> tuple[Indexed | None, list[Diagnostic]]:
    """Wait for an indexing and check what it wrote."""
    output, keys = running.output, running.keys
    pages: list[tuple[str, int]] = []
    problems: list[Diagnostic] = []
    verified: list[Path] = []
    indexed = [k for k in keys if k not in running.kept]
    # The files taken over are read while Pagefind runs (it skips a name that exists: they stay as they are).
    planted = {key: frozenset(p[len(f"{SEARCH_BUNDLE}/{key}/"):] for p in running.planted
                              if p.startswith(f"{SEARCH_BUNDLE}/{key}/")) for key in indexed}
    known = {key: indexcheck.read_ahead([output / key / p for p in sorted(planted[key])]) for key in indexed}
    for key, proc in zip(indexed, running.procs, strict=True):
        log, _ = proc.communicate()
        code, bundle = proc.returncode, output / key
        if planted[key] and code == 0:
            given = None if glob(key, running.searchable) == f"{key}/**/*.html" else \
                frozenset(url(p) for p in running.searchable or () if p.startswith(f"{key}/"))
            if settle(bundle, planted[key], given, known[key]):
                verified.append(bundle)
            else:  # a file taken over under a name the new index gave to other content: from nothing
                shutil.rmtree(bundle, ignore_errors=True)
                again = spawn(running.site or output.parent, output, (key,), running.background,
                              running.searchable).procs[0]
                log, _ = again.communicate()
                code = again.returncode
        if code != 0 or not (bundle / "pagefind-entry.json").is_file():
            detail = log.strip().splitlines()
            problems.append(error("pagefind", 0, 0, "search-index", f"the search index of /{key}/ could not be built"
                                  + (f": {detail[-1]}" if detail else ""),
                                  "reinstall the project (`pip install -e .`), which brings pagefind[extended]"))
    if not problems:
        # Pagefind exits 0 even when its writes failed: check what it wrote before it is used.
        damaged = indexcheck.problems([output / key for key in keys],
                                      (*(output / key for key in running.kept), *verified))
        problems += [error("pagefind", 0, 0, "search-index", f"the search index is incomplete: {d}",
                           "is the disk full, or a file size limit set? Free space and build again; "
                           "the previous output is as it was") for d in damaged]
    if problems:
        return None, problems
    for key in keys:
        entry = json.loads((output / key / "pagefind-entry.json").read_text())
        pages += [(lang, info.get("page_count", 0)) for lang, info in entry.get("languages", {}).items()]
    size = sum(p.stat().st_size for p in indexcheck.files(output))
    return Indexed(tuple(sorted(pages)), size), []


def start(site: Path, keys: tuple[str, ...], searchable: tuple[str, ...] | None = None,
          kept: tuple[str, ...] = (), seeds: tuple[Path, list[str]] | None = None) -> Indexing:
    """Start indexing a staged site in place (it is not visible yet, so nothing needs swapping):
    the build goes on rendering what the index does not read meanwhile (pipeline.py). The trees
    `kept` are not indexed: their last bundle (`unchanged_trees`) is the caller's to link in.
    `seeds`: the last output and its bundle files a tree indexed again may take over (bundlefiles)."""
    if kept:
        for key in keys:
            if key not in kept:
                shutil.rmtree(site / SEARCH_BUNDLE / key, ignore_errors=True)
    else:
        shutil.rmtree(site / SEARCH_BUNDLE, ignore_errors=True)  # a bundle carried over from the last build
    indexed = tuple(k for k in keys if k not in kept)
    planted = plant_seeds(site, indexed, seeds) if seeds is not None else frozenset()
    fresh = spawn(site, site / SEARCH_BUNDLE, indexed, searchable=searchable)
    return replace(fresh, keys=keys, kept=kept, planted=planted)


def plant_seeds(dest: Path, indexed: tuple[str, ...], seeds: tuple[Path, list[str]]) -> frozenset[str]:
    """Link the `seeds` (the last output, and paths in it) of the trees `indexed` into the same
    paths under `dest`, before Pagefind starts there; returns the paths linked."""
    src, paths = seeds
    mine = [p for p in paths if p.startswith(tuple(f"{SEARCH_BUNDLE}/{k}/" for k in indexed))]
    return frozenset(p for p, linked in zip(mine, plant(src, dest, mine), strict=True) if linked)


def url(page: str) -> str:
    """The URL Pagefind gives a page of the site it reads."""
    return "/" + page.removesuffix("index.html")


def unchanged_trees(keys: tuple[str, ...], searchable: tuple[str, ...], before: tuple[str, ...],
                    made: set[str], out: Path, staged: Path, tree: dict[str, tuple[int, int, int, int]]
                    ) -> tuple[str, ...]:
    """The language trees whose search bundle in `out` (as the last build published it: `tree`,
    read by `before`, its pages with a search body) is what Pagefind would write for the staged
    site: this Pagefind's, from the same pages, each either kept (not `made` again) or made again
    with the same search input (`search_input`) as the page it replaces, which is as the last
    build wrote it (the caller knows that bundle was made with the same `search_identity`).
    Pagefind's output is not byte-reproducible (its filter and meta files), but it is the same
    index. Any doubt, and the tree is indexed again."""
    version = pagefind_version()
    if version is None:
        return ()
    bundle = SEARCH_BUNDLE + "/"
    now = stats(out, [p for p in tree if p.startswith(bundle) or p in made])
    found = []
    for key in keys:
        pages = {p for p in searchable if p.startswith(f"{key}/")}
        files = [p for p in tree if p.startswith(f"{bundle}{key}/") and not p.endswith("/")]  # not its folders
        if not pages or pages != {p for p in before if p.startswith(f"{key}/")} or not files \
                or any(now.get(p) != tree[p] for p in files) or bundle_version(out / bundle / key) != version:
            continue
        if all(p not in made or (now.get(p) == tree.get(p) and same_input(out / p, staged / p)) for p in pages):
            found.append(key)
    return tuple(found)


def pagefind_version() -> str | None:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return None


SETTINGS_FILES = tuple(f"pagefind.{ext}" for ext in ("yml", "yaml", "toml", "json"))


BINARIES = ("pagefind_bin_extended", "pagefind_bin")  # what `python -m pagefind` runs, in its order


def search_identity() -> str | None:
    """The installed Pagefind — its package, the binary packages it runs, the binary a
    `PAGEFIND_BINARY_PATH` or the PATH names, each by its stat — and the settings it would read of
    its own (`PAGEFIND_*` variables, a settings file in the working folder): a bundle is kept only
    for the same (None: no Pagefind, or a settings file that cannot be read)."""
    version = pagefind_version()
    if version is None:
        return None
    h = hashlib.sha256()
    for package in BINARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(f"\0{package}={metadata.version(package)}".encode())
    for binary in (os.environ.get("PAGEFIND_BINARY_PATH"), shutil.which("pagefind_extended"), shutil.which("pagefind")):
        with contextlib.suppress(OSError, ValueError):
            st = os.stat(binary) if binary else None
            h.update(f"\0{binary}:{st and (st.st_size, st.st_mtime_ns, st.st_ino)}".encode("utf-8", "surrogateescape"))
    for name, value in sorted(os.environ.items()):
        if name.startswith("PAGEFIND_"):
            h.update(f"\0{name}={value}".encode("utf-8", "surrogateescape"))
    for name in SETTINGS_FILES:
        try:
            data = Path(name).read_bytes()
        except FileNotFoundError:
            continue
        except OSError:
            return None
        h.update(f"\0{name}\0{len(data)}\0".encode())
        h.update(data)
    return f"{version} {h.hexdigest()[:16]}"


def bundle_version(bundle: Path) -> str | None:
    try:
        return str(json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def index(site: Path, keys: tuple[str, ...], searchable: tuple[str, ...] | None = None
          ) -> tuple[Indexed | None, list[Diagnostic]]:
    """Index a staged site in place."""
    return finish(start(site, keys, searchable))
