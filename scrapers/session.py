"""PoliteSession: the one place fzzf talks HTTP (throttling, robots.txt, retries, caps, allowed hosts)."""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies

import requests
from requests.auth import AuthBase
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from fzzf import version
from fzzf.scrapers import inflight
from fzzf.scrapers.hosts import peer_refusal, resolve_host, url_refusal
from fzzf.scrapers.records import FetchResult, KnownPage
from fzzf.scrapers.robots import RobotsCache
from fzzf.scrapers.throttle import HostThrottle
from fzzf.scrapers.waf import looks_like_challenge

RETRY_STATUSES = (429, 500, 502, 503, 504)
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
ROBOTS_CAP = 512 * 1024  # RFC 9309: parse at least the first 500 KiB
RESOLVE_TTL_S = 300.0
# Connection pools kept (one per host, least recently used dropped): a crawl of every host at once keeps
# each host's pool, instead of rebuilding (and reconnecting) one per request past the 32 of the default.
HOST_POOLS = 1024
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

_log = logging.getLogger(__name__)


@dataclass
class SessionStats:
    """Counters a run (or a test) reads back: requests sent, retries, outcomes by error type."""

    requests: int = 0
    retries: int = 0
    outcomes: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def merge(self, other: SessionStats) -> None:
        """Add another session's counts (a fetcher process's)."""
        with self._lock:
            self.requests += other.requests
            self.retries += other.retries
            self.outcomes.update(other.outcomes)

    def __getstate__(self) -> dict:
        return {"requests": self.requests, "retries": self.retries, "outcomes": self.outcomes}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _lock=threading.Lock())

    def add(self, *, requests_: int = 0, retries: int = 0, outcome: str | None = None) -> None:
        """Thread-safe increment."""
        with self._lock:
            self.requests += requests_
            self.retries += retries
            if outcome:
                self.outcomes[outcome] += 1


@dataclass
class Learnt:
    """What a session learnt that the session of another process in the same crawl takes over."""

    hosts: dict[str, tuple[float, float | None]]
    robots: dict
    stats: SessionStats


class _NoCredentials(AuthBase):
    """Never send an Authorization header (no ~/.netrc, no URL userinfo): fzzf reads public pages only."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.pop("Authorization", None)
        return request


def build_user_agent(contact: str | None = None) -> str:
    """fzzf's honest User-Agent; `FZZF_CONTACT` (a URL or mailbox) replaces the project contact."""
    contact = contact or os.environ.get("FZZF_CONTACT")
    if not contact:
        _log.warning("FZZF_CONTACT is not set: site operators see no contact in fzzf's User-Agent")
        return version.USER_AGENT
    return f"fzzf/{version.__version__} (+{contact}; rule-of-law report research crawler)"


