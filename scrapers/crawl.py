"""One site's crawl (list pages, pagination, classification, incremental report fetches, extraction) and many at once."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from fzzf.scrapers import fetchers
from fzzf.scrapers.attachments import AttachmentText, attachment_text, is_unsupported, sniff_kind
from fzzf.scrapers.classify import classify_title
from fzzf.scrapers.columns import discover as discover_columns
from fzzf.scrapers.discovery import parse_list_page
from fzzf.scrapers.extract import extract_page, text_page
from fzzf.scrapers.hosts import strip_userinfo
from fzzf.scrapers.records import CrawledPage, DiscoveredLink, FetchResult, KnownPage, Page, SiteCrawl
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site
from fzzf.vocab import FetchError, SiteStatus

ATTACHMENT_CAP = 50 * 1024 * 1024  # scanned PDFs run larger than the HTML cap; still bounded
# Columns a discovery pass hands to the crawl (the best ones; a portal may list a column per year).
DISCOVERED_COLUMNS = 2
BODY_KINDS = ("pdf", "docx", "doc", "wps", "ofd")
# A site with many report pages says how far it has got every this many pages (the run shows progress).
PROGRESS_EVERY = 25
# A failing list page maps to the site status the nightly summary shows.
STATUS_BY_ERROR = {
    FetchError.ROBOTS_DENIED: SiteStatus.ROBOTS_DENIED,
    FetchError.TLS_ERROR: SiteStatus.TLS_ERROR,
    FetchError.WAF_CHALLENGE: SiteStatus.WAF_CHALLENGE,
    FetchError.TIMEOUT: SiteStatus.TIMEOUT,
    FetchError.CONNECTION_ERROR: SiteStatus.UNREACHABLE,
}
# HTTP statuses that mean the list page is gone (the site then ends not_found).
GONE_STATUSES = (404, 410)
# Fetcher threads mostly sleep in their host's interval; this bounds threads, `max_in_flight` bounds requests.
DEFAULT_MAX_FETCHERS = 1024


def crawl_site(site: Site, session: PoliteSession, known: dict[str, KnownPage], *,
               revalidate_after: timedelta, extract: bool = True,
               progress: Callable[[str], None] | None = None) -> SiteCrawl:
    """Crawl one site; a site-level failure becomes `status`/`detail`, never an exception.

    With `extract=False` report bytes are kept in `pending` for `extract_pending`, so CPU-bound extraction
    runs outside the fetch threads (and does not hold the GIL against them). `progress` gets a line every
    PROGRESS_EVERY report pages of a long site.
    """
    crawl = SiteCrawl(site.id, SiteStatus.OK, _now(), _now())
    try:
        _crawl(site, session, known, revalidate_after, crawl, extract, progress)
    except Exception as exc:  # noqa: BLE001 - one broken site must not stop the night's run
        crawl.status, crawl.detail = SiteStatus.ERROR, f"{type(exc).__name__}: {exc}"[:500]
    crawl.fetches[:0] = _robots_fetches(site, session, crawl.started_at)
    crawl.finished_at = _now()
    return crawl


def crawl_sites(sites: Sequence[Site], session: PoliteSession, known: dict[str, dict[str, KnownPage]], *,
                revalidate_after: timedelta, extract: bool = False,
                max_fetchers: int = DEFAULT_MAX_FETCHERS,
                progress: Callable[[str], None] | None = None, processes: int = 1) -> list[SiteCrawl]:
    """Crawl many sites at the politeness floor: one cheap fetcher per host group, all groups at once.

    Sites sharing a host are crawled one after another by the same fetcher (they would queue on the host's
    interval anyway), so no fetcher ever sleeps on a host while another host is ready. With `processes` > 1
    and enough hosts, the hosts are spread over that many fetcher processes (`fetchers`). Returns in `sites` order.
    """
    groups = host_groups(sites)
    if not groups:
        return []
    spread_over = fetchers.processes_for(len(groups), processes)
    if spread_over > 1:
        done = fetchers.spread(_crawl_threads, groups, session, known, spread_over, progress,
                               revalidate_after=revalidate_after, extract=extract, max_fetchers=max_fetchers)
    else:
        done = _crawl_groups(groups, session, known, revalidate_after, extract, max_fetchers, progress)
    by_id = {c.site_id: c for c in done}
    return [by_id[site.id] for site in sites]


def _crawl_threads(sites: Sequence[Site], session: PoliteSession, known: dict[str, dict[str, KnownPage]], *,
                   revalidate_after: timedelta, extract: bool, max_fetchers: int,
                   progress: Callable[[str], None] | None) -> list[SiteCrawl]:
    """`crawl_sites` in this process's threads only (what each fetcher process runs)."""
    return _crawl_groups(host_groups(sites), session, known, revalidate_after, extract, max_fetchers, progress)


