"""`fzzf discover`: report columns found from portal and 政府信息公开 pages (fictional fixtures of real patterns)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from fzzf.scrapers.columns import directory_links, discover, find_columns

CASES = [
    # (fixture, start path, best column path, look-alike labels that must not be offered)
    ("portals/trs", "/", "/zwgk/fdzdgknr/qtzdgknr/fzzfjsndbg/", ("政府信息公开年报", "法治政府建设工作要点")),
    ("portals/hanweb", "/", "/col/col102/index.html", ("政府信息公开年度报告", "政府网站工作年度报表")),
    ("portals/guangdong", "/", "/zwgk/fzzfjs/qzf/", ("政策解读",)),
    ("portals/anhui", "/", "/OpennessInfo/fzzfjsndbg/index.html", ("公开指南",)),
    ("portals/scripted_menu", "/", "/zwgk/fzzfjsndbg/", ("政府信息公开年报", "法治政府建设工作要点")),
]


@pytest.mark.parametrize(("fixture", "start", "best", "lookalikes"), CASES)
def test_discover_finds_the_report_column_and_skips_lookalikes(serve, session, fixture, start, best, lookalikes):
    server = serve(fixture)
    found = discover(server.base_url + start, session, allowed_hosts=(urlsplit(server.base_url).netloc,))
    assert found.best is not None and found.best.url == server.base_url + best
    labels = {c.label for c in found.columns}
    assert not labels & set(lookalikes)
    assert all("年" not in c.label or "年度报告" in c.label for c in found.columns), "no single dated report"
    assert len(found.fetches) <= 12


def test_a_report_title_is_not_a_column():
    html = ('<a href="/xxgk/fzzfjsndbg/202403/t20240328_1.html">某区2023年度法治政府建设情况报告</a>'
            '<a href="/xxgk/fzzfjsndbg/">法治政府建设年度报告</a><a href="/xxgk/ndbg/">政府信息公开年报</a>')
    assert [(c.url, c.score) for c in find_columns(html, "http://x.gov.cn/")] == [
        ("http://x.gov.cn/xxgk/fzzfjsndbg/", 100)]


def test_a_menu_built_by_javascript_is_read():
    html = ('<div id="nav"></div><script>var menu = [{"name": "\\u653f\\u52a1\\u516c\\u5f00", "url": "\\/zwgk\\/", '
            '"children": [{"name": "法治政府建设年度报告", "url": "\\/zwgk\\/fzzfjsndbg\\/"}]}];'
            "side.push({title: '依法行政', link: './yfxz/', type: 'text/html'});</script>"
            '<script src="/js/jquery.js">{"url": "/zwgk/fzzfjs/"}</script>')
    assert [(c.url, c.label, c.score) for c in find_columns(html, "http://x.gov.cn/a/")] == [
        ("http://x.gov.cn/zwgk/fzzfjsndbg/", "法治政府建设年度报告", 100),
        ("http://x.gov.cn/a/yfxz/", "依法行政", 50)]
    assert "http://x.gov.cn/zwgk/" in directory_links(html, "http://x.gov.cn/a/")


def test_discover_stays_on_the_site_hosts(serve, session):
    server = serve("portals/trs")
    found = discover(server.base_url + "/", session, allowed_hosts=(urlsplit(server.base_url).netloc,), max_pages=1)
    assert len(found.fetches) == 1 and found.columns == []


def test_a_discover_site_crawls_the_column_it_finds(serve, session):
    from datetime import timedelta

    from fzzf.scrapers.crawl import crawl_site
    from fzzf.sites.registry import Site

    server = serve("portals/hanweb")
    site = Site(id="w", name="苇川区(虚构示例)", province="虚构省", level="district",
                start_urls=(server.base_url + "/",), discover=True)
    crawl = crawl_site(site, session, {}, revalidate_after=timedelta(days=7))
    assert crawl.list_pages >= 1 and crawl.status != "not_found"
    assert any(f.url.endswith("/col/col102/index.html") for f in crawl.fetches)