class PoliteSession:
    """Thread-safe polite HTTP client; `fetch` never raises for HTTP or network trouble."""

    def __init__(
        self,
        user_agent: str | None = None,
        *,
        min_interval: float = 1.0,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        max_fetch_seconds: float = 180.0,
        max_bytes: int = 30 * 1024 * 1024,
        retries: int = 3,
        backoff_factor: float = 1.0,
        backoff_max: float = 60.0,
        retry_after_cap: float = 120.0,
        max_crawl_delay: float = 60.0,
        max_redirects: int = 5,
        respect_robots: bool = True,
        aliases: dict[str, str] | None = None,
        max_in_flight: int | None = None,
    ) -> None:
        """`aliases` maps a stable base URL to where it is served now (`http://127.0.0.1:18400` -> `...:41523`):
        URLs keep the stable base, only the connection goes elsewhere (the demo, whatever ports are free)."""
        self.user_agent = user_agent or build_user_agent()
        self.max_in_flight = max_in_flight
        # How to build an equal session in a fetcher process (see `settings`).
        self._settings = dict(
            user_agent=self.user_agent, min_interval=min_interval, connect_timeout=connect_timeout,
            read_timeout=read_timeout, max_fetch_seconds=max_fetch_seconds, max_bytes=max_bytes, retries=retries,
            backoff_factor=backoff_factor, backoff_max=backoff_max, retry_after_cap=retry_after_cap,
            max_crawl_delay=max_crawl_delay, max_redirects=max_redirects, respect_robots=respect_robots,
            aliases=dict(aliases or {}), max_in_flight=max_in_flight)
        self.timeout = (connect_timeout, read_timeout)
        self.max_fetch_seconds = max_fetch_seconds
        self.max_bytes = max_bytes
        self.max_crawl_delay = max_crawl_delay
        self.max_redirects = max_redirects
        self.retry_after_cap = retry_after_cap
        self.stats = SessionStats()
        self._retry_local = threading.local()
        self._http = _EnvCachingSession()
        self._http.auth = _NoCredentials()
        self._resolved: dict[str, tuple[float, list[str]]] = {}
        self._resolve_lock = threading.Lock()
        self._proxied_by_host: dict[tuple[str, str], bool] = {}
        self._http.headers.update({"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate",
                                   "Accept": ACCEPT, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
        retry = _counting_retry(self)(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            allowed_methods=frozenset({"GET", "HEAD"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
            redirect=0,
        )
        adapter = inflight.TrackingAdapter(max_retries=retry, pool_connections=HOST_POOLS, pool_maxsize=8)
        self._http.mount("http://", adapter)
        self._http.mount("https://", adapter)
        for stable, actual in (aliases or {}).items():
            if stable.rstrip("/") != actual.rstrip("/"):
                self._http.mount(stable.rstrip("/") + "/", _AliasAdapter(stable, actual, max_retries=retry))
        self.throttle = HostThrottle(min_interval, max_in_flight)
        self.robots = RobotsCache(self._raw_get, self.user_agent, enabled=respect_robots)

    def fetch(
        self,
        url: str,
        *,
        allowed_hosts: tuple[str, ...] | list[str],
        known: KnownPage | None = None,
        revalidate_after: timedelta | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET `url` politely; `known` enables a conditional GET, `revalidate_after` skips fresh archived pages."""
        now = datetime.now(timezone.utc)
        if known is not None and revalidate_after is not None and now - _aware(known.fetched_at) < revalidate_after:
            # Archived report pages rarely change; within the window the archive copy stands in.
            return FetchResult(url=url, final_url=url, status=None, fetched_at=now, sha256=known.sha256,
                               etag=known.etag, last_modified=known.last_modified, from_cache=True)
        try:
            netloc = urlsplit(url).netloc.lower()
            refusal = url_refusal(url, allowed_hosts, self._resolve)
        except ValueError as exc:
            return self._failed(url, url, now, "http_error", f"invalid URL: {exc}")
        if refusal:
            kind = "http_error" if refusal.startswith("invalid URL") else "host_not_allowed"
            return self._failed(url, url, now, kind, f"{refusal} (allowed: {list(allowed_hosts)})")
        verdict = self.robots.check(url, allowed_hosts)
        if not verdict.allowed:
            # An unreachable host shows as its network error (tls_error, timeout ...), not as a robots refusal.
            return self._failed(url, url, now, verdict.error or "robots_denied", verdict.reason)
        if verdict.crawl_delay:
            self.throttle.set_interval(netloc, min(verdict.crawl_delay, self.max_crawl_delay))
        headers = _conditional_headers(known)
        return self._follow(url, headers, allowed_hosts, max_bytes or self.max_bytes, now)

    def settings(self, share: int = 1) -> dict:
        """Keyword arguments for an equal session in another process; `share` processes split the in-flight cap."""
        settings = dict(self._settings)
        if self.max_in_flight and share > 1:
            settings["max_in_flight"] = max(1, self.max_in_flight // share)
        return settings

    def learnt(self) -> Learnt:
        """Hosts' next allowed moments and Crawl-delays, robots.txt rules and request counts (see `adopt`)."""
        return Learnt(self.throttle.export(), self.robots.export(), self.stats)

    def adopt(self, learnt: Learnt) -> None:
        """Take over what a fetcher process's session learnt, so later fetches here keep its hosts' intervals."""
        self.throttle.adopt(learnt.hosts)
        self.robots.adopt(learnt.robots)
        self.stats.merge(learnt.stats)

    def host_interval(self, netloc: str) -> float:
        """Seconds kept between two requests to one host (Crawl-delay raises it)."""
        return self.throttle.interval(netloc)

    def close(self) -> None:
        """Release pooled connections."""
        self._http.close()

    def __enter__(self) -> PoliteSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals -----------------------------------------------------------------------------

    def _follow(self, url: str, headers: dict, allowed: tuple[str, ...] | list[str], cap: int,
                started: datetime, *, truncate: bool = False, record: bool = True) -> FetchResult:
        t0 = time.monotonic()
        deadline = t0 + self.max_fetch_seconds  # one deadline for every hop, retry and body byte
        current = url
        retries = 0
        for _hop in range(self.max_redirects + 1):
            result = self._one_request(url, current, headers, cap, started, allowed, deadline, truncate)
            retries += result.retries
            result.retries = retries
            result.elapsed_s = round(time.monotonic() - t0, 3)
            if result.error or result.status not in REDIRECT_STATUSES:
                if record:
                    self.stats.add(outcome=result.error or str(result.status))
                return result
            location = result.error_detail or ""
            try:
                target = urljoin(current, location)
                refusal = url_refusal(target, allowed, self._resolve)
            except ValueError as exc:  # a Location header that is not a URL
                target, refusal = location, f"invalid Location: {exc}"
            if refusal:
                failed = self._failed(url, target, started, "off_site_redirect", f"{current} → {target}: {refusal}")
                failed.status, failed.elapsed_s, failed.retries = result.status, result.elapsed_s, retries
                return failed
            if time.monotonic() > deadline:
                return self._failed(url, current, started, "timeout", f"not complete after {self.max_fetch_seconds}s")
            current = target
            headers = {}  # validators belong to the original URL, not to where it now points
        return self._failed(url, current, started, "http_error", f"more than {self.max_redirects} redirects")

    def _one_request(self, url: str, current: str, headers: dict, cap: int, started: datetime,
                     allowed: tuple[str, ...] | list[str], deadline: float, truncate: bool) -> FetchResult:
        result = self._attempt(url, current, headers, cap, started, allowed, deadline, truncate)
        retries = getattr(self._retry_local, "count", 0)
        result.retries = retries
        self.stats.add(requests_=1 + retries, retries=retries)
        return result

    def _attempt(self, url: str, current: str, headers: dict, cap: int, started: datetime,
                 allowed: tuple[str, ...] | list[str], deadline: float, truncate: bool) -> FetchResult:
        self._retry_local.count = 0
        self._retry_local.deadline = deadline
        me = threading.get_ident()
        token = None
        try:
            with self.throttle.slot(urlsplit(current).netloc):
                # Armed before the request: headers sent one line at a time must not outlive the deadline either.
                token = inflight.watchdog.arm(deadline, me)
                resp = self._get(current, headers)
                inflight.reading(resp)
                try:
                    # Through a proxy the peer is the proxy, not the site: the resolved-address check stands alone.
                    refusal = None if self._proxied(current) else _peer_check(resp, current, allowed)
                    if refusal:
                        result = self._failed(url, current, started, "host_not_allowed", refusal)
                        result.status = resp.status_code
                        return result
                    return self._read(url, current, resp, cap, started, deadline, truncate)
                finally:
                    resp.close()
        except requests.exceptions.SSLError as exc:
            return self._failed(url, current, started, "tls_error", _short(exc))
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout) as exc:
            return self._failed(url, current, started, "timeout", _short(exc))
        except requests.exceptions.RequestException as exc:
            if time.monotonic() >= deadline:
                return self._failed(url, current, started, "timeout", f"not complete after {self.max_fetch_seconds}s")
            reason = getattr(exc.args[0], "reason", None) if exc.args else None
            kind = "timeout" if "timed out" in str(reason or exc).lower() else "connection_error"
            return self._failed(url, current, started, kind, _short(exc))
        finally:
            if token is not None:
                inflight.watchdog.disarm(token)
            inflight.forget(me)

    def _get(self, url: str, headers: dict[str, str]) -> requests.Response:
        """One GET through requests, without `Session.request`'s per-call merging (a sixth of a loopback fetch's CPU).

        `Session.request` copies the cookie jar, merges hooks and settings and looks for credentials on every
        call; fzzf sends none, and reads the environment once per host (`_EnvCachingSession`). The request is
        prepared here from the session's headers and cookies and sent by `Session.send`, which still stores
        cookies and picks the mounted adapter.
        """
        http = self._http
        request = requests.PreparedRequest()
        request.prepare_method("GET")
        request.prepare_url(url, None)
        request.prepare_headers({**http.headers, **headers})
        request.prepare_cookies(http.cookies)
        request.prepare_body(None, None)
        request.prepare_hooks({})
        http.auth(request)  # _NoCredentials: never an Authorization header
        env = http.merge_environment_settings(url, {}, True, None, None)
        return http.send(request, stream=True, timeout=self.timeout, allow_redirects=False, verify=env["verify"],
                         cert=env["cert"], proxies=env["proxies"])

    def _read(self, url: str, current: str, resp: requests.Response, cap: int, started: datetime,
              deadline: float, truncate: bool = False) -> FetchResult:
        result = FetchResult(
            url=url, final_url=current, status=resp.status_code, fetched_at=started,
            content_type=resp.headers.get("Content-Type"), etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
        )
        if resp.status_code in REDIRECT_STATUSES:
            result.error_detail = resp.headers.get("Location", "")  # consumed by _follow, not an error
            return result
        if resp.status_code == 304:
            return result
        declared = resp.headers.get("Content-Length")
        if not truncate and declared and declared.isdigit() and int(declared) > cap:
            return self._mark(result, "too_large", f"Content-Length {declared} > cap {cap}")
        body = bytearray()
        try:
            for chunk in resp.iter_content(CHUNK):
                body.extend(chunk)
                if time.monotonic() > deadline:
                    return self._mark(result, "timeout", f"body not complete after {self.max_fetch_seconds}s")
                if len(body) > cap:
                    if truncate:
                        del body[cap:]  # robots.txt: the first `cap` bytes are the rules that count
                        break
                    return self._mark(result, "too_large", f"aborted after {len(body)} bytes > cap {cap}")
        except (requests.exceptions.RequestException, OSError, AttributeError, ValueError) as exc:
            # The watchdog shuts the socket under the read at the deadline; anything else is a broken body.
            if time.monotonic() >= deadline:
                return self._mark(result, "timeout", f"body not complete after {self.max_fetch_seconds}s")
            if isinstance(exc, requests.exceptions.ChunkedEncodingError):
                return self._mark(result, "connection_error", f"truncated body after {len(body)} bytes: {_short(exc)}")
            kind = "timeout" if "timed out" in str(exc).lower() else "connection_error"
            return self._mark(result, kind, f"body interrupted after {len(body)} bytes: {_short(exc)}")
        if time.monotonic() >= deadline:  # the watchdog cut the answer short (in its headers or its body)
            return self._mark(result, "timeout", f"not complete after {self.max_fetch_seconds}s")
        raw = bytes(body)
        result.size_bytes = len(raw)
        if resp.status_code == 412 or looks_like_challenge(raw):
            return self._mark(result, "waf_challenge", f"HTTP {resp.status_code}, {len(raw)} bytes of challenge script")
        if resp.status_code != 200:
            return self._mark(result, "http_error", f"HTTP {resp.status_code}")
        result.body = raw
        result.sha256 = hashlib.sha256(raw).hexdigest()
        return result

    def _raw_get(self, url: str, allowed: tuple[str, ...] | list[str]) -> FetchResult:
        """Used by the robots cache: redirects followed (RFC 9309: five), the first 512 KiB kept, no robots check."""
        now = datetime.now(timezone.utc)
        result = self._follow(url, {}, allowed, ROBOTS_CAP, now, truncate=True, record=False)
        self.stats.add(outcome=f"robots:{result.error or result.status}")
        return result

    def _proxied(self, url: str) -> bool:
        if self._http.proxies:
            return True
        if not self._http.trust_env or not self._http.env_has_proxies:
            return False
        # Like _EnvCachingSession: the environment is read once per scheme and host, not on every request.
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        proxied = self._proxied_by_host.get(key)
        if proxied is None:
            proxied = self._proxied_by_host[key] = bool(requests.utils.get_environ_proxies(url))
        return proxied

    def _resolve(self, host: str) -> list[str]:
        """Addresses of `host`, cached a few minutes so every link does not cost a DNS query."""
        now = time.monotonic()
        with self._resolve_lock:
            cached = self._resolved.get(host)
            if cached and now - cached[0] < RESOLVE_TTL_S:
                return cached[1]
        addresses = resolve_host(host)
        with self._resolve_lock:
            self._resolved[host] = (now, addresses)
        return addresses

    def _failed(self, url: str, final_url: str, when: datetime, error: str, detail: str) -> FetchResult:
        return FetchResult(url=url, final_url=final_url, status=None, fetched_at=when, error=error,
                           error_detail=detail)

    @staticmethod
    def _mark(result: FetchResult, error: str, detail: str) -> FetchResult:
        result.error, result.error_detail, result.body = error, detail, None
        return result


class _AliasAdapter(inflight.TrackingAdapter):
    """Sends requests for a stable base URL to the address that serves it now; the response keeps the stable URL."""

    def __init__(self, stable: str, actual: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._stable, self._actual = stable.rstrip("/"), actual.rstrip("/")

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:  # type: ignore[override]
        """Connect to the actual address."""
        stable_url = request.url or ""
        request.url = self._actual + stable_url[len(self._stable):]
        response = super().send(request, **kwargs)
        response.url = request.url = stable_url
        return response


def _peer_check(resp: requests.Response, url: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    """Refuse a response whose connection reached an internal address (DNS answered differently at connect)."""
    sock = inflight.socket_of(resp)
    if sock is None:
        return None
    try:
        address = sock.getpeername()[0]
    except OSError:
        return None
    parts = urlsplit(url)
    return peer_refusal(parts.hostname or "", parts.port, parts.scheme, address, allowed)


class _EnvCachingSession(requests.Session):
    """Reads proxy/CA settings from the environment once per scheme and host, not on every request.

    With no proxy variable set when the session is made (the usual night), once per scheme: no host differs then.
    """

    def __init__(self) -> None:
        super().__init__()
        self._env_cache: dict[tuple, dict] = {}
        self._env_lock = threading.Lock()
        # requests' get_environ_proxies answers {} for every URL when the environment names no proxy; asking it
        # per host cost ~0.45 ms twice per host (`_proxied` too), 7 % of a loopback host's 12 requests.
        self.env_has_proxies = bool(getproxies())

    def merge_environment_settings(self, url, proxies, stream, verify, cert):  # type: ignore[override]
        if proxies:  # per-request proxies are rare here; take requests' own path
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc if self.env_has_proxies else "", stream, verify, cert)
        with self._env_lock:
            cached = self._env_cache.get(key)
        if cached is None:
            # requests' version walks os.environ and no_proxy on every call: ~15 % of a loopback fetch's CPU.
            cached = super().merge_environment_settings(url, proxies, stream, verify, cert)
            with self._env_lock:
                self._env_cache[key] = cached
        return {**cached, "proxies": dict(cached["proxies"])}


def _counting_retry(session: PoliteSession) -> type[Retry]:
    """A Retry subclass that caps Retry-After and counts retries per thread for this session."""

    class _Retry(Retry):
        def get_retry_after(self, response):  # type: ignore[override]
            value = super().get_retry_after(response)
            # A hostile or confused server may ask for hours; never sleep longer than the cap.
            return None if value is None else min(value, _Retry.cap)

        def increment(self, method=None, url=None, *args, **kwargs):  # type: ignore[override]
            deadline = getattr(session._retry_local, "deadline", None)
            if deadline is not None and time.monotonic() >= deadline:
                # Past the whole-fetch deadline: no retry, however many are left.
                raise MaxRetryError(kwargs.get("_pool"), url or "", kwargs.get("error"))
            new = super().increment(method, url, *args, **kwargs)
            session._retry_local.count = getattr(session._retry_local, "count", 0) + 1
            return new

    _Retry.cap = session.retry_after_cap
    return _Retry


def _conditional_headers(known: KnownPage | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if known is not None:
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
    return headers


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _short(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 300 else text[:297] + "..."