def _crawl_groups(groups: list[list[Site]], session: PoliteSession, known: dict[str, dict[str, KnownPage]],
                  revalidate_after: timedelta, extract: bool, max_fetchers: int,
                  progress: Callable[[str], None] | None) -> list[SiteCrawl]:
    if not groups:
        return []

    gate = threading.Event()

    def crawl_group(group: list[Site]) -> list[SiteCrawl]:
        # Every fetcher starts together: threads started while others already fetch wait long for the GIL.
        gate.wait()
        return [crawl_site(site, session, known.get(site.id, {}), revalidate_after=revalidate_after,
                           extract=extract, progress=progress) for site in group]

    workers = max(1, min(len(groups), max_fetchers))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fzzf-fetch") as pool:
        futures = [pool.submit(crawl_group, group) for group in groups]
        gate.set()
        return [c for future in futures for c in future.result()]


def host_groups(sites: Sequence[Site]) -> list[list[Site]]:
    """Sites partitioned so that no two groups share a start host (politeness holds per group)."""
    owner: dict[str, int] = {}
    parent: list[int] = list(range(len(sites)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, site in enumerate(sites):
        for url in site.start_urls:
            netloc = urlsplit(url).netloc.lower()
            if netloc in owner:
                parent[root(i)] = root(owner[netloc])
            else:
                owner[netloc] = i
    groups: dict[int, list[Site]] = {}
    for i, site in enumerate(sites):
        groups.setdefault(root(i), []).append(site)
    return list(groups.values())


def extract_pending(site: Site, session: PoliteSession, crawl: SiteCrawl) -> SiteCrawl:
    """Extract the pages a crawl deferred (fetching a body attachment where the page points to one)."""
    pending, crawl.pending = crawl.pending, []
    for link, fetch in pending:
        page = page_from(fetch, link)
        if "body_is_attachment" in page.flags:
            page = _body_from_attachment(site, session, page, crawl)
        crawl.pages.append(CrawledPage(link, fetch, page))
    if pending and crawl.status == SiteStatus.OK:
        budget = crawl.detail.partition("; ")[2]  # attachment fetches happen here now: recount
        crawl.detail = _summary(crawl) + (f"; {budget}" if budget else "")
    return crawl


def _crawl(site: Site, session: PoliteSession, known: dict[str, KnownPage], window: timedelta,
           crawl: SiteCrawl, extract: bool, progress: Callable[[str], None] | None = None) -> None:
    if site.discover:
        # The registry knows only the portal (the report URL carried just a document id): find the column first.
        found = discover_columns(site.start_urls[0], session, allowed_hosts=site.hosts)
        crawl.fetches.extend(found.fetches)
        if found.best is None:
            crawl.status = SiteStatus.NOT_FOUND
            crawl.detail = f"no report column found from {site.start_urls[0]} ({len(found.pages_read)} pages read)"
            return
        site = replace(site, start_urls=tuple(c.url for c in found.columns[:DISCOVERED_COLUMNS]))
    list_errors = _discover(site, session, crawl)
    if crawl.list_pages == 0:
        crawl.status, crawl.detail = _list_failure(list_errors)
        return
    reports = [link for link in crawl.links if link.is_report]
    if not reports:
        if known:
            crawl.status = SiteStatus.REDESIGN_SUSPECTED
            crawl.detail = f"{len(known)} reports archived, but {crawl.list_pages} list page(s) yielded none"
        else:
            crawl.detail = f"no reports among {len(crawl.links)} links"
        return
    # New reports first, so a budget cut leaves only revalidations for the next night.
    deferred = 0
    for n, link in enumerate(sorted(reports, key=lambda r: r.url in known), 1):
        if crawl.requests >= site.max_requests:
            deferred += 1
            continue
        _fetch_report(site, session, link, known.get(link.url), window, crawl, extract)
        if progress is not None and n % PROGRESS_EVERY == 0 and n < len(reports):
            progress(f"{site.id}: {n} of {len(reports)} report pages fetched ({crawl.requests} requests)")
    crawl.detail = _summary(crawl) + (f"; request budget of {site.max_requests} reached, {deferred} left for the "
                                      "next night" if deferred else "")


def _summary(crawl: SiteCrawl) -> str:
    # robots.txt outcomes are logged, not counted (they join the log after the crawl).
    counts = Counter(f.error for f in crawl.fetches if f.error and urlsplit(f.url).path != "/robots.txt")
    return (f"{crawl.reports_found} reports, {len(crawl.pages) + len(crawl.pending)} new or changed, "
            f"{len(crawl.unchanged_urls)} unchanged, {len(crawl.failed_urls)} failed"
            + (f" ({dict(counts)})" if counts else ""))


def _discover(site: Site, session: PoliteSession, crawl: SiteCrawl) -> Counter[tuple[FetchError, int | None]]:
    # Credentials written into a registry URL are never sent (and so never logged with the fetch).
    queue = [strip_userinfo(u) for u in site.start_urls]
    seen: set[str] = {_list_key(u) for u in queue}
    links: dict[str, DiscoveredLink] = {}
    errors: Counter[tuple[FetchError, int | None]] = Counter()
    while (queue and crawl.list_pages + sum(errors.values()) < site.max_list_pages
           and crawl.requests < site.max_requests):
        url = queue.pop(0)
        fetch = session.fetch(url, allowed_hosts=site.hosts)  # lists are always revalidated in full
        crawl.fetches.append(fetch)
        if fetch.body is None:
            errors[_error_key(fetch)] += 1
            crawl.failed_urls.append(url)
            continue
        crawl.list_pages += 1
        listing = parse_list_page(fetch.body, fetch.final_url, fetch.content_type, site.family,
                                  max_pages=site.max_list_pages)
        for item in listing.links:
            if item.url in links:
                continue
            verdict = classify_title(item.title)
            links[item.url] = DiscoveredLink(item.url, item.title, url, verdict.is_report, verdict.kind,
                                             item.listed_date, verdict.reason)
        for next_url in listing.next_urls:
            if _list_key(next_url) not in seen:
                seen.add(_list_key(next_url))
                queue.append(next_url)
    crawl.links = list(links.values())
    return errors


def _fetch_report(site: Site, session: PoliteSession, link: DiscoveredLink, known: KnownPage | None,
                  window: timedelta, crawl: SiteCrawl, extract: bool) -> None:
    fetch = session.fetch(link.url, allowed_hosts=site.hosts, known=known, revalidate_after=window)
    crawl.fetches.append(fetch)
    if fetch.not_modified and fetch.error is None:
        crawl.unchanged_urls.append(link.url)
        return
    if fetch.body is None:
        crawl.failed_urls.append(link.url)
        return
    if known is not None and fetch.sha256 == known.sha256:
        crawl.unchanged_urls.append(link.url)  # the server ignored our validators; the bytes say unchanged
        return
    if not extract:
        crawl.pending.append((link, fetch))
        return
    page = page_from(fetch, link)
    if "body_is_attachment" in page.flags:
        page = _body_from_attachment(site, session, page, crawl)
    crawl.pages.append(CrawledPage(link, fetch, page))


def page_from(fetch: FetchResult, link: DiscoveredLink) -> Page:
    """The page extracted from a report fetch's bytes (HTML, or a file the list linked to directly); no network."""
    kind = sniff_kind(fetch.body or b"")
    if kind is None:
        page = _extract(fetch)
        # Last resorts when the page itself says nothing: the list's date and the list's (untruncated) title.
        if page.published is None and link.listed_date is not None:
            page = replace(page, published=link.listed_date, published_from="list")
        if not page.title:
            page = replace(page, title=link.title)
        return page
    # The list linked straight to a file: the file is the report. Its own heading names the report better than
    # the list's link text (often shortened, or 「关于…的报告」 without its government); a date its byline
    # states comes before the list's, which comes before one read from the URL.
    text = attachment_text(fetch.body or b"", kind)
    own = text_page(text.text, fetch.final_url) if text.text else None
    title = own.title if own and own.title else link.title
    published, published_from = link.listed_date, "list" if link.listed_date else None
    if own and own.published and (own.published_from != "url" or published is None):
        published, published_from = own.published, own.published_from
    return Page(url=fetch.final_url, title=title, published=published, published_from=published_from,
                body=text.text, body_source=text.source, body_pages=text.pages, flags=attachment_flags(text))


def _extract(fetch: FetchResult) -> Page:
    return extract_page(fetch.body or b"", fetch.final_url, fetch.content_type)


def attachment_body(page: Page, read: Callable[[str], bytes | None]) -> Page | None:
    """The page with its body read from its first readable PDF/DOC(X)/WPS attachment, or None.

    `read(url)` supplies an attachment's bytes: a polite fetch during a crawl, the archive during a re-parse.
    """
    unsupported = False
    for attachment in (a for a in page.attachments if a.kind in BODY_KINDS):
        data = read(attachment.url)
        if data is None:
            continue
        text = attachment_text(data, attachment.kind)
        if text.error and not text.text:
            unsupported = unsupported or is_unsupported(text)
            continue
        return replace(page, body=text.text or page.body, body_source=text.source, body_pages=text.pages,
                       flags=page.flags + attachment_flags(text))
    # Only files of a type fzzf cannot read: the report is typed by that, not stored as an empty one.
    return replace(page, flags=page.flags + ["unsupported_attachment"]) if unsupported else None


def attachment_flags(text: AttachmentText) -> list[str]:
    """Flags an attachment's text earns: `needs_ocr` (no text layer), `unsupported_attachment`, `attachment_unreadable`."""
    flags = ["needs_ocr"] if text.needs_ocr else []
    if text.error:
        flags.append("unsupported_attachment" if is_unsupported(text) else "attachment_unreadable")
    return flags


def _body_from_attachment(site: Site, session: PoliteSession, page: Page, crawl: SiteCrawl) -> Page:
    def fetch_attachment(url: str) -> bytes | None:
        if crawl.requests >= site.max_requests:
            return None
        fetch = session.fetch(url, allowed_hosts=site.hosts, max_bytes=ATTACHMENT_CAP)
        crawl.fetches.append(fetch)
        return fetch.body

    return attachment_body(page, fetch_attachment) or replace(page, flags=page.flags + ["attachment_unavailable"])


def _list_failure(errors: Counter[tuple[FetchError, int | None]]) -> tuple[SiteStatus, str]:
    if not errors:
        return SiteStatus.ERROR, "no list page could be fetched"
    (error, http_status), _ = errors.most_common(1)[0]
    if error is FetchError.HTTP_ERROR and http_status in GONE_STATUSES:
        status = SiteStatus.NOT_FOUND
    else:
        status = STATUS_BY_ERROR.get(error, SiteStatus.ERROR)
    return status, f"list pages failed: {_describe(errors)}"


def _error_key(fetch: FetchResult) -> tuple[FetchError, int | None]:
    # A failed fetch without a typed error is an HTTP answer other than 200/304; only "gone" keeps its status.
    error = FetchError(fetch.error or FetchError.HTTP_ERROR)
    return error, fetch.status if error is FetchError.HTTP_ERROR and fetch.status in GONE_STATUSES else None


def _describe(errors: Counter[tuple[FetchError, int | None]]) -> dict[str, int]:
    return {(f"{error} {status}" if status else str(error)): n for (error, status), n in errors.items()}


def _robots_fetches(site: Site, session: PoliteSession, since: datetime) -> list[FetchResult]:
    # robots.txt is fetched once per session; it belongs to this crawl's log only if this crawl caused it.
    keys = dict.fromkeys(f"{urlsplit(u).scheme}://{urlsplit(u).netloc.lower()}" for u in site.start_urls)
    results = (session.robots.results.get(key) for key in keys)
    return [r for r in results if r is not None and r.fetched_at >= since]


def _list_key(url: str) -> str:
    # `col/` and `col/index.html` are the same list page on every CMS here.
    url = url.split("#")[0]
    return url + "index.html" if url.endswith("/") else url


def _now() -> datetime:
    return datetime.now(timezone.utc)


def known_from(crawl: SiteCrawl) -> dict[str, KnownPage]:
    """The archive's view after a crawl (what the warehouse's `known_pages` returns next night)."""
    return {
        cp.link.url: KnownPage(cp.link.url, cp.fetch.sha256 or "", cp.fetch.fetched_at, cp.fetch.etag,
                               cp.fetch.last_modified)
        for cp in crawl.pages
        if cp.fetch.sha256
    }
