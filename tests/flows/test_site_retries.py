"""Whole-site connection failures reach Prefect's task retries; a site's typed outcomes are not retried."""
from __future__ import annotations

import threading

import duckdb

from fzzf.demo import DEMO_MIN_INTERVAL_S
from fzzf.loopback import SiteServer
from fzzf.sites.registry import DEMO_DIR

REGISTRY = """
[[site]]
id = "flaky"
name = "一个断线一次的站点（虚构）"
province = "岚川省"
level = "county"
start_urls = ["{flaky}/zwgk/fzzfjsndbg/index.html"]

[[site]]
id = "down"
name = "一个整夜断线的站点（虚构）"
province = "岚川省"
level = "county"
start_urls = ["{down}/zwgk/fzzfjsndbg/index.html"]

[[site]]
id = "gone"
name = "一个栏目已删除的站点（虚构）"
province = "岚川省"
level = "county"
start_urls = ["{gone}/no-such-column/index.html"]
"""
# One fetch of robots.txt with the session's three transport retries: the whole first crawl of a site.
FIRST_ATTEMPT_CONNECTIONS = 4


class Outage:
    """Drops the first `refuse` connections a loopback site server accepts (closed before any answer)."""

    def __init__(self, server: SiteServer, refuse: int) -> None:
        self.refuse, self.refused = refuse, 0
        self._lock = threading.Lock()
        assert server._server is not None
        server._server.verify_request = self._verify  # type: ignore[method-assign]

    def _verify(self, request, client_address) -> bool:
        with self._lock:
            if self.refused < self.refuse:
                self.refused += 1
                return False
            return True


def test_a_site_down_once_is_crawled_on_prefects_retry_and_typed_outcomes_are_not(prefect_harness, tmp_path):
    from fzzf.flows.nightly import nightly

    folder = DEMO_DIR / "luting"
    servers = {name: SiteServer(folder).start() for name in ("flaky", "down", "gone")}
    try:
        flaky = Outage(servers["flaky"], FIRST_ATTEMPT_CONNECTIONS)
        down = Outage(servers["down"], 10 ** 6)
        registry = tmp_path / "registry.toml"
        registry.write_text(REGISTRY, encoding="utf-8")
        summary = nightly(registry=str(registry), db_path=str(tmp_path / "r.duckdb"),
                          export_dir=str(tmp_path / "exports"), min_interval_s=DEMO_MIN_INTERVAL_S,
                          substitutions={name: s.base_url for name, s in servers.items()},
                          site_retries=1, site_retry_delay_s=0)
    finally:
        for server in servers.values():
            server.stop()
    sites = {s.site_id: s for s in summary.sites}
    assert {k: s.status for k, s in sites.items()} == {"flaky": "ok", "down": "unreachable", "gone": "not_found"}
    # flaky: the batch crawl refused, Prefect's first retry reached it; its reports are loaded once.
    assert flaky.refused == FIRST_ATTEMPT_CONNECTIONS and servers["flaky"].hits["/robots.txt"] == 1
    assert "reached on attempt 2" in sites["flaky"].detail and sites["flaky"].pages_parsed == 3
    # down: the batch crawl and one retry, each refused; the first attempt's typed outcome stays.
    assert down.refused == 2 * FIRST_ATTEMPT_CONNECTIONS
    assert "still unreachable after 2 attempts" in sites["down"].detail
    # gone: a 404 list page is an answer, crawled once.
    assert servers["gone"].hits["/no-such-column/index.html"] == 1
    with duckdb.connect(str(tmp_path / "r.duckdb"), read_only=True) as con:
        recorded = dict(con.execute("select site_id, status from run_sites").fetchall())
        reports = con.execute("select count(*) from reports where is_current").fetchone()[0]
    assert recorded == {"flaky": "ok", "down": "unreachable", "gone": "not_found"} and reports == 3
