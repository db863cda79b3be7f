"""A loopback HTTP server that misbehaves on purpose, one fault per path (for tests and bench/fetch_bench.py)."""
from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK_BODY = "<html><head><meta charset='utf-8'><title>ok</title></head><body><p>正常页面(测试)</p></body></html>".encode()
CHALLENGE_BODY = (b"<html><head><meta charset='utf-8'><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};"
                  b"$_ts.nsd=12345;$_ts.cd='qEhrrrAlrSxtqqqq';</script><script src='/x.js'></script></head></html>")
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
FAULT_PATHS = {
    "/ok": "200 with a small page",
    "/reset": "TCP reset after reading the request",
    "/flaky": "503 with Retry-After: 1 twice, then 200",
    "/always500": "500 on every request",
    "/429": "429 with Retry-After: 3600 on every request",
    "/slow-body": "headers, 10 bytes, then silence longer than the read timeout",
    "/truncated": "Content-Length 1000 but 100 bytes, then close",
    "/challenge": "412 with a $_ts challenge script",
    "/challenge200": "200 with a tiny script-only $_ts page",
    "/redirect-off": "302 to another host (the `other` server)",
    "/redirect-in": "301 to /ok on the same host",
    "/redirect-loop": "302 to itself",
    "/big": "2 MB streamed without Content-Length",
    "/big-declared": "Content-Length of 50 MB",
    "/private/page": "disallowed by robots.txt",
    "/etag": "ETag validator; 304 on If-None-Match",
    "/lastmod": "Last-Modified validator; 304 on If-Modified-Since",
    "/hold": "200 after holding the connection 0.1 s (to observe per-host concurrency)",
}
LAST_MODIFIED = "Wed, 20 Mar 2024 08:00:00 GMT"
HOLD_S = 0.1
SLOW_SILENCE_S = 1.5


class FaultServer:
    """Serve the fault paths on 127.0.0.1; `hits` counts requests per path, `full_bodies` 200 bodies sent."""

    def __init__(self, redirect_target: str = "http://127.0.0.2:9/ok") -> None:
        self.redirect_target = redirect_target
        self.hits: Counter = Counter()
        self.full_bodies: Counter = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        # A short poll interval keeps shutdown (and so each test's teardown) quick.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fault-server", daemon=True)

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def netloc(self) -> str:
        """`127.0.0.1:PORT`, the value for allowed_hosts."""
        return self.base_url.split("://", 1)[1]

    def start(self) -> FaultServer:
        """Serve in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()

    def count(self, path: str) -> int:
        """Thread-safe hit count for one path, returned after incrementing."""
        with self._lock:
            self.hits[path] += 1
            return self.hits[path]


def _handler(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            nth = server.count(path)
            action = getattr(self, "_" + path.strip("/").replace("-", "_").replace("/", "_"), None)
            try:
                if path == "/robots.txt":
                    self._send(200, ROBOTS, "text/plain")
                elif action is None:
                    self._send(404, b"not found", "text/plain")
                else:
                    action(nth)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on purpose (size cap, timeout)

        def _ok(self, nth: int) -> None:
            self._send(200, OK_BODY)

        def _reset(self, nth: int) -> None:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

        def _flaky(self, nth: int) -> None:
            if nth <= 2:
                self._send(503, b"busy", "text/plain", {"Retry-After": "1"})
            else:
                self._send(200, OK_BODY)

        def _always500(self, nth: int) -> None:
            self._send(500, b"error", "text/plain")

        def _429(self, nth: int) -> None:
            self._send(429, b"slow down", "text/plain", {"Retry-After": "3600"})

        def _slow_body(self, nth: int) -> None:
            self._head(200, {"Content-Length": "100", "Content-Type": "text/html"})
            self.wfile.write(b"<html>1234")
            self.wfile.flush()
            time.sleep(SLOW_SILENCE_S)
            self.close_connection = True

        def _truncated(self, nth: int) -> None:
            self._head(200, {"Content-Length": "1000", "Content-Type": "text/html"})
            self.wfile.write(b"x" * 100)
            self.wfile.flush()
            self.close_connection = True

        def _challenge(self, nth: int) -> None:
            self._send(412, CHALLENGE_BODY)

        def _challenge200(self, nth: int) -> None:
            self._send(200, CHALLENGE_BODY)

        def _redirect_off(self, nth: int) -> None:
            self._send(302, b"", "text/plain", {"Location": server.redirect_target})

        def _redirect_in(self, nth: int) -> None:
            self._send(301, b"", "text/plain", {"Location": "/ok"})

        def _redirect_loop(self, nth: int) -> None:
            self._send(302, b"", "text/plain", {"Location": "/redirect-loop"})

        def _big(self, nth: int) -> None:
            self._head(200, {"Content-Type": "text/html", "Connection": "close"})
            self.close_connection = True
            chunk = b"<p>" + b"a" * 65533
            for _ in range(32):
                self.wfile.write(chunk)
                with server._lock:
                    server.full_bodies["/big:chunks"] += 1

        def _big_declared(self, nth: int) -> None:
            self._head(200, {"Content-Length": str(50 * 1024 * 1024), "Content-Type": "text/html"})
            self.close_connection = True

        def _private_page(self, nth: int) -> None:
            self._send(200, OK_BODY)

        def _lastmod(self, nth: int) -> None:
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self._head(304, {"Last-Modified": LAST_MODIFIED, "Content-Length": "0"})
                return
            self._send(200, OK_BODY, extra={"Last-Modified": LAST_MODIFIED})

        def _hold(self, nth: int) -> None:
            with server._lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            time.sleep(HOLD_S)
            with server._lock:
                server.in_flight -= 1
            self._send(200, OK_BODY)

        def _etag(self, nth: int) -> None:
            if self.headers.get("If-None-Match") == '"v1"':
                self._head(304, {"ETag": '"v1"', "Content-Length": "0"})
                return
            self._send(200, OK_BODY, extra={"ETag": '"v1"'})

        def _send(self, status: int, body: bytes, ctype: str = "text/html", extra: dict | None = None) -> None:
            headers = {"Content-Type": ctype, "Content-Length": str(len(body)), **(extra or {})}
            self._head(status, headers)
            self.wfile.write(body)
            if status == 200:
                with server._lock:
                    server.full_bodies[self.path.split("?")[0]] += 1

        def _head(self, status: int, headers: dict) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature fixed by http.server
            pass

    return Handler
