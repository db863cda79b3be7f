"""Connections in flight, by thread: the whole-fetch watchdog cuts one still waiting for headers or body bytes.

A server that sends its status line and then one header line every few seconds never trips a read timeout
(each line resets it) and `requests` returns no response object until the last header arrives, so a
watchdog on the response alone cannot bound it. The adapter here records the connection a thread sends
its request on, before any byte of the answer is read.

One watchdog thread serves every fetch's deadline (a timer thread per request cost more CPU than the
request itself on a loopback crawl of 200 hosts).
"""
from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import ProxyManager

_lock = threading.Lock()
# thread id -> the connection its request went out on, then the response being read (which owns the socket
# once http.client hands it over: a connection that will close drops its own `sock`).
_by_thread: dict[int, HTTPConnection | requests.Response] = {}


def _record(conn: HTTPConnection) -> None:
    with _lock:
        _by_thread[threading.get_ident()] = conn


def reading(resp: requests.Response) -> None:
    """The calling thread now reads `resp`'s body: cut that socket at the deadline."""
    with _lock:
        _by_thread[threading.get_ident()] = resp


def forget(thread_id: int) -> None:
    """The thread's fetch is over: its connection is no longer one to cut."""
    with _lock:
        _by_thread.pop(thread_id, None)


def cut(thread_id: int) -> None:
    """Shut the socket `thread_id` is sending on or reading from, so its blocked read returns now."""
    with _lock:
        held = _by_thread.get(thread_id)
    sock = socket_of(held) if isinstance(held, requests.Response) else getattr(held, "sock", None)
    if isinstance(sock, socket.socket):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def socket_of(resp: requests.Response) -> socket.socket | None:
    """The socket a response reads from, while it reads."""
    raw = getattr(resp, "raw", None)
    conn = getattr(raw, "_connection", None)
    sock = getattr(conn, "sock", None)
    if sock is None:  # released connection: reach the socket through the http.client response
        fp = getattr(getattr(raw, "_fp", None), "fp", None)
        sock = getattr(getattr(fp, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


class _TrackedHTTPConnection(HTTPConnection):
    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        _record(self)
        return super().request(*args, **kwargs)


class _TrackedHTTPSConnection(HTTPSConnection):
    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        _record(self)
        return super().request(*args, **kwargs)


class _TrackedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _TrackedHTTPConnection


class _TrackedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedHTTPSConnection


class TrackingAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections record themselves per thread when a request is sent on them."""

    def init_poolmanager(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Pools of tracked connections."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}

    def proxy_manager_for(self, proxy, **proxy_kwargs):  # type: ignore[no-untyped-def]
        """Through an HTTP proxy too (a SOCKS manager keeps its own pools: only its body phase is cut)."""
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is ProxyManager:
            manager.pool_classes_by_scheme = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}
        return manager


class Watchdog:
    """One daemon thread that cuts each armed fetch still running at its deadline (see `cut`)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._armed: dict[int, int] = {}  # token -> thread id; disarmed tokens stay in the heap until popped
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, deadline: float, thread_id: int) -> int:
        """Cut `thread_id`'s connection at `deadline` (time.monotonic) unless disarmed first; returns a token."""
        with self._cond:
            token = next(self._tokens)
            self._armed[token] = thread_id
            earliest = self._heap[0][0] if self._heap else None
            heapq.heappush(self._heap, (deadline, token))
            if len(self._heap) > 2 * len(self._armed) + 1024:  # drop the disarmed entries in one pass
                self._heap = [e for e in self._heap if e[1] in self._armed]
                heapq.heapify(self._heap)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fzzf-watchdog", daemon=True)
                self._thread.start()
            elif earliest is None or deadline < earliest:
                self._cond.notify()  # deadlines mostly come in rising order: the sleeper rarely needs a nudge
        return token

    def disarm(self, token: int) -> None:
        """The fetch is over; once this returns its connection is never cut by this token."""
        with self._cond:
            self._armed.pop(token, None)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][1] not in self._armed or self._heap[0][0] <= now):
                    _, token = heapq.heappop(self._heap)
                    thread_id = self._armed.pop(token, None)
                    if thread_id is not None:
                        cut(thread_id)  # under the lock: a fetch that disarmed first is never cut
                self._cond.wait(self._heap[0][0] - now if self._heap else None)


watchdog = Watchdog()
