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


def test_the_benches_in_process_hosts_answer_as_the_threaded_ones(tmp_path):
    import requests

    from tests.support.simsites import LIST_PATH, SimSiteServer, serve_hosts_in_process

    root = build_site(tmp_path / "site", reports=2)
    with serve_hosts_in_process(root, 2, first=3) as bases, requests.Session() as http:
        listed = http.get(bases[1] + LIST_PATH, timeout=10)
        expected = SimSiteServer(root, number=4).lookup(LIST_PATH)
        assert expected is not None
        assert (listed.status_code, listed.content, listed.headers["ETag"]) == (200, expected.body, expected.etag)
        assert listed.headers["Content-Type"] == expected.content_type
        again = http.get(bases[1] + LIST_PATH, headers={"If-None-Match": expected.etag}, timeout=10)
        assert (again.status_code, again.content) == (304, b"")
        assert http.get(bases[0] + "/robots.txt", timeout=10).status_code == 200
        assert http.get(bases[0] + "/no/such/page.html", timeout=10).status_code == 404
        report = "/" + next(p for p in sorted((root / "col").rglob("*.html")) if p.name != "index.html").relative_to(
            root).as_posix()
        page = http.get(bases[0] + report, timeout=10).content
        assert district(3).encode() in page and page == SimSiteServer(root, number=3).lookup(report).body
