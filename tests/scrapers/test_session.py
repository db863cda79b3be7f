"""PoliteSession against a fault-injecting loopback server: every fault ends as documented."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

from fzzf.scrapers.hosts import host_allowed, redirect_refusal
from fzzf.scrapers.records import FetchResult, KnownPage
from fzzf.scrapers.robots import RobotsCache, RobotsVerdict
from fzzf.scrapers.session import PoliteSession, build_user_agent


def _get(session, faults, path, **kw):
    return session.fetch(faults.base_url + path, allowed_hosts=(faults.netloc,), **kw)


def test_plain_page(session, faults):
    result = _get(session, faults, "/ok")
    assert (result.status, result.error) == (200, None)
    assert result.sha256 and result.size_bytes == len(result.body)


def test_connection_reset_is_retried_then_typed(session, faults):
    result = _get(session, faults, "/reset")
    assert result.error == "connection_error"
    assert faults.hits["/reset"] == 3  # first try + 2 retries
    assert result.retries == 2


def test_503_with_retry_after_recovers(session, faults):
    result = _get(session, faults, "/flaky")
    assert (result.status, result.error, result.retries) == (200, None, 2)


def test_persistent_500_ends_as_http_error(session, faults):
    result = _get(session, faults, "/always500")
    assert (result.status, result.error) == (500, "http_error")
    assert faults.hits["/always500"] == 3


def test_429_retry_after_of_an_hour_is_capped(session, faults):
    result = _get(session, faults, "/429")
    # The cap (0.05 s here) bounds each wait; without it this test would sleep for hours.
    assert (result.status, result.error, result.retries) == (429, "http_error", 2)


def test_slow_body_times_out(session, faults):
    result = _get(session, faults, "/slow-body")
    assert result.error == "timeout"
    assert result.body is None


def test_truncated_body_is_not_accepted(session, faults):
    result = _get(session, faults, "/truncated")
    assert result.error == "connection_error"
    assert "truncated" in result.error_detail


def test_412_challenge(session, faults):
    result = _get(session, faults, "/challenge")
    assert (result.status, result.error) == (412, "waf_challenge")


def test_script_only_ts_page_with_200_is_a_challenge(session, faults):
    result = _get(session, faults, "/challenge200")
    assert (result.status, result.error) == (200, "waf_challenge")


def test_redirect_to_another_host_is_refused_and_not_followed(session, faults):
    result = _get(session, faults, "/redirect-off")
    assert result.error == "off_site_redirect"
    assert faults.other.netloc in result.error_detail
    assert faults.other.hits["/ok"] == 0


def test_redirect_within_the_host_is_followed(session, faults):
    result = _get(session, faults, "/redirect-in")
    assert (result.status, result.final_url) == (200, faults.base_url + "/ok")


def test_redirect_loop_is_bounded(session, faults):
    result = _get(session, faults, "/redirect-loop")
    assert result.error == "http_error"
    assert faults.hits["/redirect-loop"] == session.max_redirects + 1


def test_oversized_stream_is_aborted_mid_body(session, faults):
    result = _get(session, faults, "/big")
    assert result.error == "too_large"
    assert "aborted after" in result.error_detail


def test_oversized_declared_length_is_refused_before_reading(session, faults):
    result = _get(session, faults, "/big-declared")
    assert result.error == "too_large"
    assert "Content-Length" in result.error_detail


def test_robots_disallow_blocks_without_a_request(session, faults):
    result = _get(session, faults, "/private/page")
    assert result.error == "robots_denied"
    assert faults.hits["/private/page"] == 0


def test_robots_is_fetched_once_per_host(session, faults):
    for path in ("/ok", "/etag", "/ok"):
        _get(session, faults, path)
    assert faults.hits["/robots.txt"] == 1


def test_robots_crawl_delay_raises_the_host_interval(serve):
    server = serve("trs")  # its robots.txt says Crawl-delay: 0.05
    with PoliteSession(min_interval=0.0) as session:
        session.fetch(server.base_url + "/fzzfjsndbg/index.html", allowed_hosts=(server.base_url[7:],))
        assert session.host_interval(server.base_url[7:]) == pytest.approx(0.05)


def test_host_not_allowed_is_not_requested(session, faults):
    result = session.fetch(faults.base_url + "/ok", allowed_hosts=("www.example.gov.cn",))
    assert result.error == "host_not_allowed"
    assert faults.hits["/ok"] == 0


def test_tls_error(session, faults):
    result = session.fetch(f"https://{faults.netloc}/ok", allowed_hosts=(faults.netloc,))
    assert result.error == "tls_error"


def test_unreachable_host_is_a_connection_error(session):
    result = session.fetch("http://127.0.0.1:9/ok", allowed_hosts=("127.0.0.1:9",))
    assert result.error == "connection_error"


def test_conditional_get_gets_304_and_no_body(session, faults):
    first = _get(session, faults, "/etag")
    known = KnownPage(first.url, first.sha256, first.fetched_at - timedelta(days=30), etag=first.etag)
    second = _get(session, faults, "/etag", known=known, revalidate_after=timedelta(days=7))
    assert (second.status, second.body, second.not_modified) == (304, None, True)
    assert faults.full_bodies["/etag"] == 1


def test_revalidation_window_skips_the_request(session, faults):
    known = KnownPage(faults.base_url + "/etag", "ab" * 32, datetime.now(timezone.utc), etag='"v1"')
    result = _get(session, faults, "/etag", known=known, revalidate_after=timedelta(days=7))
    assert (result.from_cache, result.sha256) == (True, "ab" * 32)
    assert faults.hits["/etag"] == 0


def test_user_agent_is_honest_with_a_contact(monkeypatch):
    monkeypatch.delenv("FZZF_CONTACT", raising=False)
    assert build_user_agent().startswith("fzzf/") and "FZZF_CONTACT" in build_user_agent()
    monkeypatch.setenv("FZZF_CONTACT", "mailto:crawler@example.org")
    agent = build_user_agent()
    assert agent.startswith("fzzf/") and "mailto:crawler@example.org" in agent
    assert "Mozilla" not in agent


def test_stats_count_requests_and_retries(session, faults):
    _get(session, faults, "/flaky")
    assert session.stats.retries == 2
    assert session.stats.requests == 4  # robots.txt + 3 tries of /flaky


def test_host_matching_allows_subdomains_of_a_configured_domain():
    assert host_allowed("www.qinghe.gov.cn", ["qinghe.gov.cn"])
    assert not host_allowed("qinghe.gov.cn.evil.com", ["qinghe.gov.cn"])
    assert not host_allowed("127.0.0.1:8001", ["127.0.0.1:8000"])


def test_redirect_to_a_private_address_under_an_allowed_domain_is_refused():
    refusal = redirect_refusal("http://intranet.qinghe.gov.cn/x", ["qinghe.gov.cn"], resolve=lambda h: ["10.1.2.3"])
    assert "internal address 10.1.2.3" in refusal
    assert redirect_refusal("http://www.qinghe.gov.cn/x", ["qinghe.gov.cn"], resolve=lambda h: ["59.1.2.3"]) is None


def test_redirect_to_a_non_http_scheme_is_refused():
    assert "scheme" in redirect_refusal("file:///etc/passwd", ["qinghe.gov.cn"])


def test_if_modified_since_revalidation(session, faults):
    first = _get(session, faults, "/lastmod")
    known = KnownPage(first.url, first.sha256, first.fetched_at, last_modified=first.last_modified)
    second = _get(session, faults, "/lastmod", known=known, revalidate_after=timedelta(0))
    assert (second.status, second.body) == (304, None)
    assert faults.full_bodies["/lastmod"] == 1


def test_one_host_is_never_hit_concurrently(session, faults):
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: _get(session, faults, "/hold"), range(4)))
    assert [r.status for r in results] == [200] * 4
    assert faults.max_in_flight == 1


def _robots(status, body=b"", error=None):
    def get(url, allowed=()):
        return FetchResult(url=url, final_url=url, status=status, fetched_at=datetime.now(timezone.utc),
                           body=body if status == 200 else None, error=error)
    return get


def test_robots_404_allows_everything():
    verdict = RobotsCache(_robots(404), "fzzf/0.1").check("http://a.example/x")
    assert verdict.allowed


def test_robots_5xx_disallows_the_host_for_the_session():
    cache = RobotsCache(_robots(503), "fzzf/0.1")
    verdict = cache.check("http://a.example/x")
    assert (verdict.allowed, verdict.error) == (False, None)
    assert "503" in verdict.reason


def test_robots_unreachable_reports_the_network_error():
    verdict = RobotsCache(_robots(None, error="timeout"), "fzzf/0.1").check("http://a.example/x")
    assert (verdict.allowed, verdict.error) == (False, "timeout")


def test_robots_agent_specific_group_and_fractional_crawl_delay():
    body = b"User-agent: *\nDisallow: /\n\nUser-agent: fzzf\nDisallow: /admin/\nCrawl-delay: 2.5\n"
    cache = RobotsCache(_robots(200, body), "fzzf/0.1 (+https://example.org)")
    assert cache.check("http://a.example/report.html") == RobotsVerdict(True, "allowed by robots.txt", 2.5)
    assert not cache.check("http://a.example/admin/x").allowed
    assert cache.fetched == ["http://a.example/robots.txt"]


def test_invalid_url_is_a_typed_error(session):
    result = session.fetch("http://[not-an-ip/x", allowed_hosts=("example.gov.cn",))
    assert (result.error, result.body) == ("http_error", None)
    assert "invalid URL" in result.error_detail
