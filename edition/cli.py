"""The command line: `build` (default), `check`, `serve`, `new`.

Input: argv. Output: printed diagnostics and progress, and the exit status (0, or 1 on error).
The only module that prints or exits.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import format_diagnostic, is_fatal, summary_line
from .pipeline import Options, Result, build


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="the site repository (default: .)")
    common.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/_site)")
    common.add_argument("--base-url", default=None, help="override base_url of site.yml")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--drafts", action="store_true", help="include speeches marked draft: true")
    common.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p = argparse.ArgumentParser(prog="build.py", description="Build a bilingual edition of speeches.",
                                parents=[common])
    sub = p.add_subparsers(dest="command")
    sub.add_parser("build", parents=[common], help="build content/ into _site/ (the default)")
    sub.add_parser("check", parents=[common], help="validate everything, write nothing")
    serve = sub.add_parser("serve", parents=[common], help="build, serve on 127.0.0.1, rebuild on change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    return p


def options(args: argparse.Namespace, theme: Path, write: bool = True) -> Options:
    root = args.root.resolve()
    out = args.out if args.out is not None else root / "_site"
    if not out.is_absolute():
        out = Path.cwd() / out
    site_theme = root / "theme"
    return Options(root=root, out=out, theme=site_theme if site_theme.is_dir() else theme,
                   base_url=args.base_url, strict=args.strict, drafts=args.drafts, write=write)


def report(result: Result, strict: bool, quiet: bool = False, out: object = None) -> int:
    stream = out or sys.stderr
    texts = result.sources.texts() if result.sources else {}
    for d in result.diagnostics:
        print(format_diagnostic(d, texts, strict), file=stream)
        print(file=stream)
    failed = any(is_fatal(d, strict) for d in result.diagnostics)
    if not quiet or result.diagnostics:
        timing = ", ".join(f"{name} {count} in {secs:.2f}s" for name, count, secs in result.stages)
        verdict = "failed" if failed else "ok"
        print(f"{verdict}: {summary_line(result.diagnostics, strict)}" + (f" ({timing})" if timing else ""),
              file=stream)
    return 1 if failed else 0


def main(argv: list[str] | None = None, theme: Path | None = None) -> int:
    args = _parser().parse_args(argv)
    theme = theme or Path(__file__).resolve().parent.parent / "theme"
    command = args.command or "build"
    if command == "serve":
        from .serve import serve

        return serve(options(args, theme), host=args.host, port=args.port, report=report)
    result = build(options(args, theme, write=command != "check"))
    return report(result, args.strict, args.quiet)


if __name__ == "__main__":
    sys.exit(main())
