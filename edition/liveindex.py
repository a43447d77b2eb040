"""The preview's search index: the bundle of a site that is being served, made again in the
background after the builds pause, for the language trees whose pages Pagefind would read
differently since the last time.

Input: the live output folder, its language trees and searchable pages, and the `Snapshot` the
last index left (None at first). Output: the index's result and diagnostics, and the new
`Snapshot`. Pagefind reads a snapshot of the pages (hard links, taken while no build runs), not
the live site: a save while it reads does not give it half of one build and half of the next, and
the next index compares the pages with what this one read (the writer and a first look replace a
file under its name, never write into it, so a link keeps what was read). A tree whose pages all
have the same search input as then (`index.search_input`), and whose bundle is still the one this
index swapped in, keeps it; the others are indexed again (Pagefind rewrites a whole bundle).
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from .cache import stats
from .diagnostics import Diagnostic
from .index import (
    Indexed,
    Indexing,
    bundle_version,
    finish,
    glob,
    pagefind_settings,
    pagefind_version,
    same_input,
    spawn,
)
from .model import SEARCH_BUNDLE
from .swap import remove, temp_dir

PAGES = "pages"  # the snapshot's folder in a temporary sibling of the output


@dataclass(frozen=True)
class Snapshot:
    """What a preview's last index read and wrote: `folder` (a temporary sibling of the output)
    holds links to the pages it read under `pages/`; `bundle`, the stat of each bundle file as it
    was swapped in; `version`, the Pagefind that wrote it."""
    folder: Path
    pages: tuple[str, ...]
    bundle: tuple[tuple[str, tuple[int, int, int, int]], ...]
    version: str | None


def reindex_live(site: Path, keys: tuple[str, ...], swap_lock: AbstractContextManager[object] | None = None,
                 searchable: tuple[str, ...] | None = None, last: Snapshot | None = None
                 ) -> tuple[Indexed | None, list[Diagnostic], Snapshot | None]:
    """Index a site that is being served: the pages are linked aside while holding `swap_lock`
    (the preview holds it while it builds, so a build never sees half a swap and the links are of
    one build), the trees that changed are indexed from there, and the bundle is swapped in under
    the lock again. Returns what was indexed (None, with no diagnostic, when no tree needed it)
    and the snapshot that now describes the live bundle (`last` when nothing was swapped in); the
    caller removes the one it replaces with `drop`."""
    aside = temp_dir(site, "index")
    try:
        with swap_lock or nullcontext():
            pages = _link_pages(site, aside / PAGES, keys, searchable)
        kept = _unchanged(site, aside / PAGES, keys, pages, last)
        if last is not None and set(kept) == set(keys):
            remove(aside)  # nothing Pagefind reads has changed: the live bundle stands
            return None, [], last
        bundle = aside / SEARCH_BUNDLE
        for key in kept:
            _link_bundle(site, bundle, key, last)  # type: ignore[arg-type]  # `kept` is empty without `last`
        fresh = spawn(aside / PAGES, bundle, tuple(k for k in keys if k not in kept), background=True,
                       searchable=searchable)
        result, diags = finish(Indexing(bundle, keys, searchable, fresh.procs, kept))
        if result is None:
            remove(aside)
            return result, diags, last
        with swap_lock or nullcontext():
            live, old = site / SEARCH_BUNDLE, aside / "old"
            if live.exists():
                os.rename(live, old)
            os.rename(bundle, live)
            written = [str(p.relative_to(site)) for p in live.rglob("*") if p.is_file()]
            now = stats(site, written)
        remove(old)
        return result, diags, Snapshot(aside, pages, tuple(sorted(now.items())), pagefind_version())
    except BaseException:
        remove(aside)
        raise


def seed(site: Path, keys: tuple[str, ...], swap_lock: AbstractContextManager[object] | None,
         searchable: tuple[str, ...] | None, published: dict[str, tuple[int, int, int, int]]) -> Snapshot | None:
    """The snapshot of a build that indexed its own pages before it published them (`published`:
    the stat of each file as published), so that the preview's first background index already
    compares: the pages still as published are linked (one replaced since is left out, and its
    tree is indexed again), the bundle is recorded if it is still as published."""
    aside = temp_dir(site, "index")
    try:
        with swap_lock or nullcontext():
            pages = _link_pages(site, aside / PAGES, keys, searchable)
            bundle = {p: st for p, st in published.items()
                      if p.startswith(f"{SEARCH_BUNDLE}/") and not p.endswith("/")}  # not its folders
            live = stats(site, list(bundle))
        kept = stats(aside / PAGES, list(pages))
        pages = tuple(p for p in pages if kept.get(p) is not None and kept[p] == published.get(p))
        version = pagefind_version()
        if not bundle or live != bundle or any(bundle_version(site / SEARCH_BUNDLE / k) != version for k in keys):
            remove(aside)
            return None
        return Snapshot(aside, pages, tuple(sorted(bundle.items())), version)
    except BaseException:
        remove(aside)
        raise


def drop(snapshot: Snapshot | None) -> None:
    """Remove a snapshot that no longer describes the live bundle (or the preview's last one, at exit)."""
    if snapshot is not None:
        remove(snapshot.folder)


def _link_pages(site: Path, into: Path, keys: tuple[str, ...], searchable: tuple[str, ...] | None
                ) -> tuple[str, ...]:
    """Link the pages Pagefind will read (see `index.glob`: the searchable ones, or whole trees)."""
    named = [p for p in searchable or () if any(p.startswith(f"{k}/") for k in keys)]
    wanted: list[str] = []
    for key in keys:
        if glob(key, searchable) == f"{key}/**/*.html":
            wanted += [str(p.relative_to(site)) for p in (site / key).rglob("*.html") if p.is_file()]
        else:
            wanted += [p for p in named if p.startswith(f"{key}/")]
    linked = []
    for path in sorted(set(wanted)):
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / path, target)
        except FileNotFoundError:
            continue  # gone with the build that just landed: the index after it reads the new pages
        linked.append(path)
    return tuple(linked)


