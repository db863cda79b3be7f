"""A hostile site on loopback: userinfo SSRF, internal redirects, robots.txt tricks, trickling bodies, huge pagers."""
from __future__ import annotations

import gzip
import time
from datetime import timedelta

import pytest

from fzzf.scrapers.crawl import crawl_site
from fzzf.scrapers.discovery import parse_list_page
from fzzf.scrapers.families import hanweb, trs
from fzzf.scrapers.families.base import MAX_PAGE_URLS
from fzzf.scrapers.hosts import host_allowed, is_internal, peer_refusal, strip_userinfo, url_refusal
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site
from tests.scrapers.conftest import FAST
from tests.support.hostile import HostileServer, Reply, slow_headers, trickle

WEEK = timedelta(days=7)
SECRET = b"<html><body><p>internal-admin-secret-token</p></body></html>"
# Fictional list page (虚构示例) in the plain ul/li shape every CMS family falls back to.
LIST = """<html><head><meta charset="utf-8"><title>法治政府建设(虚构示例)</title></head><body>
<ul class="list">{items}</ul></body></html>"""
ITEM = '<li><a href="{href}">虚构县{year}年法治政府建设年度报告</a><span>2024-03-2{d}</span></li>'
REPORT = ("<html><head><meta charset='utf-8'><title>虚构县{n}年法治政府建设年度报告</title></head><body>"
          "<div class='article'><p>虚构县{n}年法治政府建设年度报告(虚构示例)。全年办理行政复议案件{n}件。</p></div>"
          "</body></html>")


@pytest.fixture
def hostile():
    started: list[HostileServer] = []

    def start(routes=None) -> HostileServer:
        server = HostileServer(routes).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def session():
    made = PoliteSession(**{**FAST, "max_bytes": 1_000_000})
    yield made
    made.close()


def _list(*hrefs: str) -> bytes:
    items = "".join(ITEM.format(href=h, year=2023 - i, d=i % 10) for i, h in enumerate(hrefs))
    return LIST.format(items=items).encode()


def _site(server: HostileServer, *extra_hosts: str, **kw) -> Site:
    hosts = (server.netloc, *extra_hosts) if extra_hosts else ()
    return Site(id="hostile", name="虚构县(虚构示例)", province="虚构省", level="county",
                start_urls=(server.base_url + "/list/",), allowed_hosts=hosts, **kw)


# -- #9.1 hosts on the parsed URL, userinfo, internal addresses -------------------------------------


def test_userinfo_link_to_an_internal_service_is_never_fetched(hostile, session):
    secret = hostile({"/admin/secret": Reply(body=SECRET)})
    attack = f"http://www.example.gov.cn:x@{secret.netloc}/admin/secret"
    site_server = hostile({"/list/index.html": Reply(body=_list(attack))})
    crawl = crawl_site(_site(site_server, "www.example.gov.cn"), session, {}, revalidate_after=WEEK)
    assert secret.hits["/admin/secret"] == 0
    assert all(b"secret-token" not in (cp.fetch.body or b"") for cp in crawl.pages)
    refused = [f for f in crawl.fetches if f.url == attack]
    assert [f.error for f in refused] == ["host_not_allowed"]
    assert "userinfo" in refused[0].error_detail


def test_userinfo_is_never_sent_as_basic_auth(hostile, session):
    server = hostile({"/ok": Reply(body=b"<p>ok</p>")})
    result = session.fetch(f"http://user:pass@{server.netloc}/ok", allowed_hosts=(server.netloc,))
    assert result.error == "host_not_allowed"
    assert (server.hits["/ok"], server.auth_headers) == (0, [])


def test_registry_url_credentials_are_stripped_before_the_fetch(hostile, session):
    server = hostile({"/list/index.html": Reply(body=_list())})
    site = Site(id="cred", name="虚构县(虚构示例)", province="虚构省", level="county",
                start_urls=(f"http://user:pw@{server.netloc}/list/",))
    crawl = crawl_site(site, session, {}, revalidate_after=WEEK)
    assert site.hosts == (server.netloc,)
    assert server.hits["/list/index.html"] == 1 and server.auth_headers == []
    assert all("pw@" not in f.url and "pw@" not in f.final_url for f in crawl.fetches)


