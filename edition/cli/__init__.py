"""The command line: `build` (default), `check`, `serve`, `new`.

Input: argv. Output: printed diagnostics and progress, and the exit status (0, or 1 on error).
This package is the only one that prints or exits; `new`'s dialogue is in new.py.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import json
import os
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from ..diagnostics import as_json, escaped, format_diagnostic, format_github, is_fatal, source_lines, summary_line
from ..model import EXPORTS_UP_TO
from ..pipeline import Options, Result, build
from ..removal import hand_over
from ..revisions import files_at
from ..swap import sweep
from ..workers import default_jobs
from ..write import folder_id
from .streams import guard


class _Parser(argparse.ArgumentParser):
    """argparse, but a command line it cannot read exits 1 like any other error (the spec's
    statuses are 0 and 1), not argparse's 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="the site repository (default: .)")
    common.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/_site)")
    common.add_argument("--base-url", default=None, help="override base_url of site.yml")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--drafts", action="store_true", help="include speeches marked draft: true")
    common.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the build cache (ROOT/.edition-cache)")
    common.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    common.add_argument("--format", choices=("text", "github", "json"), default="text",
                        help="how problems are printed: text (default), github (Actions annotations), json")
    common.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                        help="processes that render the site (default: one per core; the output is the same)")
    review = argparse.ArgumentParser(add_help=False)
    review.add_argument("--summary", metavar="FILE", default=None,
                        help="append a Markdown summary of what the sources change since --base to FILE "
                             "(- prints it): speeches and pages added, changed, removed, problems, output size")
    review.add_argument("--base", metavar="REV", default="HEAD",
                        help="the git revision the summary compares with (default: HEAD)")
    p = _Parser(prog="build.py", description="Build a bilingual edition of speeches.",
                                parents=[common, review])
    sub = p.add_subparsers(dest="command")
    sub.add_parser("build", parents=[common, review], help="build content/ into _site/ (the default)")
    sub.add_parser("check", parents=[common, review], help="validate everything, write nothing")
    sub.add_parser("clean", parents=[common], help="remove the build cache (ROOT/.edition-cache)")
    serve = sub.add_parser("serve", parents=[common], help="build, serve on 127.0.0.1, rebuild on change")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    new = sub.add_parser("new", parents=[common], help="scaffold content/speeches/<slug>.md")
    new.add_argument("--title", action="append", default=[], metavar="KEY=TEXT",
                     help="the title in one language, e.g. --title 'zh=…' (repeat per language)")
    new.add_argument("--speaker", action="append", default=[], metavar="ID", help="an id of people.yml")
    new.add_argument("--date", help="YYYY-MM-DD")
    new.add_argument("--event", help="an id of events.yml")
    new.add_argument("--original", metavar="KEY", help="the language key of the original")
    new.add_argument("--slug", help="the file name without .md (default: from the date and title)")
    # An option given before the command (`build.py --root X check`) must survive the command's
    # parsing: the commands share the common options' actions, so the defaults move to the top
    # level and a command sets only what is written after it.
    p.set_defaults(**{a.dest: a.default for a in common._actions if a.dest != "help"})
    for action in common._actions:
        if action.dest != "help":
            action.default = argparse.SUPPRESS
    return p


def options(args: argparse.Namespace, theme: Path, write: bool = True) -> Options:
    root = args.root.resolve()
    out = args.out if args.out is not None else root / "_site"
    if not out.is_absolute():
        out = Path.cwd() / out
    jobs = args.jobs if args.jobs is not None else default_jobs()
    return Options(root=root, out=out, theme=theme,  # a site's own theme/ is laid over it (load.py)
                   base_url=args.base_url, strict=args.strict, drafts=args.drafts, write=write,
                   cache=not args.no_cache, jobs=max(1, jobs))


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"`{text}` is not a port: give a number from 1 to 65535")
    return int(text)


