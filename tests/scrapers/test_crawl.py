"""crawl_site over frozen fixture sites and the fault server: discovery, incremental runs, typed outcomes."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from fzzf.scrapers.crawl import crawl_site, known_from
from fzzf.sites.registry import Site

ALWAYS = timedelta(0)
WEEK = timedelta(days=7)
PDF_LINES = ["柳川市司法局2023年法治政府建设工作报告(虚构示例)", "一、主要举措和成效", "全年办理行政复议申请35件。"]
DOCX_LINES = ["柳川市司法局2022年法治政府建设工作报告(虚构示例)", "一、工作成效", "全年办理法律援助案件80件。"]


def _site(server_or_url, path, site_id="s", **kw) -> Site:
    base = server_or_url if isinstance(server_or_url, str) else server_or_url.base_url
    return Site(id=site_id, name=f"{site_id}(虚构示例)", province="虚构省", level="district",
                start_urls=(base + path,), **kw)


@pytest.fixture
def generic_server(serve, make_pdf, make_docx):
    server = serve("generic")
    server.overrides["/files/liuchuan-2023.pdf"] = make_pdf(PDF_LINES)
    server.overrides["/files/liuchuan-2022.docx"] = make_docx(DOCX_LINES)
    return server


def _by_title(crawl):
    return {cp.page.title: cp.page for cp in crawl.pages}


def test_trs_site_paginates_and_skips_lookalikes(serve, session):
    crawl = crawl_site(_site(serve("trs"), "/fzzfjsndbg/"), session, {}, revalidate_after=WEEK)
    assert (crawl.status, crawl.list_pages) == ("ok", 3)
    assert (crawl.reports_found, crawl.lookalikes_skipped) == (3, 4)


def test_trs_site_pages_titles_and_dates(serve, session):
    crawl = crawl_site(_site(serve("trs"), "/fzzfjsndbg/"), session, {}, revalidate_after=WEEK)
    assert {t: p.published for t, p in _by_title(crawl).items()} == {
        "青禾区2023年法治政府建设年度报告": date(2024, 3, 28),
        "青禾区2022年度法治政府建设情况报告": date(2023, 3, 25),
        "青禾区人民政府关于2021年法治政府建设情况的报告": date(2022, 3, 30),
    }


def test_lookalike_pages_are_never_downloaded(serve, session):
    server = serve("trs")
    crawl_site(_site(server, "/fzzfjsndbg/"), session, {}, revalidate_after=WEEK)
    assert server.hits["/fzzfjsndbg/202401/t20240120_6400001.html"] == 0


def test_page_cap_bounds_pagination(serve, session):
    crawl = crawl_site(_site(serve("trs"), "/fzzfjsndbg/", max_list_pages=1), session, {}, revalidate_after=WEEK)
    assert (crawl.list_pages, crawl.reports_found) == (1, 1)


def test_hanweb_site(serve, session):
    crawl = crawl_site(_site(serve("hanweb"), "/col/col1234/index.html"), session, {}, revalidate_after=WEEK)
    assert crawl.status == "ok"
    assert sorted(_by_title(crawl)) == ["松岭县2022年度法治政府建设情况报告", "松岭县2023年法治政府建设年度报告"]


def test_gbk_site(serve, session):
    crawl = crawl_site(_site(serve("gbk"), "/fzzf/index.html"), session, {}, revalidate_after=WEEK)
    pages = _by_title(crawl)
    assert pages["石泉区2023年度法治政府建设情况报告"].encoding == "gb18030"
    assert pages["石泉区2021年法治政府建设年度报告"].published == date(2022, 3, 30)
    assert crawl.lookalikes_skipped == 2


def test_guangdong_site_follows_pager(serve, session):
    crawl = crawl_site(_site(serve("guangdong"), "/zwgk/fzzfjs/index.html"), session, {}, revalidate_after=WEEK)
    assert (crawl.list_pages, crawl.reports_found, crawl.lookalikes_skipped) == (2, 3, 1)


def test_anhui_site(serve, session):
    crawl = crawl_site(_site(serve("anhui"), "/OpennessInfo/fzzf/index.html"), session, {}, revalidate_after=WEEK)
    assert [(p.title, p.published) for p in _by_title(crawl).values()] == [
        ("皖溪县2023年度法治政府建设工作情况报告", date(2024, 3, 29))]


def test_pdf_attachment_becomes_the_body(generic_server, session):
    crawl = crawl_site(_site(generic_server, "/news/list.html"), session, {}, revalidate_after=WEEK)
    page = _by_title(crawl)["柳川市司法局2023年法治政府建设工作报告"]
    assert (page.body_source, page.body.splitlines()) == ("pdf", PDF_LINES)


def test_docx_iframe_attachment_becomes_the_body(generic_server, session):
    crawl = crawl_site(_site(generic_server, "/news/list.html"), session, {}, revalidate_after=WEEK)
    page = _by_title(crawl)["柳川市司法局2022年法治政府建设工作报告"]
    assert (page.body_source, page.body.splitlines()) == ("docx", DOCX_LINES)


def test_scanned_pdf_is_flagged_needs_ocr(generic_server, session, make_pdf):
    generic_server.overrides["/files/liuchuan-2023.pdf"] = make_pdf([])
    crawl = crawl_site(_site(generic_server, "/news/list.html"), session, {}, revalidate_after=WEEK)
    page = _by_title(crawl)["柳川市司法局2023年法治政府建设工作报告"]
    assert "needs_ocr" in page.flags
    assert page.body_source == "pdf"


def test_second_run_downloads_no_unchanged_report(serve, session):
    server = serve("trs")
    site = _site(server, "/fzzfjsndbg/")
    first = crawl_site(site, session, {}, revalidate_after=ALWAYS)
    bodies_before = sum(n for path, n in server.full_bodies.items() if "/t20" in path)
    second = crawl_site(site, session, known_from(first), revalidate_after=ALWAYS)
    bodies_after = sum(n for path, n in server.full_bodies.items() if "/t20" in path)
    assert (bodies_before, bodies_after) == (3, 3)
    assert second.pages == []
    assert sorted(second.unchanged_urls) == sorted(cp.link.url for cp in first.pages)


def test_second_run_within_the_window_sends_no_report_request(serve, session):
    server = serve("hanweb")
    site = _site(server, "/col/col1234/index.html")
    first = crawl_site(site, session, {}, revalidate_after=WEEK)
    hits = server.hits["/art/2024/3/20/art_1234_9001.html"]
    second = crawl_site(site, session, known_from(first), revalidate_after=WEEK)
    assert server.hits["/art/2024/3/20/art_1234_9001.html"] == hits == 1
    assert (len(second.pages), len(second.unchanged_urls)) == (0, 2)


def test_list_pages_are_always_fetched_again(serve, session):
    server = serve("hanweb")
    site = _site(server, "/col/col1234/index.html")
    first = crawl_site(site, session, {}, revalidate_after=WEEK)
    crawl_site(site, session, known_from(first), revalidate_after=WEEK)
    assert server.full_bodies["/col/col1234/index.html"] == 4  # two list pages (pageNum=2 is the same path) × 2 runs


def test_changed_page_is_fetched_with_a_new_sha256(serve, session, fixtures_dir):
    server = serve("trs")
    site = _site(server, "/fzzfjsndbg/")
    first = crawl_site(site, session, {}, revalidate_after=ALWAYS)
    path = "/fzzfjsndbg/202303/t20230325_5512034.html"
    original = (fixtures_dir / "trs" / path.lstrip("/")).read_bytes()
    server.overrides[path] = original.replace("审结33件".encode(), "审结34件".encode())
    second = crawl_site(site, session, known_from(first), revalidate_after=ALWAYS)
    assert [cp.link.url for cp in second.pages] == [server.base_url + path]
    old_sha = known_from(first)[server.base_url + path].sha256
    assert second.pages[0].fetch.sha256 != old_sha
    assert "审结34件" in second.pages[0].page.body


def test_redesign_suspected_when_known_reports_vanish(serve, session):
    server = serve("trs")
    site = _site(server, "/fzzfjsndbg/")
    first = crawl_site(site, session, {}, revalidate_after=WEEK)
    server.overrides["/fzzfjsndbg/index.html"] = (
        "<html><body><ul><li><a href='x.html'>青禾区2024年法治政府建设工作要点</a></li></ul></body></html>".encode())
    second = crawl_site(site, session, known_from(first), revalidate_after=WEEK)
    assert second.status == "redesign_suspected"
    assert "3 reports archived" in second.detail


def test_robots_disallow_all(serve, session):
    server = serve("trs")
    server.overrides["/robots.txt"] = b"User-agent: *\nDisallow: /\n"
    crawl = crawl_site(_site(server, "/fzzfjsndbg/"), session, {}, revalidate_after=WEEK)
    assert crawl.status == "robots_denied"
    assert server.hits["/fzzfjsndbg/index.html"] == 0


def test_missing_list_is_not_found(serve, session):
    crawl = crawl_site(_site(serve("trs"), "/gone/"), session, {}, revalidate_after=WEEK)
    assert crawl.status == "not_found"


def test_failing_sites_get_typed_statuses_while_others_complete(serve, session, faults):
    sites = {
        "trs": _site(serve("trs"), "/fzzfjsndbg/", "trs"),
        "gbk": _site(serve("gbk"), "/fzzf/index.html", "gbk"),
        "waf": _site(faults, "/challenge", "waf"),
        "slow": _site(faults, "/slow-body", "slow"),
        "tls": _site(f"https://{faults.netloc}", "/ok", "tls"),
        "refused": _site("http://127.0.0.1:9", "/", "refused"),
        "off": _site(faults, "/redirect-off", "off"),
    }
    with ThreadPoolExecutor(max_workers=len(sites)) as pool:
        futures = {k: pool.submit(crawl_site, s, session, {}, revalidate_after=WEEK) for k, s in sites.items()}
        statuses = {k: f.result().status for k, f in futures.items()}
    assert statuses == {"trs": "ok", "gbk": "ok", "waf": "waf_challenge", "slow": "timeout",
                        "tls": "tls_error", "refused": "unreachable", "off": "error"}


def test_report_fetch_failure_is_recorded_not_raised(serve, session):
    server = serve("trs")
    server.overrides["/fzzfjsndbg/202303/t20230325_5512034.html"] = b"<html>" + b"<p>x</p>" * 20000
    session.max_bytes = 50_000
    crawl = crawl_site(_site(server, "/fzzfjsndbg/"), session, {}, revalidate_after=WEEK)
    assert crawl.status == "ok"
    assert crawl.failed_urls == [server.base_url + "/fzzfjsndbg/202303/t20230325_5512034.html"]
    assert len(crawl.pages) == 2


def test_list_linking_straight_to_a_pdf(serve, session, make_pdf):
    server = serve("generic")
    server.overrides["/news/list.html"] = (
        "<html><body><ul><li><a href='/files/r2023.pdf'>柳川市司法局2023年法治政府建设工作报告</a>"
        " 2024.03.21</li></ul></body></html>").encode()
    server.overrides["/files/r2023.pdf"] = make_pdf(PDF_LINES)
    crawl = crawl_site(_site(server, "/news/list.html"), session, {}, revalidate_after=WEEK)
    page = crawl.pages[0].page
    assert (page.title, page.body_source, page.published) == (
        "柳川市司法局2023年法治政府建设工作报告(虚构示例)", "pdf", date(2024, 3, 21))  # the file's own heading
    assert page.body.splitlines() == PDF_LINES


def test_robots_fetch_is_in_the_first_crawls_log_only(serve, session):
    server = serve("trs")
    site = _site(server, "/fzzfjsndbg/")
    first = crawl_site(site, session, {}, revalidate_after=WEEK)
    second = crawl_site(site, session, known_from(first), revalidate_after=WEEK)
    robots = server.base_url + "/robots.txt"
    assert [f.url for f in first.fetches].count(robots) == 1
    assert robots not in [f.url for f in second.fetches]
    assert first.requests == 1 + 3 + 3  # robots.txt, three list pages, three reports


def test_page_without_any_date_or_title_takes_the_lists(serve, session):
    server = serve("generic")
    # A bare page: no meta tags, no byline, no date in its URL, no heading or <title>.
    server.overrides["/bare/index.html"] = (
        "<html><head><meta charset='utf-8'></head><body><ul><li><a href='/bare/show/77.html'>"
        "柳川县2023年法治政府建设年度报告(虚构示例)</a><span>2024-03-26</span></li></ul></body></html>").encode()
    server.overrides["/bare/show/77.html"] = (
        "<html><head><meta charset='utf-8'></head><body><div class='content'><p>2023年，全县深入推进依法行政，"
        "共办理行政复议申请35件（虚构示例）。</p></div></body></html>").encode()
    crawl = crawl_site(_site(server, "/bare/index.html"), session, {}, revalidate_after=WEEK)
    (page,) = [cp.page for cp in crawl.pages]
    assert (page.title, page.published, page.published_from) == (
        "柳川县2023年法治政府建设年度报告(虚构示例)", date(2024, 3, 26), "list")


@pytest.fixture
def viewer_crawl(serve, session, make_pdf):
    server = serve("pdf_viewer")
    server.overrides["/D49Y/index.jhtml"] = (
        "<html><body><ul><li><a href='8120456.jhtml'>榆滨市司法局2020年度法治政府建设工作总结及2021年工作计划</a>"
        " 2021-03-26</li></ul></body></html>").encode()
    server.overrides["/pdfjs/web/viewer.html"] = b"<html><body><div id='viewerContainer'></div></body></html>"
    server.overrides["/u/cms/www/202103/26094512abcd.pdf"] = make_pdf(PDF_LINES)
    return crawl_site(_site(server, "/D49Y/index.jhtml"), session, {}, revalidate_after=WEEK)


def test_pdf_in_a_viewer_iframe_becomes_the_body(viewer_crawl):
    assert viewer_crawl.pages[0].page.body.splitlines() == PDF_LINES


def test_pdf_in_a_viewer_iframe_body_source(viewer_crawl):
    assert viewer_crawl.pages[0].page.body_source == "pdf"


@pytest.fixture
def handler_crawl(serve, session, make_pdf):
    server = serve("jspx_attachment")
    server.overrides["/D49Y/index.jhtml"] = (
        "<html><body><ul><li><a href='7650033.jhtml'>榆滨市司法局2019年法治政府建设工作报告</a>"
        " 2020-03-31</li></ul></body></html>").encode()
    server.overrides["/attachment.jspx"] = make_pdf(PDF_LINES)
    return crawl_site(_site(server, "/D49Y/index.jhtml"), session, {}, revalidate_after=WEEK)


def test_pdf_behind_a_download_handler_becomes_the_body(handler_crawl):
    assert handler_crawl.pages[0].page.body.splitlines() == PDF_LINES


def test_pdf_behind_a_download_handler_body_source(handler_crawl):
    assert handler_crawl.pages[0].page.body_source == "pdf"


def test_a_file_linked_straight_from_the_list_takes_its_own_heading_and_byline(serve, session, make_docx):
    # Real lists often link a file by a shortened text (「关于…的报告」 without the government that wrote it).
    server = serve("generic")
    server.overrides["/news/list.html"] = (
        "<html><body><ul><li><a href='/files/r2023.docx'>关于2023年度法治政府建设情况的报告</a>"
        " 2024.03.28</li></ul></body></html>").encode()
    server.overrides["/files/r2023.docx"] = make_docx([
        "柳川县人民政府关于2023年度法治政府建设", "情况的报告", "发布日期:2024-03-21",
        "2023年，全县办理行政复议案件35件（虚构示例）。"])
    crawl = crawl_site(_site(server, "/news/list.html"), session, {}, revalidate_after=WEEK)
    page = crawl.pages[0].page
    assert page.title == "柳川县人民政府关于2023年度法治政府建设情况的报告"
    assert (page.published, page.published_from) == (date(2024, 3, 21), "byline")
    assert "35件" in page.body