def test_redirect_hop_to_an_internal_address_is_refused(hostile, session):
    secret = hostile({"/admin/secret": Reply(body=SECRET)})
    server = hostile({"/go": Reply(302, headers={"Location": f"{secret.base_url}/admin/secret"}),
                      "/go-userinfo": Reply(302, headers={"Location": f"http://a@{secret.netloc}/admin/secret"})})
    for path in ("/go", "/go-userinfo"):
        result = session.fetch(server.base_url + path, allowed_hosts=(server.netloc, "127.0.0.1"))
        assert result.error == "off_site_redirect", path
    assert secret.hits["/admin/secret"] == 0


def test_a_subdomain_resolving_to_loopback_is_refused_for_links_and_redirects(hostile, session, monkeypatch):
    secret = hostile({"/admin/secret": Reply(body=SECRET)})
    port = secret.netloc.split(":")[1]
    inner = f"http://intranet.example.gov.cn:{port}/admin/secret"
    server = hostile({"/go": Reply(302, headers={"Location": inner})})
    monkeypatch.setattr(session, "_resolve", lambda host: ["127.0.0.1"])
    allowed = (server.netloc, "example.gov.cn")
    assert session.fetch(inner, allowed_hosts=allowed).error == "host_not_allowed"
    assert session.fetch(server.base_url + "/go", allowed_hosts=allowed).error == "off_site_redirect"
    assert secret.hits["/admin/secret"] == 0


def test_localhost_is_treated_the_same_as_a_link_and_as_a_redirect(hostile, session):
    target = hostile({"/ok": Reply(body=b"<p>ok</p>")})
    port = target.netloc.split(":")[1]
    local = f"http://localhost:{port}/ok"
    server = hostile({"/go": Reply(302, headers={"Location": local})})
    # Not configured: refused both ways.
    assert session.fetch(local, allowed_hosts=(server.netloc,)).error == "host_not_allowed"
    assert session.fetch(server.base_url + "/go", allowed_hosts=(server.netloc,)).error == "off_site_redirect"
    # Configured exactly (as the demo and tests do for loopback): followed both ways.
    allowed = (server.netloc, f"localhost:{port}")
    assert session.fetch(local, allowed_hosts=allowed).status == 200
    assert session.fetch(server.base_url + "/go", allowed_hosts=allowed).status == 200


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.8", "172.16.3.4", "192.168.1.1", "169.254.169.254",
                                     "100.100.100.200", "0.0.0.0", "::1", "fe80::1", "::ffff:127.0.0.1",
                                     "fd00:ec2::254", "224.0.0.1"])
def test_internal_addresses_are_refused_unless_configured_exactly(address):
    assert is_internal(address)
    assert "internal address" in url_refusal("http://x.example.gov.cn/", ["example.gov.cn"], lambda h: [address])
    assert url_refusal("http://59.1.2.3/", ["59.1.2.3"]) is None
    assert peer_refusal("x.example.gov.cn", None, "http", address, ["example.gov.cn"])
    assert peer_refusal("x.example.gov.cn", None, "http", address, ["x.example.gov.cn"]) is None


def test_host_is_read_from_the_parsed_url_not_before_the_at_sign():
    assert "userinfo" in url_refusal("http://www.example.gov.cn:x@127.0.0.1:9/admin", ["www.example.gov.cn"])
    assert not host_allowed("www.example.gov.cn:x@127.0.0.1:9", ["www.example.gov.cn"])
    assert "off-site" in url_refusal("http://127.0.0.1:9/admin", ["www.example.gov.cn"])
    assert strip_userinfo("http://u:p@www.example.gov.cn/x?a=1") == "http://www.example.gov.cn/x?a=1"


def test_www_and_bare_host_redirect_both_ways():
    public = lambda host: ["59.1.2.3"]  # noqa: E731 - a stand-in resolver: tests never use DNS
    assert url_refusal("http://www.qinghe.gov.cn/x", ["qinghe.gov.cn"], public) is None
    assert url_refusal("http://qinghe.gov.cn/x", ["www.qinghe.gov.cn"], public) is None
    assert url_refusal("http://evilqinghe.gov.cn/x", ["www.qinghe.gov.cn"], public) is not None


# -- #9.2 robots.txt per RFC 9309 ------------------------------------------------------------------

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


