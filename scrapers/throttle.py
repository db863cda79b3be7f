"""Per-host politeness: one request at a time per host, a minimum interval between them, a global in-flight cap."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class HostThrottle:
    """Thread-safe: many hosts proceed in parallel, each single host is served one request at a time.

    A request waits out its host's interval *before* it takes one of the `max_in_flight` global slots, so a
    host that must wait never holds a slot another host could use.
    """

    def __init__(self, min_interval: float, max_in_flight: int | None = None) -> None:
        self.min_interval = min_interval
        self.max_in_flight = max_in_flight
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._next_at: dict[str, float] = {}
        self._interval: dict[str, float] = {}
        self._in_flight = threading.BoundedSemaphore(max_in_flight) if max_in_flight else None

    @contextmanager
    def slot(self, netloc: str) -> Iterator[None]:
        """Hold the host for one request, waiting out its interval since the previous request ended."""
        netloc = netloc.lower()
        with self._lock:
            host_lock = self._host_locks.setdefault(netloc, threading.Lock())
        with host_lock:
            with self._lock:
                wait = self._next_at.get(netloc, 0.0) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if self._in_flight is not None:
                self._in_flight.acquire()
            try:
                yield
            finally:
                if self._in_flight is not None:
                    self._in_flight.release()
                with self._lock:
                    self._next_at[netloc] = time.monotonic() + self._interval.get(netloc, self.min_interval)

    def not_before(self, netloc: str, seconds_from_now: float) -> None:
        """Keep `netloc` idle for at least this long (a host another process just fetched from)."""
        with self._lock:
            key = netloc.lower()
            self._next_at[key] = max(self._next_at.get(key, 0.0), time.monotonic() + seconds_from_now)

    def export(self) -> dict[str, tuple[float, float | None]]:
        """Each host's next allowed moment (time.monotonic, one clock for every process) and raised interval."""
        with self._lock:
            return {host: (at, self._interval.get(host)) for host, at in self._next_at.items()}

    def adopt(self, hosts: dict[str, tuple[float, float | None]]) -> None:
        """Take over what another process's throttle learnt (see `export`): never an earlier moment."""
        with self._lock:
            for host, (at, interval) in hosts.items():
                self._next_at[host] = max(self._next_at.get(host, 0.0), at)
                if interval is not None:
                    self._interval[host] = max(self._interval.get(host, self.min_interval), interval)

    def interval(self, netloc: str) -> float:
        """Seconds kept between two requests to `netloc`."""
        with self._lock:
            return self._interval.get(netloc.lower(), self.min_interval)

    def set_interval(self, netloc: str, seconds: float) -> None:
        """Raise a host's interval (robots.txt Crawl-delay); never below the session minimum."""
        with self._lock:
            self._interval[netloc.lower()] = max(self.min_interval, seconds)
