"""Check a registry entry against its live site: each start URL fetched once, its outcome and CMS family."""
from __future__ import annotations

from dataclasses import dataclass

from fzzf.scrapers.encoding import decode_html
from fzzf.scrapers.families import adapter_for
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site

OK = "ok"


@dataclass(frozen=True)
class StartUrlCheck:
    """What one start URL answered: typed outcome, HTTP status, the family its markup shows."""

    site_id: str
    url: str
    outcome: str
    status: int | None
    detail: str
    family: str | None
    configured_family: str | None

    @property
    def family_agrees(self) -> bool:
        """True when no family is configured, or the page shows the configured one."""
        return self.configured_family is None or self.family in (None, self.configured_family)


def check_site(site: Site, session: PoliteSession) -> list[StartUrlCheck]:
    """Fetch each of the site's start URLs once (robots.txt and throttle obeyed) and type the answer."""
    return [_check(site, session, url) for url in site.start_urls]


def _check(site: Site, session: PoliteSession, url: str) -> StartUrlCheck:
    fetch = session.fetch(url, allowed_hosts=site.hosts)
    if not fetch.ok or fetch.body is None:
        detail = (f"HTTP {fetch.status}: " if fetch.status else "") + (fetch.error_detail or "")
        return StartUrlCheck(site.id, url, fetch.error or "http_error", fetch.status, detail, None, site.family)
    html = decode_html(fetch.body, fetch.content_type).text
    family = adapter_for(fetch.final_url, html).NAME
    detail = f"{fetch.size_bytes} bytes" + (f", redirected to {fetch.final_url}" if fetch.final_url != url else "")
    return StartUrlCheck(site.id, url, OK, fetch.status, detail, family, site.family)
