"""`make bench` (fetch part): every injected fault's outcome, requests, retries and time; then two incremental crawls."""
from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from fzzf.loopback import SiteServer
from fzzf.scrapers.crawl import crawl_site, known_from
from tests.support.faults import FAULT_PATHS, FaultServer
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
# Small values so the table prints in seconds; production defaults are 10 s / 30 s / 3 retries.
SETTINGS = dict(min_interval=0.0, connect_timeout=0.5, read_timeout=0.3, retries=2, backoff_factor=0.01,
                backoff_max=0.05, retry_after_cap=0.05, max_bytes=100_000, max_fetch_seconds=5.0)
SITES = (("trs", "/fzzfjsndbg/"), ("hanweb", "/col/col1234/index.html"), ("gbk", "/fzzf/index.html"),
         ("guangdong", "/zwgk/fzzfjs/index.html"), ("anhui", "/OpennessInfo/fzzf/index.html"))


def main() -> None:
    """Print the fault table and the incremental-crawl table."""
    _faults()
    _incremental()


def _faults() -> None:
    other = FaultServer().start()
    server = FaultServer(redirect_target=other.base_url + "/ok").start()
    session = PoliteSession(**SETTINGS)
    print(f"{'path':15} {'outcome':18} {'status':>6} {'requests':>8} {'retries':>7} {'seconds':>7}  fault")
    try:
        for path, fault in FAULT_PATHS.items():
            before = sum(server.hits.values())
            started = time.perf_counter()
            result = session.fetch(server.base_url + path, allowed_hosts=(server.netloc,))
            took = time.perf_counter() - started
            sent = sum(server.hits.values()) - before
            print(f"{path:15} {result.error or 'ok':18} {result.status or '-':>6} {sent:>8} {result.retries:>7} "
                  f"{took:>7.2f}  {fault}")
        started = time.perf_counter()
        tls = session.fetch(f"https://{server.netloc}/ok", allowed_hosts=(server.netloc,))
        print(f"{'https→http':15} {tls.error:18} {'-':>6} {'-':>8} {tls.retries:>7} "
              f"{time.perf_counter() - started:>7.2f}  TLS handshake against a plain-HTTP port")
        print(f"session totals: {session.stats.requests} requests, {session.stats.retries} retries")
    finally:
        session.close()
        server.stop()
        other.stop()


def _incremental() -> None:
    servers = {name: SiteServer(FIXTURES / name).start() for name, _ in SITES}
    session = PoliteSession(**{**SETTINGS, "max_bytes": 30 * 1024 * 1024})
    print(f"\n{'site':10} {'run':>3} {'status':8} {'lists':>5} {'reports':>7} {'skipped':>7} {'new':>4} "
          f"{'same':>4} {'requests':>8} {'bodies':>6} {'seconds':>7}")
    try:
        for name, path in SITES:
            server = servers[name]
            site = Site(id=name, name=name, province="虚构省", level="district", start_urls=(server.base_url + path,))
            known: dict = {}
            for run in (1, 2):
                bodies_before = sum(server.full_bodies.values())
                started = time.perf_counter()
                crawl = crawl_site(site, session, known, revalidate_after=timedelta(0))
                took = time.perf_counter() - started
                bodies = sum(server.full_bodies.values()) - bodies_before
                print(f"{name:10} {run:>3} {crawl.status:8} {crawl.list_pages:>5} {crawl.reports_found:>7} "
                      f"{crawl.lookalikes_skipped:>7} {len(crawl.pages):>4} {len(crawl.unchanged_urls):>4} "
                      f"{crawl.requests:>8} {bodies:>6} {took:>7.2f}")
                known = {**known, **known_from(crawl)}
    finally:
        session.close()
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
