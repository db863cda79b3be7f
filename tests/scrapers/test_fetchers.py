"""Fetcher processes: hosts spread over processes keep every politeness rule, measured on the servers' logs."""
from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fzzf.loopback import SiteServer
from fzzf.scrapers import fetchers
from fzzf.scrapers.crawl import crawl_sites
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site
from tests.scrapers.conftest import FAST
from tests.support.simsites import build_site, sites_for

INTERVAL = 0.2
WEEK = timedelta(days=7)


class _TimedHits(Counter):
    """A server's hits that also log when each request arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[float] = []
        self._lock = threading.Lock()

    def __setitem__(self, key, value) -> None:
        with self._lock:
            self.arrivals.append(time.monotonic())
        super().__setitem__(key, value)


def _site(site_id: str, *hosts: str) -> Site:
    return Site(id=site_id, name=f"{site_id}(虚构示例)", province="虚构省", level="district",
                start_urls=(f"http://{hosts[0]}/list/",), allowed_hosts=hosts)


def test_hosts_that_could_reach_one_server_share_a_process():
    sites = [_site("a", "www.x.gov.cn"), _site("b", "x.gov.cn:8080"), _site("c", "nj.y.gov.cn"),
             _site("d", "y.gov.cn"), _site("e", "z.gov.cn"), _site("f", "127.0.0.1:81"), _site("g", "127.0.0.1:82")]
    buckets = fetchers.process_buckets([[s] for s in sites], processes=7)
    together = sorted(sorted(s.id for s in bucket) for bucket in buckets)
    assert together == [["a", "b"], ["c", "d"], ["e"], ["f"], ["g"]]
    assert len(fetchers.process_buckets([[s] for s in sites], processes=2)) == 2


def test_processes_only_for_enough_hosts():
    per = fetchers.MIN_GROUPS_PER_PROCESS
    assert fetchers.processes_for(10 * per, 4) == 4
    assert fetchers.processes_for(2 * per, 4) == 2
    assert fetchers.processes_for(per - 1, 4) == 1
    assert fetchers.processes_for(10 * per, 1) == 1


def test_crawl_over_processes_keeps_each_hosts_interval_and_equals_threads(tmp_path, monkeypatch):
    monkeypatch.setattr(fetchers, "MIN_GROUPS_PER_PROCESS", 1)
    root = build_site(tmp_path, reports=26)  # past crawl.PROGRESS_EVERY: each site says how far it got
    servers = [SiteServer(root, keep_alive=True, hits=_TimedHits()).start() for _ in range(6)]
    sites = sites_for(servers)
    netlocs = [s.base_url[len("http://"):] for s in servers]
    lines: list[str] = []
    try:
        # Timeouts long enough that a loaded machine causes no retry (a retry waits its backoff, not the interval).
        with PoliteSession(**{**FAST, "min_interval": INTERVAL, "max_in_flight": 4, "read_timeout": 10.0,
                              "connect_timeout": 10.0}) as session:
            spread = crawl_sites(sites, session, {}, revalidate_after=WEEK, processes=2, progress=lines.append)
            assert session.stats.requests == 6 * 28
            assert all(session.robots.results[f"http://{netloc}"].status == 200 for netloc in netlocs)
            next_at = {host: at for host, (at, _) in session.throttle.export().items()}
        arrivals = [list(s.hits.arrivals) for s in servers]
        hits = [dict(s.hits) for s in servers]
        with PoliteSession(**FAST) as fresh:
            threads = crawl_sites(sites, fresh, {}, revalidate_after=WEEK)
    finally:
        with ThreadPoolExecutor(len(servers)) as pool:
            list(pool.map(SiteServer.stop, servers))
    assert [c.site_id for c in spread] == [s.id for s in sites]
    assert all(sum(h.values()) == 28 and h["/robots.txt"] == 1 for h in hits)  # robots.txt once per host
    gaps = [b - a for log in arrivals for a, b in itertools.pairwise(log)]
    assert len(gaps) == 6 * 27 and min(gaps) >= INTERVAL * 0.95, min(gaps)
    for netloc, log in zip(netlocs, arrivals):  # the session took over each host's next allowed moment
        assert next_at[netloc] >= log[-1] + INTERVAL * 0.95
    assert sorted(lines) == sorted(f"{s.id}: 25 of 26 report pages fetched (26 requests)" for s in sites)

    def comparable(crawl):
        return (crawl.status, crawl.detail, [(link.url, fetch.sha256) for link, fetch in crawl.pending])

    assert [comparable(c) for c in spread] == [comparable(c) for c in threads]


def test_global_in_flight_cap_is_split_between_processes():
    with PoliteSession(**{**FAST, "max_in_flight": 9}) as session:
        assert session.settings(share=2)["max_in_flight"] == 4
        assert session.settings()["user_agent"] == session.user_agent
