"""robots.txt, fetched once per host and cached for the session (RFC 9309, parsed by protego)."""
from __future__ import annotations

import codecs
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from fzzf.scrapers.records import FetchResult

PARSE_CAP = 512 * 1024  # RFC 9309 2.5: parse at least the first 500 KiB
GZIP_MAGIC = b"\x1f\x8b"
UNREACHABLE = ("tls_error", "timeout", "connection_error")

Getter = Callable[[str, Sequence[str]], FetchResult]


@dataclass(frozen=True)
class RobotsVerdict:
    """May this URL be fetched, and with what Crawl-delay (seconds)."""

    allowed: bool
    reason: str = ""
    crawl_delay: float | None = None
    error: str | None = None  # the network error when robots.txt could not be fetched at all


@dataclass
class _HostRules:
    parser: Protego | None
    unavailable: str = ""
    error: str | None = None


class RobotsCache:
    """Fetches each host's robots.txt once through `get` and answers `check(url)` from the cache.

    Per RFC 9309: up to five redirects are followed (by `get`); a 4xx robots.txt (404 included), or one
    whose redirects lead nowhere usable, means no rules, crawl allowed; a 5xx or an unreachable host
    means the rules are unknown, so the whole host is treated as disallowed for this session (the site
    then ends as robots_denied with the reason; the next run tries again). A gzip-compressed body is
    unpacked, a byte-order mark dropped, and only the first 512 KiB of rules are read.
    """

    def __init__(self, get: Getter, user_agent: str, *, enabled: bool = True) -> None:
        self._get = get
        self._agent = user_agent.split("/")[0]
        self._enabled = enabled
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, _HostRules] = {}
        self.fetched: list[str] = []
        self.results: dict[str, FetchResult] = {}

    def check(self, url: str, allowed: Sequence[str] = ()) -> RobotsVerdict:
        """The verdict for `url`, fetching its host's robots.txt on first use (redirects within `allowed`)."""
        if not self._enabled:
            return RobotsVerdict(True, "robots.txt checks disabled")
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        rules = self._rules_for(key, tuple(allowed) or (parts.netloc.lower(),))
        if rules.parser is None:
            if rules.unavailable:
                return RobotsVerdict(False, rules.unavailable, error=rules.error)
            return RobotsVerdict(True, "no robots.txt")
        if not rules.parser.can_fetch(url, self._agent):
            return RobotsVerdict(False, f"robots.txt disallows {parts.path or '/'} for {self._agent}")
        delay = rules.parser.crawl_delay(self._agent)
        return RobotsVerdict(True, "allowed by robots.txt", float(delay) if delay is not None else None)

    def export(self) -> dict[str, tuple[_HostRules, FetchResult | None]]:
        """Each host's rules and robots.txt fetch, for a cache in another process (see `adopt`)."""
        with self._lock:
            return {key: (rules, self.results.get(key)) for key, rules in self._rules.items()}

    def adopt(self, exported: dict[str, tuple[_HostRules, FetchResult | None]]) -> None:
        """Take over rules another process fetched; hosts this cache already knows keep theirs."""
        with self._lock:
            for key, (rules, result) in exported.items():
                if key not in self._rules:
                    self._rules[key] = rules
                    if result is not None:
                        self.results[key] = result

    def _rules_for(self, key: str, allowed: tuple[str, ...]) -> _HostRules:
        with self._lock:
            if key in self._rules:
                return self._rules[key]
            host_lock = self._host_locks.setdefault(key, threading.Lock())
        with host_lock:  # one fetch per host even when many threads ask at once
            with self._lock:
                if key in self._rules:
                    return self._rules[key]
            rules = self._load(key, allowed)
            with self._lock:
                self._rules[key] = rules
            return rules

    def _load(self, key: str, allowed: tuple[str, ...]) -> _HostRules:
        scheme, netloc = key.split("://", 1)
        robots_url = urlunsplit((scheme, netloc, "/robots.txt", "", ""))
        self.fetched.append(robots_url)
        result = self._get(robots_url, allowed)
        body, result.body = result.body, None  # the fetch log keeps only the metadata; rules are parsed below
        self.results[key] = result
        if result.error in UNREACHABLE:
            return _HostRules(None, f"robots.txt unreachable ({result.error_detail}): host treated as disallowed",
                              result.error)
        if result.status is not None and result.status >= 500:
            return _HostRules(None, f"robots.txt answered HTTP {result.status}: host treated as disallowed")
        if result.status != 200 or body is None:
            return _HostRules(None)  # 4xx, a WAF page, redirects that lead nowhere usable: no rules, crawl allowed
        return _HostRules(Protego.parse(robots_text(body)))


def robots_text(body: bytes) -> str:
    """The rules as text: gzip unpacked (bounded), BOM dropped, the first 512 KiB, UTF-8 with replacement."""
    if body.startswith(GZIP_MAGIC):
        # Some servers send robots.txt gzip-compressed without saying so in Content-Encoding.
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, PARSE_CAP)
        except zlib.error:
            body = b""
    body = body[:PARSE_CAP]
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace")
    return body.decode("utf-8", errors="replace")
