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
import shutil
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from .bundlefiles import seeds as bundle_seeds
from .cache import stats
from .diagnostics import Diagnostic
from .index import (
    Indexed,
    bundle_version,
    finish,
    glob,
    pagefind_version,
    plant_seeds,
    search_identity,
    spawn,
)
from .model import SEARCH_BUNDLE
from .removal import remove
from .searchinput import same_input
from .swap import swap, temp_dir

PAGES = "pages"  # the snapshot's folder in a temporary sibling of the output


Stat = tuple[int, int, int, int]


@dataclass(frozen=True)
class Snapshot:
    """What a preview's last index read and wrote: `folder` (a temporary sibling of the output)
    holds the pages it read under `pages/` (hard links, or copies where the file system has none),
    each with the stat of the served file it was taken from (None: replaced while it was taken, so
    not known); `bundle`, the stat of each bundle file as it was swapped in; `version`, the
    Pagefind and its settings (`index.search_identity`) that wrote it."""
    folder: Path
    pages: tuple[tuple[str, Stat | None], ...]
    bundle: tuple[tuple[str, Stat], ...]
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
    identity = search_identity()  # before Pagefind starts: what it runs with is what is recorded
    aside = temp_dir(site, "index")
    try:
        with swap_lock or nullcontext():
            pages = _take_pages(site, aside / PAGES, keys, searchable)
        kept = _unchanged(site, aside / PAGES, keys, pages, last, identity)
        if last is not None and set(kept) == set(keys):
            remove(aside)  # nothing Pagefind reads has changed: the live bundle stands
            return None, [], last
        bundle = aside / SEARCH_BUNDLE
        for key in kept:
            _link_bundle(site, bundle, key, last)  # type: ignore[arg-type]  # `kept` is empty without `last`
        again = tuple(k for k in keys if k not in kept)
        # The trees indexed again take over the live bundle's files that Pagefind would write as they are.
        planted = plant_seeds(aside, again, bundle_seeds(site, dict(last.bundle), again)) \
            if last is not None and last.version == identity else frozenset()
        fresh = spawn(aside / PAGES, bundle, again, background=True, searchable=searchable)
        result, diags = finish(replace(fresh, keys=keys, kept=kept, planted=planted))
        if result is None:
            remove(aside)
            return result, diags, last
        with swap_lock or nullcontext():
            # (without the exchange, a search request between the two renames gets a 404)
            live = site / SEARCH_BUNDLE
            old = swap(bundle, live, lambda: aside / "old")
            written = [str(p.relative_to(site)) for p in live.rglob("*") if p.is_file()]
            now = stats(site, written)
        if old is not None:
            remove(old)
        return result, diags, Snapshot(aside, tuple(sorted(pages.items())), tuple(sorted(now.items())), identity)
    except BaseException:
        remove(aside)
        raise


def seed(site: Path, keys: tuple[str, ...], swap_lock: AbstractContextManager[object] | None,
         searchable: tuple[str, ...] | None, published: dict[str, Stat], identity: str | None) -> Snapshot | None:
    """The snapshot of a build that indexed its own pages before it published them (`published`:
    the stat of each file as published; `identity`: the Pagefind and settings it indexed with), so
    that the preview's first background index already compares: the pages still as published are
    taken (one replaced since is left out, and its tree is indexed again), the bundle is recorded
    if it is still as published."""
    aside = temp_dir(site, "index")
    try:
        with swap_lock or nullcontext():
            taken = _take_pages(site, aside / PAGES, keys, searchable)
            bundle = {p: st for p, st in published.items()
                      if p.startswith(f"{SEARCH_BUNDLE}/") and not p.endswith("/")}  # not its folders
            live = stats(site, list(bundle))
        pages = {p: st for p, st in taken.items() if st is not None and st == published.get(p)}
        if not bundle or live != bundle or identity is None or identity != search_identity() \
                or any(bundle_version(site / SEARCH_BUNDLE / k) != pagefind_version() for k in keys):
            remove(aside)
            return None
        return Snapshot(aside, tuple(sorted(pages.items())), tuple(sorted(bundle.items())), identity)
    except BaseException:
        remove(aside)
        raise


def drop(snapshot: Snapshot | None) -> None:
    """Remove a snapshot that no longer describes the live bundle (or the preview's last one, at exit)."""
    if snapshot is not None:
        remove(snapshot.folder)


def _take_pages(site: Path, into: Path, keys: tuple[str, ...], searchable: tuple[str, ...] | None
                ) -> dict[str, Stat | None]:
    """Link (or copy) the pages Pagefind will read (see `index.glob`: the searchable ones, or whole
    trees) into `into`, each with the stat of the file taken: the same before and after, else None
    (a first look, which does not wait for the lock, replaced it meanwhile)."""
    named = [p for p in searchable or () if any(p.startswith(f"{k}/") for k in keys)]
    wanted: list[str] = []
    for key in keys:
        if glob(key, searchable) == f"{key}/**/*.html":
            wanted += [str(p.relative_to(site)) for p in (site / key).rglob("*.html") if p.is_file()]
        else:
            wanted += [p for p in named if p.startswith(f"{key}/")]
    taken: dict[str, Stat | None] = {}
    for path in sorted(set(wanted)):
        before = stats(site, [path]).get(path)
        if before is None or not _take(site / path, into / path):
            continue  # gone with the build that just landed: the index after it reads the new pages
        taken[path] = before if stats(site, [path]).get(path) == before else None
    return taken


def _take(src: Path, dest: Path) -> bool:
    """A hard link, or a copy where the file system has none; False if `src` is gone."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copyfile(src, dest)
        except FileNotFoundError:
            return False
    return True


def _unchanged(site: Path, pages_dir: Path, keys: tuple[str, ...], pages: dict[str, Stat | None],
               last: Snapshot | None, identity: str | None) -> tuple[str, ...]:
    """The trees whose live bundle is the one `last` swapped in, by this Pagefind with the same
    settings, from pages with the same search input as `pages`: taken from the same served file,
    or equal by `search_input` (the two snapshots hold what each index read)."""
    if last is None or identity is None or last.version != identity:
        return ()
    before = dict(last.pages)
    bundle = dict(last.bundle)
    now = stats(site, list(bundle))
    found = []
    for key in keys:
        mine = [p for p in pages if p.startswith(f"{key}/")]
        files = [p for p in bundle if p.startswith(f"{SEARCH_BUNDLE}/{key}/")]
        if not mine or set(mine) != {p for p in before if p.startswith(f"{key}/")} or not files \
                or any(now.get(p) != bundle[p] for p in files):
            continue
        if all((before[p] is not None and before[p] == pages[p])
               or same_input(last.folder / PAGES / p, pages_dir / p) for p in mine):
            found.append(key)
    return tuple(found)


def _link_bundle(site: Path, bundle: Path, key: str, last: Snapshot) -> None:
    """Link (or copy) a kept tree's live bundle into the new one; a file that is not the one
    recorded (the live bundle replaced meanwhile) fails the index, which runs again after the next build."""
    for path, st in last.bundle:
        if not path.startswith(f"{SEARCH_BUNDLE}/{key}/"):
            continue
        if stats(site, [path]).get(path) != st or not _take(site / path, bundle / path[len(SEARCH_BUNDLE) + 1:]) \
                or stats(site, [path]).get(path) != st:
            raise FileNotFoundError(f"{path} changed since it was indexed")
