"""robots.txt, fetched once per host and cached for the session (RFC 9309 semantics)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from fzzf.scrapers.records import FetchResult


@dataclass(frozen=True)
class RobotsVerdict:
    """May this URL be fetched, and with what Crawl-delay (seconds)."""

    allowed: bool
    reason: str = ""
    crawl_delay: float | None = None
    error: str | None = None  # the network error when robots.txt could not be fetched at all


@dataclass
class _HostRules:
    parser: RobotFileParser | None
    unavailable: str = ""
    error: str | None = None
    delays: dict[str, float] | None = None


class RobotsCache:
    """Fetches each host's robots.txt once through `get` and answers `check(url)` from the cache.

    Per RFC 9309: a 4xx robots.txt (404 included) means no rules, crawl allowed; a 5xx or an
    unreachable host means the rules are unknown, so the whole host is treated as disallowed for
    this session (the site then ends as robots_denied with the reason; the next run tries again).
    """

    def __init__(self, get: Callable[[str], FetchResult], user_agent: str, *, enabled: bool = True) -> None:
        self._get = get
        self._agent = user_agent.split("/")[0]
        self._enabled = enabled
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, _HostRules] = {}
        self.fetched: list[str] = []
        self.results: dict[str, FetchResult] = {}

    def check(self, url: str) -> RobotsVerdict:
        """The verdict for `url`, fetching its host's robots.txt on first use."""
        if not self._enabled:
            return RobotsVerdict(True, "robots.txt checks disabled")
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        rules = self._rules_for(key)
        if rules.parser is None:
            if rules.unavailable:
                return RobotsVerdict(False, rules.unavailable, error=rules.error)
            return RobotsVerdict(True, "no robots.txt")
        if not rules.parser.can_fetch(self._agent, url):
            return RobotsVerdict(False, f"robots.txt disallows {parts.path or '/'} for {self._agent}")
        delays = rules.delays or {}
        delay = delays.get(self._agent.lower(), delays.get("*"))
        return RobotsVerdict(True, "allowed by robots.txt", delay)

    def _rules_for(self, key: str) -> _HostRules:
        with self._lock:
            if key in self._rules:
                return self._rules[key]
            host_lock = self._host_locks.setdefault(key, threading.Lock())
        with host_lock:  # one fetch per host even when many threads ask at once
            with self._lock:
                if key in self._rules:
                    return self._rules[key]
            rules = self._load(key)
            with self._lock:
                self._rules[key] = rules
            return rules

    def _load(self, key: str) -> _HostRules:
        scheme, netloc = key.split("://", 1)
        robots_url = urlunsplit((scheme, netloc, "/robots.txt", "", ""))
        self.fetched.append(robots_url)
        result = self._get(robots_url)
        body, result.body = result.body, None  # the fetch log keeps only the metadata; rules are parsed below
        self.results[key] = result
        if result.error in ("tls_error", "timeout", "connection_error"):
            return _HostRules(None, f"robots.txt unreachable ({result.error_detail}): host treated as disallowed",
                              result.error)
        if result.status is not None and result.status >= 500:
            return _HostRules(None, f"robots.txt answered HTTP {result.status}: host treated as disallowed")
        if result.status != 200 or body is None:
            return _HostRules(None)  # 4xx, a WAF page or an oversized file: no usable rules, crawl allowed
        lines = body.decode("utf-8", errors="replace").splitlines()
        parser = RobotFileParser(robots_url)
        parser.parse(lines)
        return _HostRules(parser, delays=_crawl_delays(lines))


def _crawl_delays(lines: list[str]) -> dict[str, float]:
    """Crawl-delay per user-agent token; the stdlib parser drops fractional values like 0.5."""
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        elif key in ("allow", "disallow", "crawl-delay", "request-rate"):
            in_rules = True
            if key == "crawl-delay":
                try:
                    delay = float(value)
                except ValueError:
                    continue
                for agent in agents:
                    delays.setdefault(agent, delay)
    return delays
