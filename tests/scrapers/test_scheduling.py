"""Many sites at once: host groups, deferred extraction, the global in-flight cap (no timing asserted)."""
from __future__ import annotations

import threading
from contextlib import ExitStack
from datetime import timedelta

from fzzf.scrapers.crawl import crawl_site, crawl_sites, extract_pending, host_groups
from fzzf.scrapers.session import PoliteSession
from fzzf.scrapers.throttle import HostThrottle
from fzzf.sites.registry import Site
from tests.scrapers.conftest import FAST

WEEK = timedelta(days=7)
SITE_PATHS = {"trs": "/fzzfjsndbg/", "hanweb": "/col/col1234/index.html", "gbk": "/fzzf/index.html",
              "generic": "/news/list.html"}


def _site(site_id: str, *urls: str) -> Site:
    return Site(id=site_id, name=f"{site_id}(虚构示例)", province="虚构省", level="district", start_urls=urls)


def _pages(crawl) -> list[tuple]:
    return sorted((cp.link.url, cp.page.title, cp.page.body, cp.page.body_source, tuple(cp.page.flags))
                  for cp in crawl.pages)


def test_sites_sharing_a_host_form_one_group():
    sites = [_site("a", "http://x.test/1"), _site("b", "http://y.test/1"), _site("c", "http://Y.test/2", "http://z.test/"),
             _site("d", "http://z.test/3"), _site("e", "http://w.test/")]
    assert [[s.id for s in g] for g in host_groups(sites)] == [["a"], ["b", "c", "d"], ["e"]]


def test_crawl_sites_equals_one_site_at_a_time(serve, session):
    servers = {name: serve(name) for name in SITE_PATHS}
    sites = [_site(name, servers[name].base_url + path) for name, path in SITE_PATHS.items()]
    together = crawl_sites(sites, session, {}, revalidate_after=WEEK)
    assert [c.site_id for c in together] == list(SITE_PATHS)
    for crawl in together:
        assert crawl.pages == [] and crawl.pending  # extraction waits for the parse stage
        extract_pending(next(s for s in sites if s.id == crawl.site_id), session, crawl)
    with PoliteSession(**FAST) as fresh:  # robots.txt fetches belong to the first crawl of a session
        alone = [crawl_site(site, fresh, {}, revalidate_after=WEEK) for site in sites]
    assert [_pages(c) for c in together] == [_pages(c) for c in alone]
    assert [(c.status, c.detail) for c in together] == [(c.status, c.detail) for c in alone]


def test_in_flight_cap_is_never_exceeded_and_waiting_hosts_hold_no_slot():
    throttle = HostThrottle(min_interval=0.0, max_in_flight=2)
    active, peak, lock = [0], [0], threading.Lock()
    release = threading.Event()

    def request(host: str) -> None:
        with throttle.slot(host):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            release.wait(5)
            with lock:
                active[0] -= 1

    # A host kept idle for a long time must not take a slot from the hosts that are ready.
    throttle.not_before("slow.test", 60)
    slow = threading.Thread(target=request, args=("slow.test",), daemon=True)
    slow.start()
    threads = [threading.Thread(target=request, args=(f"h{i}.test",)) for i in range(6)]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads)
    assert peak[0] <= 2 and slow.is_alive()


def test_one_host_is_served_one_request_at_a_time():
    throttle = HostThrottle(min_interval=0.0, max_in_flight=8)
    active, peak, lock = [0], [0], threading.Lock()

    def request() -> None:
        with throttle.slot("one.test"):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            with lock:
                active[0] -= 1

    with ExitStack():
        threads = [threading.Thread(target=request) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert peak[0] == 1
