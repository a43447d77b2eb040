"""Preview server: build, serve the output on 127.0.0.1 with livereload, rebuild on change.

Input: build `Options`. Output: a running server until interrupted. Rebuilds go through the same
pipeline (a failed build leaves the last good site in place and prints its diagnostics).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from livereload import Server

from .pipeline import Options, Result, build


def serve(opts: Options, host: str, port: int, report: Callable[[Result, bool], int]) -> int:
    status = report(build(opts), opts.strict)
    if status and not opts.out.is_dir():
        return status  # nothing good to serve yet

    def rebuild() -> None:
        report(build(opts), opts.strict)

    server = Server()
    for folder in ("content", "templates", "theme"):
        path = opts.root / folder
        if path.is_dir():
            server.watch(str(path), rebuild, delay=0.3)
    if opts.theme != opts.root / "theme":
        server.watch(str(opts.theme), rebuild, delay=0.3)
    root = str(replace(opts).out)
    server.serve(host=host, port=port, root=root, open_url_delay=None)
    return 0
