"""Crawl span against the politeness floor over many loopback hosts (sites 10/50/200/1,000)."""
from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from fzzf.flows.batches import DEFAULT_MAX_IN_FLIGHT
from fzzf.scrapers import fetchers
from fzzf.scrapers.crawl import crawl_site, crawl_sites
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site
from tests.support.simsites import build_site, serve_hosts_in_process, sites_for

INTERVAL = 0.2
REPORTS = 10  # robots + list + 10 reports = 12 requests per host, as in issue 13's measurement
# 1,000 hosts cost ~20 s of CPU on 2 cores; FZZF_BENCH_HOSTS trims the curve on a slower machine.
HOSTS = tuple(int(n) for n in os.environ.get("FZZF_BENCH_HOSTS", "10,50,200,1000").split(","))
# As the flow's crawl_batch: fetcher processes once a crawl has enough hosts (the 200 and 1,000 rows).
PROCESSES = int(os.environ.get("FZZF_FETCH_PROCESSES", fetchers.DEFAULT_PROCESSES))
OLD_WORKERS = 8
OLD_UP_TO = 50  # the old site-per-worker crawl takes minutes past this


def main() -> list[tuple[str, str, str, float]]:
    """Print span, floor and ratio per host count; returns rows for the summary table."""
    rows = []
    print(f"{'hosts':>6} {'requests':>8} {'floor s':>8} {'span s':>8} {'ratio':>6} {'load':>5} "
          f"{'8 workers s':>12} {'ratio':>6}")
    # The fetcher processes start once per process (a second or more under load), not once per crawl.
    started = time.perf_counter()
    fetchers.warm(PROCESSES)
    print(f"fetcher processes: {PROCESSES}, started in {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        root = build_site(Path(tmp), REPORTS)
        for hosts in HOSTS:
            with serve_hosts_in_process(root, hosts) as bases:
                sites = sites_for(bases)
                # The nightly flow's path: extraction deferred to the parse stage, the flow's in-flight cap.
                span, requests = _timed(lambda s, sites=sites: crawl_sites(sites, s, {}, extract=False,
                                                                           revalidate_after=timedelta(days=7),
                                                                           processes=PROCESSES))
                load = os.getloadavg()[0]  # sleep-bound floors stretch when other work shares the cores
                floor = (requests - 1) * INTERVAL
                old = ""
                if hosts <= OLD_UP_TO:
                    old_span, _ = _timed(lambda s, sites=sites: _site_per_worker(sites, s))
                    old = f"{old_span:12.2f} {old_span / floor:6.2f}"
                print(f"{hosts:>6} {requests:>8} {floor:8.2f} {span:8.2f} {span / floor:6.2f} {load:5.2f} {old}",
                      flush=True)
                rows.append((f"crawl {hosts} hosts × {requests} req, interval {INTERVAL}", f"{span:.2f} s",
                             f"floor {floor:.2f} s", span / floor))
    return rows


def _timed(run) -> tuple[float, int]:
    session = PoliteSession(min_interval=INTERVAL, user_agent="fzzf-bench", max_in_flight=DEFAULT_MAX_IN_FLIGHT)
    try:
        started = time.perf_counter()
        crawls = run(session)
        span = time.perf_counter() - started
    finally:
        session.close()
    return span, max(c.requests for c in crawls)


def _site_per_worker(sites: list[Site], session: PoliteSession) -> list:
    # How the flow crawled before issue 13: a pool of 8, each worker asleep in one host's throttle.
    with ThreadPoolExecutor(OLD_WORKERS) as pool:
        return list(pool.map(lambda s: crawl_site(s, session, {}, revalidate_after=timedelta(days=7)), sites))


if __name__ == "__main__":
    main()