def _unchanged(site: Path, pages_dir: Path, keys: tuple[str, ...], pages: tuple[str, ...],
               last: Snapshot | None) -> tuple[str, ...]:
    """The trees whose live bundle is the one `last` swapped in, by this Pagefind, from pages
    with the same search input as `pages` (the same files, or equal by `search_input`)."""
    version = pagefind_version()
    if last is None or version is None or last.version != version or pagefind_settings():
        return ()
    before = set(last.pages)
    bundle = dict(last.bundle)
    now = stats(site, list(bundle))
    found = []
    for key in keys:
        mine = [p for p in pages if p.startswith(f"{key}/")]
        files = [p for p in bundle if p.startswith(f"{SEARCH_BUNDLE}/{key}/")]
        if not mine or set(mine) != {p for p in before if p.startswith(f"{key}/")} or not files \
                or any(now.get(p) != bundle[p] for p in files):
            continue
        old, new = stats(last.folder / PAGES, mine), stats(pages_dir, mine)
        if all((o := old.get(p)) is not None and (o == new.get(p) or same_input(last.folder / PAGES / p, pages_dir / p))
               for p in mine):
            found.append(key)
    return tuple(found)


def _link_bundle(site: Path, bundle: Path, key: str, last: Snapshot) -> None:
    """Link a kept tree's live bundle into the new one; a file that is not the one recorded (the
    live bundle replaced meanwhile) fails the index, which runs again after the next build."""
    recorded = dict(last.bundle)
    for path, st in recorded.items():
        if not path.startswith(f"{SEARCH_BUNDLE}/{key}/"):
            continue
        target = bundle / path[len(SEARCH_BUNDLE) + 1:]
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(site / path, target)
        if stats(bundle, [path[len(SEARCH_BUNDLE) + 1:]]).get(path[len(SEARCH_BUNDLE) + 1:]) != st:
            raise FileNotFoundError(f"{path} changed since it was indexed")
