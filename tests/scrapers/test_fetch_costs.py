"""Per-request costs a crawl of many hosts pays: one watchdog thread, kept pools, the environment read once."""
from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import requests
from urllib3.connection import HTTPConnection

from fzzf.loopback import SiteServer
from fzzf.scrapers import inflight
from fzzf.scrapers.crawl import crawl_sites
from fzzf.scrapers.session import PoliteSession
from tests.scrapers.conftest import FAST
from tests.support.simsites import LIST_PATH, build_site, sites_for


def test_watchdog_cuts_only_what_is_still_armed_at_its_deadline(monkeypatch):
    cuts: list[int] = []
    monkeypatch.setattr(inflight, "cut", cuts.append)
    dog = inflight.Watchdog()
    now = time.monotonic()
    dog.arm(now + 0.05, 1)
    dog.arm(now + 30, 2)
    early = dog.arm(now + 0.02, 3)
    dog.disarm(early)
    late = dog.arm(now + 0.1, 4)  # armed after a later deadline: the sleeping thread must still wake for it
    deadline = time.monotonic() + 5
    while len(cuts) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    dog.disarm(late)
    assert cuts == [1, 4]


def test_fetches_start_no_thread_per_request(session, faults, monkeypatch):
    session.fetch(faults.base_url + "/ok", allowed_hosts=(faults.netloc,))  # robots.txt and the watchdog start
    started: list[str] = []
    original = threading.Thread.start

    def counting_start(self) -> None:
        started.append(self.name)
        original(self)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    for _ in range(10):
        assert session.fetch(faults.base_url + "/ok", allowed_hosts=(faults.netloc,)).status == 200
    assert started == []


def test_each_host_keeps_its_connection_over_a_crawl_of_many_hosts(tmp_path, monkeypatch):
    # More hosts than urllib3's default of 32 pools: every host crawled at once keeps its own pool.
    root = build_site(tmp_path, reports=3)
    servers = [SiteServer(root, keep_alive=True).start() for _ in range(40)]
    netlocs = sorted(s.base_url[len("http://"):] for s in servers)
    connects: list[str] = []
    original = HTTPConnection.connect

    def counting_connect(self) -> None:
        connects.append(f"{self.host}:{self.port}")
        original(self)

    monkeypatch.setattr(HTTPConnection, "connect", counting_connect)
    try:
        with PoliteSession(**{**FAST, "min_interval": 0.05}) as session:
            crawls = crawl_sites(sites_for(servers), session, {}, revalidate_after=timedelta(days=7))
    finally:
        with ThreadPoolExecutor(len(servers)) as pool:  # each stop waits out its server's poll interval
            list(pool.map(SiteServer.stop, servers))
    assert all(len(c.pending) == 3 for c in crawls)
    assert sorted(connects) == netlocs


def test_loopback_server_keeps_connections_alive_only_when_asked(tmp_path):
    root = build_site(tmp_path, reports=1)
    for keep_alive, version in ((True, 11), (False, 10)):
        with SiteServer(root, keep_alive=keep_alive) as server:
            conn = http.client.HTTPConnection("127.0.0.1", int(server.base_url.rsplit(":", 1)[1]), timeout=5)
            conn.request("GET", LIST_PATH)
            first = conn.getresponse()
            assert (first.status, first.version) == (200, version) and first.read()
            assert first.will_close is not keep_alive
            if keep_alive:
                sock = conn.sock
                conn.request("GET", "/robots.txt")
                assert conn.getresponse().read().startswith(b"User-agent") and conn.sock is sock
            conn.close()


def test_proxy_environment_is_read_once_per_host(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    calls = _counted_proxy_lookups(monkeypatch)
    with PoliteSession(**FAST) as session:
        assert all(session._proxied(f"http://a.test/{i}.html") for i in range(5))
        assert session._proxied("http://b.test/")
    assert len(calls) == 2


def test_without_proxy_variables_the_environment_is_read_once_per_scheme(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    calls = _counted_proxy_lookups(monkeypatch)
    with PoliteSession(**FAST) as session:
        assert not any(session._proxied(f"http://h{i}.test/") for i in range(5))
        settings = [session._http.merge_environment_settings(f"http://h{i}.test/", {}, True, None, None)
                    for i in range(5)]
    assert all(s["proxies"] == {} for s in settings)
    assert calls == ["http://h0.test/"]


def _counted_proxy_lookups(monkeypatch) -> list[str]:
    """The URLs requests' proxy lookup is asked about from now on (by `_proxied` and by the session's merge)."""
    calls: list[str] = []
    original = requests.utils.get_environ_proxies

    def counting(url, no_proxy=None):
        calls.append(url)
        return original(url, no_proxy)

    monkeypatch.setattr(requests.utils, "get_environ_proxies", counting)
    monkeypatch.setattr(requests.sessions, "get_environ_proxies", counting)  # what merge_environment_settings calls
    return calls