def report(result: Result, strict: bool, quiet: bool = False, fmt: str = "text") -> int:
    stream = sys.stderr
    failed = any(is_fatal(d, strict) for d in result.diagnostics)
    if fmt == "json":
        errors = sum(1 for d in result.diagnostics if is_fatal(d, strict))
        print(json.dumps({"ok": not failed, "errors": errors, "warnings": len(result.diagnostics) - errors,
                          "diagnostics": as_json(result.diagnostics, strict)}, ensure_ascii=False, indent=2))
        return 1 if failed else 0
    if fmt == "github":
        for d in result.diagnostics:
            print(format_github(d, strict))
    else:
        texts = source_lines(result.sources.shown(), result.diagnostics) if result.sources else {}
        for d in result.diagnostics:
            print(format_diagnostic(d, texts, strict), file=stream)
            print(file=stream)
    if not quiet or result.diagnostics:
        counts = dict((name, count) for name, count, _ in result.stages)
        parts = [f"{'failed' if failed else 'ok'}: {summary_line(result.diagnostics, strict)}"]
        documents = counts.get("validate", counts.get("unchanged"))  # `unchanged`: as the last build left them
        if documents is not None:
            parts.append(_plural(documents, "document"))
        if "write" in counts:
            parts.append(_plural(counts["write"], "file") + " written")
        parts.append(f"{sum(secs for _, _, secs in result.stages):.2f}s")
        print(" · ".join(parts), file=stream)
        site = result.site
        if site is not None and not site.exports_chosen and not site.exports and not failed:
            print(f"note: above {EXPORTS_UP_TO:,} speeches the downloads (citation files, TEI, JSON, text, "
                  "source, aligned TSV/TMX) are written only when `exports:` in content/site.yml lists them, "
                  "to stay within GitHub Pages' 1 GB; see the README", file=stream)
    return 1 if failed else 0


