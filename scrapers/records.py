"""Records the scraping layer hands to the layers above it: fetches, discovered links, extracted pages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from fzzf.vocab import FetchError, SiteStatus, values

# Typed site outcomes and fetch errors are defined once, in fzzf.vocab; these are their plain values.
SITE_STATUSES = values(SiteStatus)
FETCH_ERRORS = values(FetchError)


@dataclass
class FetchResult:
    """One HTTP exchange as the archive records it; `body` is None when nothing new was downloaded."""

    url: str
    final_url: str
    status: int | None
    fetched_at: datetime
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body: bytes | None = None
    sha256: str | None = None
    size_bytes: int = 0
    error: str | None = None
    error_detail: str | None = None
    elapsed_s: float = 0.0
    from_cache: bool = False
    retries: int = 0  # retries urllib3 made (connection errors, 429, 5xx) before this result

    @property
    def ok(self) -> bool:
        """True when the server answered 200 with a body, or 304 (unchanged)."""
        return self.error is None and self.status in (200, 304)

    @property
    def not_modified(self) -> bool:
        """True when revalidation showed the archived copy is still current."""
        return self.status == 304 or self.from_cache


@dataclass(frozen=True)
class KnownPage:
    """What the archive already holds for a URL: the validators for a conditional GET."""

    url: str
    sha256: str
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class DiscoveredLink:
    """A link found on a list page, with the classifier's verdict on its title."""

    url: str
    title: str
    list_url: str
    is_report: bool
    kind: str
    listed_date: date | None = None
    reason: str = ""


@dataclass
class Attachment:
    """A file linked from a report page (PDF, DOCX, DOC, WPS ...)."""

    url: str
    name: str
    kind: str


@dataclass
class Page:
    """What extraction gets out of one report page, before any text analysis."""

    url: str
    title: str | None
    published: date | None
    published_from: str | None
    body: str
    chrome: str = ""
    source: str | None = None
    site_name: str | None = None
    site_id_code: str | None = None
    column_name: str | None = None
    encoding: str | None = None
    body_source: str = "html"
    body_pages: int | None = None
    attachments: list[Attachment] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass
class CrawledPage:
    """A report page whose bytes are new or changed since the last run, ready to parse."""

    link: DiscoveredLink
    fetch: FetchResult
    page: Page


@dataclass
class SiteCrawl:
    """Everything one site's crawl produced: its outcome, every fetch, and the pages to parse."""

    site_id: str
    status: str
    started_at: datetime
    finished_at: datetime
    detail: str = ""
    list_pages: int = 0
    links: list[DiscoveredLink] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)
    pages: list[CrawledPage] = field(default_factory=list)
    unchanged_urls: list[str] = field(default_factory=list)
    failed_urls: list[str] = field(default_factory=list)
    # Report fetches whose extraction was deferred out of the fetch thread (`crawl.extract_pending`).
    pending: list[tuple[DiscoveredLink, FetchResult]] = field(default_factory=list)

    @property
    def reports_found(self) -> int:
        """Links the classifier took for real reports."""
        return sum(1 for link in self.links if link.is_report)

    @property
    def lookalikes_skipped(self) -> int:
        """Links whose titles marked them as look-alike documents."""
        return sum(1 for link in self.links if not link.is_report)

    @property
    def requests(self) -> int:
        """HTTP requests made (robots.txt included when fetched)."""
        return sum(1 for f in self.fetches if not f.from_cache)
