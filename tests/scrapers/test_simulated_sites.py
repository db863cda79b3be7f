"""The simulated sites of the benches: each host its own fictional district, so a second night is unchanged."""
from __future__ import annotations

from datetime import timedelta

from fzzf.flows.batches import store_batch
from fzzf.parsers.report import parse_report_or_flag
from fzzf.scrapers.crawl import crawl_site
from fzzf.scrapers.session import PoliteSession
from fzzf.warehouse import db, load
from tests.support.simsites import build_site, district, serve_hosts, sites_for

WEEK = timedelta(days=7)


def _night(con, sites, session, run_id: str):
    crawls = [crawl_site(site, session, load.known_pages(con, site.id), revalidate_after=WEEK) for site in sites]
    parsed = [(c, [(cp, parse_report_or_flag(cp.page, site)) for cp in c.pages]) for c, site in zip(crawls, sites)]
    load.start_run(con, run_id, crawls[0].started_at, "sim", sites)
    return parsed, store_batch(con, run_id, {s.id: s for s in sites}, parsed)


def test_each_simulated_site_is_its_own_district_and_a_second_night_is_unchanged(tmp_path):
    root = build_site(tmp_path / "site", reports=2)
    with serve_hosts(root, 2, first=7) as servers, PoliteSession(min_interval=0.0) as session:
        sites = sites_for(servers, first=7)
        con = db.connect_work(tmp_path / "fzzf.duckdb")
        try:
            first, stats = _night(con, sites, session, "run-1")
            current = con.execute("select site_id, district, year from reports where is_current "
                                  "order by site_id, year").fetchall()
            again, second = _night(con, sites, session, "run-2")
        finally:
            con.close()
    assert [s.district for s in sites] == [district(7), district(8)] == ["模拟辛区", "模拟壬区"]
    assert stats.report_versions == 4
    # Every report is current: no site reposts another's, and a site's two reports are of two years.
    assert current == [("sim00007", "模拟辛区", 2022), ("sim00007", "模拟辛区", 2023),
                       ("sim00008", "模拟壬区", 2022), ("sim00008", "模拟壬区", 2023)]
    assert [len(pages) for _, pages in first] == [2, 2]
    assert [len(pages) for _, pages in again] == [0, 0]
    assert (second.report_versions, second.metrics, second.raw_pages) == (0, 0, 0)
    # The second night reads each list page again, but no report page: they are archived and unchanged.
    assert all(hits == 1 for s in servers for path, hits in s.hits.items() if path.startswith("/col/2024"))