def _robots_case(hostile, session, routes):
    server = hostile({"/page.html": Reply(body=b"<p>page</p>"), **routes})
    result = session.fetch(server.base_url + "/page.html", allowed_hosts=(server.netloc,))
    return server, result


def test_large_robots_is_parsed_not_ignored(hostile, session):
    body = DISALLOW_ALL + b"# padding line to make the file large\n" * 30_000  # 1.1 MB
    server, result = _robots_case(hostile, session, {"/robots.txt": Reply(body=body, headers={"Content-Type": "text/plain"})})
    assert result.error == "robots_denied"
    assert server.hits["/page.html"] == 0


def test_rules_within_the_first_500_kib_count(hostile, session):
    body = b"User-agent: *\n" + b"Allow: /a-harmless-path-of-some-length/\n" * 12_000 + b"Disallow: /\n"
    assert len(body) < 512 * 1024 and len(body) > 400 * 1024
    _server, result = _robots_case(hostile, session, {"/robots.txt": Reply(body=body)})
    assert result.error == "robots_denied"


def test_gzip_encoded_robots_is_obeyed(hostile, session):
    packed = gzip.compress(DISALLOW_ALL)
    for headers in ({"Content-Encoding": "gzip", "Content-Type": "text/plain"}, {"Content-Type": "application/x-gzip"}):
        server, result = _robots_case(hostile, session, {"/robots.txt": Reply(body=packed, headers=headers)})
        assert result.error == "robots_denied", headers
        assert server.hits["/page.html"] == 0


def test_redirected_robots_is_followed(hostile, session):
    routes = {"/robots.txt": Reply(301, headers={"Location": "/r1"}), "/r1": Reply(302, headers={"Location": "/r2"}),
              "/r2": Reply(body=b"\xef\xbb\xbf" + DISALLOW_ALL)}
    server, result = _robots_case(hostile, session, routes)
    assert result.error == "robots_denied"
    assert (server.hits["/r2"], server.hits["/page.html"]) == (1, 0)


def test_robots_5xx_disallows_the_whole_host_for_the_run(hostile, session):
    server, result = _robots_case(hostile, session, {"/robots.txt": Reply(503, b"down")})
    assert result.error == "robots_denied" and "503" in result.error_detail
    tries = server.hits["/robots.txt"]  # a 503 is retried within the one fetch
    again = session.fetch(server.base_url + "/page.html", allowed_hosts=(server.netloc,))
    assert again.error == "robots_denied"
    assert (server.hits["/robots.txt"], server.hits["/page.html"]) == (tries, 0)


# -- #9.9 bounds: whole-fetch deadline, pagers, nesting ---------------------------------------------


def test_whole_fetch_deadline_holds_against_a_trickling_body(hostile):
    server = hostile({"/slow": trickle(b"x" * 2000, every_s=0.02, limit_s=20)})
    with PoliteSession(**{**FAST, "max_fetch_seconds": 1.0, "read_timeout": 0.5}) as slow:
        t0 = time.monotonic()
        result = slow.fetch(server.base_url + "/slow", allowed_hosts=(server.netloc,))
        took = time.monotonic() - t0
    assert result.error == "timeout"
    assert took < 2.0, took



def test_whole_fetch_deadline_holds_against_headers_sent_one_line_at_a_time(hostile):
    server = hostile({"/slowh": slow_headers(lines=60, every_s=0.1)})
    with PoliteSession(**{**FAST, "max_fetch_seconds": 1.0, "read_timeout": 0.5}) as slow:
        t0 = time.monotonic()
        result = slow.fetch(server.base_url + "/slowh", allowed_hosts=(server.netloc,))
        took = time.monotonic() - t0
    assert result.error == "timeout"
    assert took < 2.0, took
    assert server.hits["/slowh"] == 1  # no retry once the deadline has passed

HANWEB_HUGE = """<html><body><div id="4001"><script type="text/xml"><datastore><nextgroup></nextgroup>
<recordset><record><![CDATA[<li><a href="/art/2024/3/20/art_4001_1.html">虚构县2023年法治政府建设年度报告</a><span>2024-03-20</span></li>]]></record></recordset>
</datastore></script></div><script>var unitid=4001; totalRecord=10000000; perpage=15;</script>
<totalrecord>10000000</totalrecord></body></html>"""
TRS_HUGE = """<html><body><ul><li><a href="./202403/t20240320_1.html">虚构县2023年法治政府建设年度报告</a><span>2024-03-20</span></li></ul>
<script>var countPage = 10000000; var currentPage = 0; createPageHTML(countPage, currentPage, "index", "html");</script>
</body></html>"""


