"""A real HTTP server on 127.0.0.1 serving a folder of frozen pages (the demo and the tests use it)."""
from __future__ import annotations

import email.utils
import errno
import hashlib
import logging
import mimetypes
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

_log = logging.getLogger(__name__)
# GBK demo pages declare their charset in a meta tag, like the real sites, not in the header;
# the server therefore sends no charset for HTML, which is how most government CMSes behave.
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".jhtml": "text/html",
    ".txt": "text/plain",
    ".xml": "text/xml",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
}


@dataclass
class ServedFile:
    """Bytes the server returns for one path, with validators computed from them."""

    body: bytes
    content_type: str
    etag: str
    last_modified: str


@dataclass
class SiteServer:
    """One folder served on its own port, so each demo site is a distinct host (host:port)."""

    root: Path
    port: int = 0
    overrides: dict[str, bytes] = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)
    full_bodies: Counter = field(default_factory=Counter)
    # HTTP/1.1 connections kept open between requests, as most real web servers do (the benches' servers);
    # off by default, so every test keeps one connection per request.
    keep_alive: bool = False
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT` of the running server."""
        assert self._server is not None, "server not started"
        host = self._server.server_address[0]
        return f"http://{host if isinstance(host, str) else host.decode()}:{self._server.server_port}"

    def start(self) -> SiteServer:
        """Bind 127.0.0.1 (the given port, else an ephemeral one) and serve in a daemon thread."""
        handler = _make_handler(self)
        try:
            self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        except OSError as exc:
            if self.port == 0 or exc.errno != errno.EADDRINUSE:
                raise
            _log.debug("port %d is busy; serving %s on a free port instead", self.port, self.root.name)
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"loopback:{self.root.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down and free its port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def lookup(self, path: str) -> ServedFile | None:
        """The file for a URL path (overrides first), or None for a 404."""
        path = unquote(urlsplit(path).path)
        if path.endswith("/"):
            path += "index.html"
        if path in self.overrides:
            body = self.overrides[path]
            mtime = 0.0
        else:
            target = (self.root / path.lstrip("/")).resolve()
            if self.root.resolve() not in target.parents or not target.is_file():
                return None
            body = target.read_bytes()
            mtime = target.stat().st_mtime
        suffix = Path(path).suffix.lower()
        ctype = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        return ServedFile(body, ctype, etag, email.utils.formatdate(mtime or 0, usegmt=True))


def _make_handler(site: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "fzzf-loopback/1"
        protocol_version = "HTTP/1.1" if site.keep_alive else "HTTP/1.0"
        # Headers and body go out in two writes: on a kept-alive connection Nagle would hold the body back
        # until the client's delayed ACK (40 ms a request).
        disable_nagle_algorithm = site.keep_alive

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            site.hits[path] += 1
            served = site.lookup(self.path)
            if served is None:
                self.send_error(404, "Not Found")
                return
            if self.headers.get("If-None-Match") == served.etag:
                self.send_response(304)
                self.send_header("ETag", served.etag)
                self.end_headers()
                return
            site.full_bodies[path] += 1
            self.send_response(200)
            self.send_header("Content-Type", served.content_type)
            self.send_header("Content-Length", str(len(served.body)))
            self.send_header("ETag", served.etag)
            self.send_header("Last-Modified", served.last_modified)
            self.end_headers()
            self.wfile.write(served.body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature fixed by http.server
            pass

    return Handler


def serve_sites(root: Path, names: list[str] | None = None, base_port: int = 0) -> dict[str, SiteServer]:
    """Start one server per sub-folder of `root` (or the named ones); keys are folder names.

    With `base_port`, folder i (in name order) gets port base_port + i, so URLs stay the same across runs.
    """
    folders = [p for p in sorted(root.iterdir()) if p.is_dir()] if names is None else [root / n for n in names]
    return {f.name: SiteServer(f, port=base_port + i if base_port else 0).start() for i, f in enumerate(folders)}
