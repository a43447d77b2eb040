"""The preview's guard against other web sites: DNS rebinding and cross-site WebSockets.

Input: the address the preview listens on and each request's `Host` and `Origin` headers.
Output: whether to answer. A page on another site can point a name it controls at 127.0.0.1 and
read the preview (unpublished drafts) as its own origin; it cannot make the browser send a `Host`
header other than its own name. So only the preview's own address, `localhost` and IP literals
(which no one can rebind) are answered, on the preview's port, and the live-reload WebSocket is
accepted only from a page of the preview itself. Also: the live-reload script is added to pages
as a script file of the preview (not inline), so that the pages' Content-Security-Policy holds.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import unquote, urlsplit

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from tornado import web


def host_allowed(header: str | None, host: str, port: int) -> bool:
    """Whether a `Host` header (or an Origin's host:port) names this preview."""
    if not header:
        return False
    try:
        parts = urlsplit(f"//{header}")
        name, given = parts.hostname, parts.port
    except ValueError:
        return False
    if name is None or (given or 80) != port:
        return False
    if name in ("localhost", host.lower().strip("[]")):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def origin_allowed(origin: str | None, host: str, port: int) -> bool:
    """Whether a WebSocket's `Origin` is a page of this preview (no Origin: not a browser)."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme == "http" and host_allowed(parts.netloc, host, port)


class Guarded(web.RequestHandler):
    """A handler that answers only requests addressed to the preview (403 otherwise)."""

    listen: tuple[str, int] = ("127.0.0.1", 0)

    def prepare(self) -> Any:
        host, port = self.listen
        if not host_allowed(self.request.headers.get("Host"), host, port):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("403: this preview answers only requests for its own address (Host header refused)\n")
            return None
        if "\x00" in unquote(self.request.path):  # no file's name holds one (the file lookup raised: a 500)
            self.set_status(400)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("400: a NUL character in the path\n")
            return None
        return super().prepare()


class _Socket(LiveReloadHandler):
    listen: tuple[str, int] = ("127.0.0.1", 0)

    async def get(self, *args: Any, **kwargs: Any) -> None:
        # Tornado asks check_origin only when Origin and Host differ; a rebound name makes them agree.
        host, port = self.listen
        if not host_allowed(self.request.headers.get("Host"), host, port):
            self.set_status(403)
            self.finish("403: this preview answers only requests for its own address (Host header refused)\n")
            return
        await super().get(*args, **kwargs)

    def check_origin(self, origin: str) -> bool:
        host, port = self.listen
        return origin_allowed(origin, host, port)


class _Injector(web.OutputTransform):
    """livereload's injector, with a script file in place of its inline script."""

    script = b""  # set per server: the port is in the query, where livereload.js looks for it

    def transform_first_chunk(self, status_code: int, headers: Any, chunk: bytes, finishing: bool
                              ) -> tuple[int, Any, bytes]:
        if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
            chunk = chunk.replace(b"</head>", self.script + b"</head>", 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(self.script))
        return status_code, headers, chunk


class GuardedServer(Server):
    """livereload's Server with every handler guarded and the live script served as a file."""

    def application(self, port: int, host: str, liveport: int | None = None, debug: bool | None = None,
                    live_css: bool = True) -> None:
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        listen = {"listen": (host, port)}
        socket = type("Socket", (_Socket,), listen)
        js = type("Script", (Guarded, LiveReloadJSHandler), listen)
        force = type("Force", (Guarded, ForceReloadHandler), listen)
        files = type("Files", (Guarded, self.SFH), listen)
        handlers = [(r"/livereload", socket), (r"/forcereload", force), (r"/livereload.js", js),
                    (r"/(.*)", files, {"path": self.root or ".", "default_filename": self.default_filename})]
        tag = f'<script src="/livereload.js?port={port}"></script>'.encode()
        injector = type("Injector", (_Injector,), {"script": tag})
        web.Application(handlers=handlers, debug=False, transforms=[injector]).listen(port, address=host)
