"""Fixtures written from real list/pagination/markup patterns seen in other people's crawlers of Chinese
government sites (each fixture's comment names its pattern); all places and text are fictional."""
from __future__ import annotations

from datetime import date, timedelta

from fzzf.scrapers.crawl import crawl_site
from fzzf.scrapers.discovery import parse_list_page
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site
from tests.scrapers.conftest import FAST
from tests.support.hostile import HostileServer, Reply

WEEK = timedelta(days=7)
BASE = "http://www.xugou.example.gov.cn"


def _site(server, path: str) -> Site:
    return Site(id="p", name="虚构(虚构示例)", province="虚构省", level="department", start_urls=(server.base_url + path,))


def _titles(crawl) -> dict[str, date | None]:
    return {cp.page.title: cp.page.published for cp in crawl.pages}


def test_eportal_hidden_pager_input_gives_module_pages(fixtures_dir):
    html = (fixtures_dir / "eportal/bumen/fzzfjs/index.html").read_bytes()
    page = parse_list_page(html, f"{BASE}/bumen/fzzfjs/index.html")
    assert page.family == "eportal"
    assert page.next_urls == [f"{BASE}/bumen/fzzfjs/5101-2.html", f"{BASE}/bumen/fzzfjs/5101-3.html"]


def test_eportal_later_page_points_back_to_the_column(fixtures_dir):
    html = (fixtures_dir / "eportal/bumen/fzzfjs/5101-2.html").read_bytes()
    page = parse_list_page(html, f"{BASE}/bumen/fzzfjs/5101-2.html")
    assert page.next_urls == [f"{BASE}/bumen/fzzfjs/", f"{BASE}/bumen/fzzfjs/5101-3.html"]


def test_eportal_site_crawls_every_page_and_skips_lookalikes(serve, session):
    crawl = crawl_site(_site(serve("eportal"), "/bumen/fzzfjs/index.html"), session, {}, revalidate_after=WEEK)
    assert (crawl.status, crawl.list_pages) == ("ok", 3)
    assert (crawl.reports_found, crawl.lookalikes_skipped) == (4, 2)
    assert _titles(crawl)["虚构部2020年法治政府建设年度报告"] == date(2021, 3, 31)


def test_trs_list_prefix_with_a_commented_page_count(fixtures_dir):
    html = (fixtures_dir / "trs_list_prefix/zfxxgk/fzzfjs/list.html").read_bytes()
    page = parse_list_page(html, f"{BASE}/zfxxgk/fzzfjs/list.html")
    assert page.family == "trs"
    assert page.next_urls == [f"{BASE}/zfxxgk/fzzfjs/list_1.html"]


def test_trs_list_prefix_site_crawls_both_pages(serve, session):
    crawl = crawl_site(_site(serve("trs_list_prefix"), "/zfxxgk/fzzfjs/list.html"), session, {}, revalidate_after=WEEK)
    assert (crawl.status, crawl.list_pages, crawl.reports_found, crawl.lookalikes_skipped) == ("ok", 2, 3, 1)
    assert _titles(crawl)["虚沟县2021年法治政府建设年度报告"] == date(2022, 2, 25)


def test_zwxl_table_detail_pages_give_title_date_issuer_and_body(serve, session):
    crawl = crawl_site(_site(serve("zwxl_table"), "/xxgk/fzzfjsbg/"), session, {}, revalidate_after=WEEK)
    assert (crawl.status, crawl.reports_found, crawl.lookalikes_skipped) == ("ok", 2, 1)
    pages = {cp.page.title: cp.page for cp in crawl.pages}
    report = pages["柘川市2023年法治政府建设年度报告"]
    assert report.published == date(2024, 3, 25)
    assert "行政复议案件45件" in report.body
    assert "索引号" not in report.body  # the metadata table is not the report's text


PROXY = "/module/web/jpage/dataproxy.jsp?startrecord={}&endrecord={}&perpage=2&col=1&appid=1&webid=7&path=%2F&columnid=3301&unitid=6601"


def test_hanweb_dataproxy_windows_up_to_totalrecord(fixtures_dir):
    xml = (fixtures_dir / "hanweb_dataproxy/window_1.xml").read_bytes()
    page = parse_list_page(xml, BASE + PROXY.format(1, 2), "text/xml")
    assert page.family == "hanweb"
    assert page.next_urls == [BASE + PROXY.format(3, 4), BASE + PROXY.format(5, 6)]
    assert page.links[0].title == "琅溪市2023年法治政府建设年度报告"


def test_hanweb_dataproxy_site_crawls_every_window(fixtures_dir):
    folder = fixtures_dir / "hanweb_dataproxy"
    routes = {PROXY.format(n, n + 1): Reply(body=(folder / f"window_{n}.xml").read_bytes(), headers={"Content-Type": "text/xml"})
              for n in (1, 3, 5)}
    for art in folder.glob("art_*.html"):
        number = art.stem.split("_")[1]
        date_path = {"7001": "2024/3/26", "6001": "2023/3/29", "5001": "2022/3/30", "4001": "2021/3/31"}[number]
        routes[f"/art/{date_path}/art_3301_{number}.html"] = Reply(body=art.read_bytes())
    server = HostileServer(routes).start()
    try:
        site = Site(id="p", name="琅溪市(虚构示例)", province="虚构省", level="city",
                    start_urls=(server.base_url + PROXY.format(1, 2),))
        with PoliteSession(**FAST) as session:
            crawl = crawl_site(site, session, {}, revalidate_after=WEEK)
    finally:
        server.stop()
    assert (crawl.status, crawl.list_pages, crawl.reports_found, crawl.lookalikes_skipped) == ("ok", 3, 4, 1)
    assert _titles(crawl)["琅溪市2020年法治政府建设年度报告"] == date(2021, 3, 31)