def entry(theme: Path | None = None) -> NoReturn:
    """The command as a process (build.py, the `edition` script): `main`, then the process ends
    without tearing its heap down — the interpreter's last collection and the freeing of every
    object a build left took 1.1 s after a build of 10,000 speeches. Everything a command writes
    is closed by then (what is left of the old output's removal goes on in a process of its own,
    removal.hand_over), and its output streams are flushed here.
    Not while a thread that Python would wait for still runs (a preview stopped during a build).
    A reader that closes the pipe early (`| head -1`) silences the rest, not the build (streams.py)."""
    sys.stdout, sys.stderr = guard(sys.stdout), guard(sys.stderr)
    code = main(theme=theme)
    main_thread = threading.main_thread().ident
    if any(t.ident != main_thread and not t.daemon for t in threading.enumerate()):
        sys.exit(code)  # a preview's build still running after Ctrl-C: Python waits for it, as it always did
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`), a closed stream
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None, theme: Path | None = None) -> int:
    args = _parser().parse_args(argv)
    # A build holds millions of small long-lived objects (the model, the cache's records), which the
    # cycle collector's default pace (a pass every 700 allocations) walks again and again: about
    # 0.3 s of a 6.5 s warm build of 10,000 speeches that checks every unit. Cycles are still collected.
    gc.set_threshold(200_000, 30, 30)
    theme = theme or Path(__file__).resolve().parents[2] / "theme"  # the repository's, beside the package
    command = args.command or "build"
    if command == "serve":
        from ..serve import serve

        def progress(result: Result, strict: bool) -> int:
            return report(result, strict, args.quiet, args.format)

        # A preview serves the site at the server's root, whatever base_url says (as `hugo server`).
        address = f"[{args.host}]:{args.port}" if ":" in args.host else f"{args.host}:{args.port}"  # IPv6: [::1]
        if args.base_url is None:
            args.base_url = f"http://{address}/"
        if args.out is None:
            args.out = args.root / "_preview"
        if problem := port_problem(args.host, args.port):  # before the first build, not after it
            print(f"serve: error: {problem}", file=sys.stderr)
            return 1
        print(f"serving on http://{address}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
        _sweep_own(args.out)
        try:  # one process: the preview builds in a thread beside the server; fork does not mix with threads
            return serve(replace(options(args, theme), search="later", jobs=1, model=True), host=args.host,
                         port=args.port, report=progress, waiting=None if args.quiet else waiting(args.out))
        except OSError as e:  # taken between the check and the server's start
            print(f"serve: error: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:  # during the first build: once serving, Ctrl-C stops the server (serve.py)
            sweep(args.out, own=True)
            print("interrupted: the preview stopped during its first build", file=sys.stderr)
            return 130
    if command == "clean":
        from ..cache import FOLDER, clean

        removed = clean(args.root.resolve())
        print(f"removed {args.root / FOLDER}" if removed else f"no cache at {args.root / FOLDER}", file=sys.stderr)
        return 0
    if command == "new":
        from .new import new_speech  # its dialogue, apart

        return new_speech(args, options(args, theme, write=False))
    opts = options(args, theme, write=command != "check")
    base = None
    if args.summary is not None:
        opts = replace(opts, model=True)  # the summary names the documents the build published
        if args.summary == "-" and args.format == "json":
            print("build.py: error: --summary -: the JSON goes to standard output; write the summary to a file",
                  file=sys.stderr)
            return 1
        base = files_at(opts.root, args.base)
        if base is None:
            print(f"build.py: error: --base {args.base}: not a commit of the site's git repository "
                  f"({opts.root})", file=sys.stderr)
            return 1
    show = None if args.quiet or args.format != "text" else stage_line
    if opts.write:
        _sweep_own(opts.out)
    before = folder_id(opts.out)
    try:
        result = build(opts, progress=show, waiting=None if args.quiet else waiting(opts.out))
        code = report(result, args.strict, args.quiet, args.format)
        hand_over(opts.out)  # the replaced tree is removed by a process of its own, not waited for
    except KeyboardInterrupt:
        if opts.write:
            sweep(opts.out, own=True)  # this build's temporary folders, wherever it was stopped
        if opts.write and folder_id(opts.out) != before:
            print("interrupted: the new output was already in place and complete", file=sys.stderr)
        else:
            print("interrupted: nothing was written; the previous output is as it was", file=sys.stderr)
        return 130
    if base is not None and not write_summary(args.summary, args.base, base, result, args.strict, opts):
        return 1
    return code


def write_summary(dest: str, rev: str, base: tuple[str, dict[str, str]], result: Result, strict: bool,
                  opts: Options) -> bool:
    """`--summary`: what the pull request publishes, appended to a job summary file or printed."""
    from ..review import summary
    from ..write import append_text, output_size

    built = opts.write and result.written > 0 and not result.failed(strict)
    current = {f.path: f.text for f in result.sources.files} if result.sources else {}  # content/, as at base
    text = summary(rev, base[0], base[1], current, result.edition,
                   result.diagnostics, strict, output_size(opts.out) if built else None)
    if dest == "-":
        print(text, end="")
        return True
    try:
        append_text(Path(dest), text)
    except OSError as e:
        print(f"build.py: error: --summary {dest}: {e.strerror or e}", file=sys.stderr)
        return False
    return True


def _sweep_own(out: Path) -> None:
    """A command that starts has no temporary folder of its own yet: one named after this pid is a
    killed process's that had the same pid (a container's build or preview is pid 1 every time),
    which the build's own sweep takes for this process's and keeps (a preview's search snapshot
    lives as long as the preview)."""
    with contextlib.suppress(OSError):
        sweep(out, own=True)


def port_problem(host: str, port: int) -> str | None:
    """Why the preview could not listen on host:port, or None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        return f"`{escaped(host)}` is not an address to listen on ({e})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            s.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use by another program; choose another with --port"
            return f"cannot listen on {host}:{port}: {e.strerror or e}"
    return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


UNITS = {"wait": "build", "load": "files", "unchanged": "documents", "validate": "documents", "link": "links",
         "terms": "uses", "render": "files", "write": "files", "index": "pages"}


def waiting(out: Path) -> Callable[[], None]:
    """What a build says when another build holds the folder its output is in (outputlock.exclusive): one
    of the same output, or of another output there (a preview's `_preview` beside a CLI's `_site`)."""
    def say() -> None:
        folder = out.absolute().parent.resolve()  # the folder locked, not the path as typed (`../x/_site`)
        print(f"waiting: another build is writing into {folder}/; this one starts when it ends",
              file=sys.stderr, flush=True)
    return say


def stage_line(stage: str, count: int, seconds: float) -> None:
    print(f"  {stage:<9}{count:>7} {UNITS.get(stage, ''):<10}{seconds:>7.2f}s", file=sys.stderr, flush=True)
