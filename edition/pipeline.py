"""The build, as a table of contents: load → validate → link → terms → render → write → index
(the index starts beside the end of render, once the pages it reads are made).

Input: `Options` (site root, output folder, flags). Output: `Result` with every diagnostic of the
run, the sources (to show offending lines) and the counts and timings of each stage. Nothing is
written when any stage reported an error (or a warning under --strict).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from .bundlefiles import seeds as bundle_seeds
from .cache import Cache, stats
from .cachefile import Finished, Output
from .diagnostics import Diagnostic, error, is_fatal, sort_key
from .index import Indexing, cancel, finish, index, reads_only, search_identity, start, unchanged_trees
from .inplace import update
from .link import link
from .load import load
from .model import SEARCH_BUNDLE, Edition, Linked, OutputFile, Rendered, Site, Sources
from .outputlock import exclusive
from .render import MEMO_FILES, memo_from, render
from .stagefolders import ahead, prune, stop
from .terms import terms
from .uptodate import inputs_digest, unchanged
from .validate import ValidationFailed, validate
from .write import (
    MARKER,
    OutputRefused,
    check_output,
    discard,
    fill_stage,
    folder_id,
    link_kept,
    listing,
    open_stage,
    output_failed,
    publish,
    put,
    read_back,
    sweep,
)


@dataclass(frozen=True)
class Options:
    root: Path
    out: Path
    theme: Path
    base_url: str | None = None
    strict: bool = False
    drafts: bool = False
    write: bool = True  # False for `check`
    # "now": index the staged site before it is published; "later": publish with the last search
    # bundle and let the caller re-index (a preview, so that a reload is not held up by it).
    search: str = "now"
    # Keep what a build derives in ROOT/.edition-cache for the next one (the CLI's default; see cache.py).
    cache: bool = False
    jobs: int = 1  # processes that parse and render: the CLI gives one per core
    model: bool = False  # the caller reads the model (Result.edition, .linked) even when nothing changed


@dataclass(frozen=True)
class Result:
    diagnostics: tuple[Diagnostic, ...]
    sources: Sources | None
    written: int = 0
    stages: tuple[tuple[str, int, float], ...] = field(default=())  # (stage, count, seconds)
    # What a preview's next build may reuse: the last good edition, link table and site.
    edition: Edition | None = field(default=None, repr=False)
    linked: Linked | None = field(default=None, repr=False)
    rendered: Rendered | None = field(default=None, repr=False)
    cache: Cache | None = field(default=None, repr=False, compare=False)
    site: Site | None = field(default=None, repr=False)  # the settings, also when the model was not derived
    # The stat of each file this build published, when it indexed them itself (a preview's first
    # build): what its background index compares the next pages with (liveindex.seed).
    indexed_tree: dict[str, tuple[int, int, int, int]] | None = field(default=None, repr=False, compare=False)
    indexed_with: str | None = None  # the Pagefind and settings that made its bundle (index.search_identity)
    output: tuple[int, int] | None = None  # the output folder it left (write.folder_id)

    def failed(self, strict: bool) -> bool:
        return any(is_fatal(d, strict) for d in self.diagnostics)


def read(opts: Options) -> tuple[Edition | None, tuple[Diagnostic, ...], Sources]:
    """Load and validate only: what `new` needs to know of the site (its people, events, languages)."""
    sources = load(opts.root, opts.theme)
    try:
        edition = validate(sources, drafts=True, base_url=opts.base_url)
    except ValidationFailed as e:
        return None, e.diagnostics, sources
    return edition, edition.diagnostics, sources


def build(opts: Options, previous: Result | None = None,
          progress: Callable[[str, int, float], None] | None = None,
          waiting: Callable[[], None] | None = None, stopping: threading.Event | None = None) -> Result:
    """Run the pipeline. What an earlier build derived — `previous`, the last build of a preview
    session, or the cache folder (`opts.cache`) — lets unchanged documents skip validation and
    units whose inputs did not change skip rendering; the output is the same either way.
    A build that writes waits first for any other build of its output to end (`exclusive`, which
    calls `waiting` as the wait begins, and gives up once `stopping` is set); the wait is its first
    stage."""
    with exclusive(opts.out, waiting, stopping) if opts.write else nullcontext(0.0) as waited:
        if waited and progress:
            progress("wait", 1, waited)
        if previous is not None and opts.write and previous.output != folder_id(opts.out):
            previous = replace(previous, rendered=None)  # another build published there since: not ours to update
        done = _build(opts, previous, progress)
        if waited:  # in the stages, so that the total a build reports is the time it took
            done = replace(done, stages=(("wait", 1, waited), *done.stages))
        return replace(done, output=folder_id(opts.out)) if opts.write else done


def _build(opts: Options, previous: Result | None,
           progress: Callable[[str, int, float], None] | None) -> Result:
    stages: list[tuple[str, int, float]] = []
    diags: list[Diagnostic] = []
    clock = time.perf_counter()

    def done(stage: str, count: int) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages.append((stage, count, now - clock))
        if progress:
            progress(stage, count, now - clock)
        clock = now

    def result(written: int = 0, edition: Edition | None = None, linked: Linked | None = None,
               rendered: Rendered | None = None) -> Result:
        return Result(tuple(sorted(set(diags), key=sort_key)), sources, written, tuple(stages),
                      edition, linked, rendered, cache, edition.site if edition else None)

    def finished(inputs: str, tree: dict[str, tuple[int, int, int, int]], indexed: str | None) -> Finished:
        assert edition is not None
        return Finished(inputs, tree, tuple(sorted(set(diags), key=sort_key)),
                        len(edition.speeches) + len(edition.pages), edition.site, indexed)

    if opts.write:
        try:
            check_output(opts.out, opts.root)
            sweep(opts.out.resolve())  # a killed build's leftovers; its old tree back if it lost it
        except OutputRefused as e:
            diags.append(error(str(opts.out), 0, 0, "output-refused", str(e),
                               "pass --out with an empty folder or one edition wrote before"))
        except OSError as e:
            diags.append(output_failed(opts.out, e))
        if diags:  # nothing will be written; the sources are still checked, so that all is said at once
            opts = replace(opts, write=False)
    cache = previous.cache if previous and previous.cache else \
        Cache.open(opts.root, opts.theme, disk=opts.cache and opts.write)

    sources = load(opts.root, opts.theme)
    done("load", len(sources.files))
    # A build that reads exactly what the last one published read, into the output as that build
    # left it, would make that output again: its diagnostics are said again and nothing is derived.
    # Every build that publishes a whole site records what it read (a preview's rebuild, which
    # replaces files in place, removes the record instead).
    inputs = inputs_digest(sources, (opts.root, opts.theme, opts.base_url, opts.drafts)) \
        if opts.write and cache.disk and previous is None else None
    identity = search_identity() if opts.search == "now" else None  # a bundle made otherwise is made again
    if inputs is not None and not opts.model and (last_run := cache.finished(opts.out)) is not None \
            and last_run.inputs == inputs \
            and (opts.search != "now" or (identity is not None and last_run.indexed == identity
                                          and (opts.out / SEARCH_BUNDLE).is_dir())) \
            and unchanged(opts.out, last_run.tree, opts.search):
        diags.extend(last_run.diagnostics)
        done("unchanged", last_run.documents)
        if not any(is_fatal(d, opts.strict) for d in diags):
            done("write", 0)
        return replace(result(), site=last_run.site)
    cache.begin()
    try:
        edition = validate(sources, drafts=opts.drafts, base_url=opts.base_url,
                           parsed=cache, jobs=opts.jobs)
    except ValidationFailed as e:
        diags.extend(e.diagnostics)
        return result()
    diags.extend(edition.diagnostics)
    done("validate", len(edition.speeches) + len(edition.pages))

    linked = link(edition, cache)
    diags.extend(linked.diagnostics)
    done("link", len(linked.targets))
    checked = terms(linked, jobs=opts.jobs)
    diags.extend(checked.diagnostics[len(linked.diagnostics):])
    linked = checked
    done("terms", len(linked.concordance))
    if any(is_fatal(d, opts.strict) for d in diags):
        return result(edition=edition)  # valid documents (a pull request's summary names them)

    # What the output folder holds: the last build of this session, else the cache's record of it,
    # whose files are used only while they are as that build wrote them.
    last: Output | None = None
    usable = None
    if previous and previous.rendered:
        units = previous.rendered.units
    else:
        last = cache.output(opts.out) if opts.write and (opts.out / MARKER).is_file() else None
        units = last.units if last else ()
        if last is not None:
            now = stats(opts.out, list(last.stats))
            usable = lambda r: all(now.get(p) == last.stats.get(p) for p, _ in r.files)  # noqa: E731
            # The compressed downloads still as that build wrote them give back its memo (render.memo_from).
            if "memo" not in cache.session:
                cache.session["memo"] = memo_from(partial(read_back, opts.out, {
                    p: now[p] for p in MEMO_FILES if p in now and now[p] == last.stats.get(p)}))
    # From here on only the `.md` export reads the source texts (and the diagnostics, which quote
    # their lines): without that export, the render workers need not inherit every text of the edition.
    texts = sources.texts() if "source" in edition.site.exports else {}
    if not texts:
        quoted = {d.path for d in diags}
        sources = replace(sources, files=tuple(f for f in sources.files if f.path in quoted
                                               or not f.path.startswith(("content/speeches/", "content/pages/"))))
    # A build's renderer streams each file into the staged site from the worker that made it; the
    # site is invisible until published. A preview's rebuild and `check` keep the files in memory.
    preview = opts.search == "later" and previous is not None and previous.rendered is not None \
        and opts.out.is_dir()
    try:
        staged = open_stage(opts.out, opts.root) if opts.write and not preview else None
    except (OSError, OutputRefused) as e:  # a full disk, a read-only folder, a file size limit
        diags.append(output_failed(opts.out, e))
        return result(edition=edition)
    # The search index starts as soon as the pages it reads are in the staged site, and runs
    # beside the rest of the render stage (render's `searched`).
    early: list[tuple[Indexing, frozenset[str]]] = []

    def searched(kept: tuple[str, ...], searchable: tuple[str, ...]) -> None:
        if staged is not None and reads_only(edition.site.keys, searchable):
            pages = set(searchable)  # the kept pages it reads; their units' other files later
            linked = tuple(p for p in kept if p in pages)
            same: tuple[str, ...] = ()
            # A tree Pagefind (the same, with the same settings) would index as it did: its bundle.
            if last is not None and identity is not None and last.indexed == identity:
                before = tuple(p for r in last.units for p in r.searchable)
                same = unchanged_trees(edition.site.keys, searchable, before, pages - set(linked), opts.out,
                                       staged, last.tree)
            # The pages of the trees indexed again first, then, while Pagefind runs, those of the trees
            # whose bundle is kept, and that bundle (at 10,000 speeches: 20,000 links that held it up 2.5 s).
            kept_trees = tuple(f"{k}/" for k in same)
            link_kept(staged, opts.out, [p for p in linked if not p.startswith(kept_trees)])
            # The trees indexed again take over the last bundle's files that Pagefind would write as they are.
            again = tuple(k for k in edition.site.keys if k not in same)
            seeds = bundle_seeds(opts.out.resolve(), last.tree, again) \
                if last is not None and identity is not None and last.indexed == identity else None
            indexing = start(staged, edition.site.keys, searchable, same, seeds)
            early.append((indexing, frozenset(linked)))
            link_kept(staged, opts.out, [p for p in linked if p.startswith(kept_trees)])
            bundles = tuple(f"{SEARCH_BUNDLE}/{k}" for k in kept_trees)
            link_kept(staged, opts.out, [p for p in last.tree if p.startswith(bundles) and not p.endswith("/")]
                      if last is not None and same else [])

    # The staged site's folders, made by a process of their own while render checks the units.
    folders = ahead(staged, last.tree, SEARCH_BUNDLE, [dest for _, dest in sources.static]) \
        if staged is not None and last is not None else None

    def abandon() -> None:  # the index and the folders first: nothing may write into a folder being removed
        while early:
            cancel(early.pop()[0])
        stop(folders)
        if staged is not None:
            discard(staged)
    try:
        sink = partial(put, staged) if staged is not None else None if opts.write else _nowhere
        rendered, cache.known = render(linked, sources.template_dirs, sources.static, texts, units,
                                       usable, cache.known, cache.fields, cache.session, sources.theme_digest,
                                       sources.root, sink=sink, jobs=opts.jobs,
                                       searched=searched if staged is not None and opts.search == "now" else None)
        diags.extend(rendered.diagnostics)
        done("render", len(rendered.made))
        if any(is_fatal(d, opts.strict) for d in diags) or not opts.write:
            abandon()
            return result(edition=edition)
        cache.prune()

        copied = [dest for _, dest in rendered.copies]
        if staged is None:  # a preview's rebuild: the changed files only, each replaced whole (inplace.update)
            cache.forget_finished(opts.out)
            written = update(rendered, opts.out, opts.root, previous.rendered)  # type: ignore[union-attr]
            done("write", written)
            return result(written, edition, linked, rendered)
        # (the static files too, as that build copied them: one deleted or edited by hand is copied again)
        if last is not None and not rendered.made and {*rendered.kept, *copied} == set(last.stats) \
                and all(now.get(p) == last.stats[p] for p in copied) and last.copies == sources.theme_digest \
                and (opts.search != "now" or (identity is not None and last.indexed == identity)) \
                and (opts.search != "now" or (opts.out / SEARCH_BUNDLE).is_dir()) \
                and unchanged(opts.out, last.tree, opts.search):
            abandon()
            done("write", 0)  # nothing changed: the output is already what this build would write
            if inputs is not None:
                cache.put_finished(opts.out, finished(inputs, last.tree, last.indexed))
            return replace(result(0, edition, linked, rendered), indexed_tree=last.tree if identity else None,
                           indexed_with=identity)
        fill_stage(rendered, staged, opts.out, (SEARCH_BUNDLE,) if opts.search == "later" else (),
                   early[0][1] if early else frozenset())
        prune(staged, folders, (*rendered.kept, *rendered.made, *copied))
        written = len(rendered.made) + len(rendered.copies)
        done("write", written)
        packed = cache.pack_units(rendered.units)  # while the index is made
        # What the build publishes, listed while Pagefind runs but for the bundle it is writing.
        pages = listing(staged, skip=SEARCH_BUNDLE) if opts.search == "now" else None
        if opts.search == "now":
            # The early index read the right pages unless a page other than a speech's holds a
            # search body (a site's template): then it is made again from the whole site.
            if early and early[0][0].searchable == rendered.searchable:
                indexed, problems = finish(early.pop()[0])
            else:
                while early:
                    cancel(early.pop()[0])
                indexed, problems = index(staged, edition.site.keys, rendered.searchable)
            diags.extend(problems)
            done("index", sum(n for _, n in indexed.pages) if indexed else 0)
            if problems:
                abandon()
                return result(edition=edition)
        tree = listing(staged) if pages is None else pages | listing(staged, within=SEARCH_BUNDLE)
        made = {p: tree[p] for p in (*rendered.kept, *rendered.made, *copied) if p in tree}
        cache.forget_finished(opts.out)
        publish(staged, opts.out)
    except OSError as e:  # a full disk, a file size limit, while writing or publishing
        abandon()
        diags.append(output_failed(opts.out, e))
        return result(edition=edition)
    except BaseException:
        abandon()
        raise
    cache.put_output(opts.out, Output(rendered.units, made, sources.theme_digest, identity, tree), packed)
    if inputs is not None:
        cache.put_finished(opts.out, finished(inputs, tree, identity))
    return replace(result(written, edition, linked, rendered), indexed_tree=tree if identity else None,
                   indexed_with=identity)


def _nowhere(files: tuple[OutputFile, ...]) -> None:
    """The sink of `check`: the files are made (so templates are checked), then dropped."""
