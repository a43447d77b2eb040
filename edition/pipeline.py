"""The build, as a table of contents: load → validate → link → render → write.

Input: `Options` (site root, output folder, flags). Output: `Result` with every diagnostic of the
run, the sources (to show offending lines) and the counts and timings of each stage. Nothing is
written when any stage reported an error (or a warning under --strict).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, error, is_fatal, sort_key
from .link import link
from .load import load
from .model import Sources
from .render import render
from .validate import ValidationFailed, validate
from .write import OutputRefused, check_output, write


@dataclass(frozen=True)
class Options:
    root: Path
    out: Path
    theme: Path
    base_url: str | None = None
    strict: bool = False
    drafts: bool = False
    write: bool = True  # False for `check`


@dataclass(frozen=True)
class Result:
    diagnostics: tuple[Diagnostic, ...]
    sources: Sources | None
    written: int = 0
    stages: tuple[tuple[str, int, float], ...] = field(default=())  # (stage, count, seconds)

    def failed(self, strict: bool) -> bool:
        return any(is_fatal(d, strict) for d in self.diagnostics)


def build(opts: Options) -> Result:
    stages: list[tuple[str, int, float]] = []
    diags: list[Diagnostic] = []
    clock = time.perf_counter()

    def done(stage: str, count: int) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages.append((stage, count, now - clock))
        clock = now

    def result(written: int = 0) -> Result:
        return Result(tuple(sorted(set(diags), key=sort_key)), sources, written, tuple(stages))

    if opts.write:
        try:
            check_output(opts.out, opts.root)
        except OutputRefused as e:
            diags.append(error(str(opts.out), 0, 0, "output-refused", str(e),
                               "pass --out with an empty folder or one edition wrote before"))
            sources = None
            return result()

    sources = load(opts.root, opts.theme)
    done("load", len(sources.files))
    try:
        edition = validate(sources, drafts=opts.drafts, base_url=opts.base_url)
    except ValidationFailed as e:
        diags.extend(e.diagnostics)
        return result()
    diags.extend(edition.diagnostics)
    done("validate", len(edition.speeches) + len(edition.pages))

    linked = link(edition)
    diags.extend(linked.diagnostics)
    done("link", len(linked.targets))
    if any(is_fatal(d, opts.strict) for d in diags):
        return result()

    rendered = render(linked, sources.template_dirs, sources.static)
    diags.extend(rendered.diagnostics)
    done("render", len(rendered.files))
    if any(is_fatal(d, opts.strict) for d in diags) or not opts.write:
        return result()

    written = write(rendered, opts.out, opts.root)
    done("write", written)
    return result(written)
