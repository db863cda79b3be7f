"""A loopback server whose routes a test programs: a hostile site (trickling bodies, odd robots, redirects)."""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Reply:
    """A canned answer: status, headers and body."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def __call__(self, request: BaseHTTPRequestHandler) -> None:
        request.send_response(self.status)
        headers = {"Content-Type": "text/html", "Content-Length": str(len(self.body)), **self.headers}
        for name, value in headers.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(self.body)


def trickle(body: bytes, every_s: float, limit_s: float) -> Handler:
    """A 200 whose body arrives one byte every `every_s` seconds (never tripping a read timeout), for at most `limit_s`."""

    def send(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        stop = time.monotonic() + limit_s
        for byte in body:
            if time.monotonic() > stop:
                return
            try:
                request.wfile.write(bytes([byte]))
                request.wfile.flush()
            except OSError:
                return  # the client hung up: that is what the deadline should do
            time.sleep(every_s)

    return send


def slow_headers(lines: int, every_s: float) -> Handler:
    """A 200 whose header lines arrive one every `every_s` seconds (each resets any read timeout)."""

    def send(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        for i in range(lines):
            try:
                request.send_header(f"X-Slow-{i}", "1")
                request.flush_headers()
            except OSError:
                return  # the client hung up: that is what the deadline should do
            time.sleep(every_s)

    return send


class HostileServer:
    """Serve `routes` (path -> handler) on 127.0.0.1; unknown paths are 404; `hits` counts requests per path."""

    def __init__(self, routes: dict[str, Handler] | None = None) -> None:
        self.routes: dict[str, Handler] = dict(routes or {})
        self.hits: Counter = Counter()
        self.auth_headers: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def netloc(self) -> str:
        """`127.0.0.1:PORT`."""
        return self.base_url.split("//", 1)[1]

    def start(self) -> HostileServer:
        """Serve in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut down and free the port."""
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                path += "index.html" if path.endswith("/") else ""  # as the loopback SiteServer does
                server.hits[path] += 1
                if self.headers.get("Authorization"):
                    server.auth_headers.append(self.headers["Authorization"])
                route = server.routes.get(self.path) or server.routes.get(path)  # exact path?query first
                (route or Reply(404, b"not found"))(self)

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature fixed by http.server
                pass

        return _Handler