@pytest.mark.parametrize(("html", "url", "module"), [
    (HANWEB_HUGE, "http://x.example.gov.cn/col/col4001/index.html", hanweb),
    (TRS_HUGE, "http://x.example.gov.cn/fzzfjsndbg/index.html", trs),
])
def test_a_pager_declaring_ten_million_pages_generates_no_more_than_the_cap(html, url, module):
    t0 = time.monotonic()
    page = parse_list_page(html, url, "text/html", max_pages=20)
    assert len(page.next_urls) == 20
    assert len(module.page_urls(html, url)) <= MAX_PAGE_URLS
    assert time.monotonic() - t0 < 1.0


def test_ten_thousand_nested_divs_do_not_stop_the_site(hostile, session):
    deep = ("<html><head><meta charset='utf-8'><title>虚构县2023年法治政府建设年度报告</title></head><body>"
            + "<div>" * 10_000 + "<p>虚构县2023年法治政府建设年度报告(虚构示例)。全年办理行政复议案件35件。</p>"
            + "</div>" * 10_000 + "</body></html>").encode()
    server = hostile({"/list/index.html": Reply(body=_list("/r/deep.html", "/r/plain.html")),
                      "/r/deep.html": Reply(body=deep), "/r/plain.html": Reply(body=REPORT.format(n=2022).encode())})
    crawl = crawl_site(_site(server), session, {}, revalidate_after=WEEK)
    assert crawl.status == "ok", crawl.detail
    pages = {cp.link.url.rsplit("/", 1)[1]: cp.page for cp in crawl.pages}
    assert set(pages) == {"deep.html", "plain.html"}
    assert "35件" in pages["deep.html"].body
    assert "deep_markup_flattened" in pages["deep.html"].flags


def test_deeply_nested_list_page_still_yields_its_links():
    html = "<html><body>" + "<div>" * 5000 + _list("/r/a.html").decode() + "</div>" * 5000 + "</body></html>"
    page = parse_list_page(html, "http://x.example.gov.cn/list/", "text/html")
    assert [link.url for link in page.links] == ["http://x.example.gov.cn/r/a.html"]


# -- #9.11 per-site request budget ---------------------------------------------------------------


def test_a_list_of_5000_reports_is_bounded_by_the_request_budget(hostile, session):
    hrefs = [f"/r/{i}.html" for i in range(5000)]
    routes = {"/list/index.html": Reply(body=_list(*hrefs))}
    server = hostile(routes)
    crawl = crawl_site(_site(server, max_requests=25), session, {}, revalidate_after=WEEK)
    sent = sum(server.hits.values())
    assert sent <= 26, sent  # the budget, plus robots.txt which the session fetches once per host
    assert crawl.requests <= 26
    assert "request budget of 25 reached" in crawl.detail


def test_ten_thousand_nested_divs_parse_alone_as_fzzf_parse_reads_them():
    from fzzf.parsers.report import parse_page

    deep = ("<html><head><meta charset='utf-8'><title>虚构县2023年法治政府建设年度报告</title></head><body>"
            + "<div>" * 10_000 + "<p>虚构县2023年法治政府建设年度报告(虚构示例)。全年办理行政复议案件35件。</p>"
            + "</div>" * 10_000 + "</body></html>").encode()
    report = parse_page(deep, "http://x.example.gov.cn/r/deep.html", "text/html")
    assert "deep_markup_flattened" in report.flags
    assert "parse_error" not in report.flags


def test_a_long_site_reports_its_progress_every_25_report_pages(hostile, session):
    hrefs = [f"/r/{i}.html" for i in range(60)]
    routes = {"/list/index.html": Reply(body=_list(*hrefs)),
              **{h: Reply(body=REPORT.format(n=2000 + i).encode()) for i, h in enumerate(hrefs)}}
    server = hostile(routes)
    lines: list[str] = []
    crawl_site(_site(server), session, {}, revalidate_after=WEEK, progress=lines.append)
    assert [line.split(" (")[0] for line in lines] == ["hostile: 25 of 60 report pages fetched",
                                                       "hostile: 50 of 60 report pages fetched"]
