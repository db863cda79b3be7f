"""Batches of sites for the nightly flow: a few Prefect task runs per night, not three per site."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import threading
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from typing import TypeVar
from urllib.parse import urlsplit

import duckdb

from fzzf.parsers.records import Report
from fzzf.parsers.report import parse_report_or_flag
from fzzf.scrapers import fetchers
from fzzf.scrapers.crawl import crawl_site, crawl_sites, extract_pending, host_groups
from fzzf.scrapers.records import CrawledPage, KnownPage, SiteCrawl
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site
from fzzf.vocab import SiteStatus
from fzzf.warehouse import load

F = TypeVar("F")

# Requests in flight at once over all hosts (each host still gets one at a time, `min_interval` apart).
DEFAULT_MAX_IN_FLIGHT = 64

Parsed = tuple[SiteCrawl, list[tuple[CrawledPage, Report]]]

_sessions: dict[SessionSettings, PoliteSession] = {}
_sessions_lock = threading.Lock()


@dataclass(frozen=True)
class SessionSettings:
    """What a worker needs to build its polite session (a session itself does not cross processes)."""

    min_interval: float = 1.0
    max_in_flight: int | None = DEFAULT_MAX_IN_FLIGHT
    # (stable base, where it is served now) pairs: `PoliteSession(aliases=...)` as a hashable value.
    aliases: tuple[tuple[str, str], ...] = ()


def shared_session(settings: SessionSettings) -> PoliteSession:
    """One session per process and settings, so one throttle spans every batch the process runs."""
    with _sessions_lock:
        if settings not in _sessions:
            _sessions[settings] = PoliteSession(min_interval=settings.min_interval,
                                                max_in_flight=settings.max_in_flight, aliases=dict(settings.aliases))
        return _sessions[settings]


def plan_batches(sites: list[Site], batches: int) -> list[list[Site]]:
    """At most `batches` lists of sites, balanced by count; sites sharing a host stay in one list."""
    groups = sorted(host_groups(sites), key=len, reverse=True)
    planned: list[list[Site]] = [[] for _ in range(max(1, min(batches, len(groups))))]
    for group in groups:  # largest first into the lightest batch
        min(planned, key=len).extend(group)
    order = {site.id: i for i, site in enumerate(sites)}
    return [sorted(batch, key=lambda s: order[s.id]) for batch in planned if batch]


def chunks(sites: list[Site], size: int) -> list[list[Site]]:
    """`sites` cut into lists of at most `size`."""
    return [sites[i:i + size] for i in range(0, len(sites), max(1, size))]


def parse_parts(batch: list[Site], min_sites: int, most: int) -> list[list[Site]]:
    """A crawl batch's sites cut into parse tasks: at least `min_sites` each, at most `most` tasks."""
    return chunks(batch, max(min_sites, -(-len(batch) // max(1, most))))


def label(sites: list[Site]) -> str:
    """A batch's name in task run names and logs: its first site and how many more (`luting+24`)."""
    if not sites:
        return "none"
    return sites[0].id + (f"+{len(sites) - 1}" if len(sites) > 1 else "")


def crawl_batch(sites: list[Site], settings: SessionSettings, known: dict[str, dict[str, KnownPage]],
                revalidate_after: timedelta, progress: Callable[[str], None] | None = None) -> list[SiteCrawl]:
    """Crawl a batch at the politeness floor, its hosts spread over fetcher processes when there are many;
    extraction is left to `parse_batch`."""
    return crawl_sites(sites, shared_session(settings), known, revalidate_after=revalidate_after, extract=False,
                       progress=progress, processes=fetchers.DEFAULT_PROCESSES)


def parse_batch(sites: list[Site], crawls: list[SiteCrawl], settings: SessionSettings) -> list[Parsed]:
    """Extract and parse the new pages of `sites` (taken from a crawl batch's results)."""
    session = shared_session(settings)
    by_id = {crawl.site_id: crawl for crawl in crawls}
    done = []
    for site in sites:
        crawl = by_id[site.id]
        if crawl.pending:
            _rest_hosts(session, site, crawl.finished_at)
            extract_pending(site, session, crawl)
        # The store's rows are built here, in the parse task, so the night's one writer only inserts them.
        done.append((crawl, load.prepared(site, crawl, [(cp, parse_report_or_flag(cp.page, site))
                                                        for cp in crawl.pages])))
    return done


def store_batch(con: duckdb.DuckDBPyConnection, run_id: str, sites: dict[str, Site], parsed: list[Parsed]) -> load.LoadStats:
    """Load a batch of sites through one connection, in one transaction.

    When that fails, the sites are loaded again one by one (one transaction each), so a bad site loses only its
    own rows; the first site's error is raised once the others are stored.
    """
    batch = [(sites[site_crawl.site_id], site_crawl, pages) for site_crawl, pages in parsed]
    try:
        return load.load_sites(con, batch, run_id)
    except Exception:
        if len(batch) < 2:
            raise
    total, failure = load.LoadStats(), None
    for one in batch:
        try:
            stats = load.load_sites(con, [one], run_id)
        except Exception as exc:  # noqa: BLE001 - raised below, once every other site is stored
            failure = failure or exc
            continue
        for f in fields(total):
            setattr(total, f.name, getattr(total, f.name) + getattr(stats, f.name))
    if failure is not None:
        raise failure
    return total


# Whole-site outcomes worth another try within the night: the host was down or too slow for a while. A site's
# other outcomes (not_found, robots_denied, waf_challenge, ...) are answers a retry would only repeat.
RETRYABLE_STATUSES = frozenset({SiteStatus.UNREACHABLE, SiteStatus.TIMEOUT})


class SiteUnreachable(RuntimeError):
    """A whole site could not be reached (connection errors, timeouts): raised so Prefect retries the site."""

    def __init__(self, site_id: str, status: str, detail: str) -> None:
        super().__init__(site_id, status, detail)
        self.site_id, self.status, self.detail = site_id, status, detail

    def __str__(self) -> str:
        return f"{self.site_id} {self.status}: {self.detail}"


def finished_groups(futures: list[F], completed: Iterable[F], is_done: Callable[[F], bool]) -> Iterator[list[F]]:
    """The futures as they finish (`completed` yields them), each with every other one already finished.

    The night's one writer stores each group in one go: when it fell behind, the parses that finished meanwhile
    cost one store (one Prefect task run), not one each.
    """
    taken: set[int] = set()
    for future in completed:
        if id(future) in taken:
            continue
        group = [future, *(f for f in futures if id(f) not in taken and f is not future and is_done(f))]
        taken.update(id(f) for f in group)
        yield group


def split_retryable(parsed: list[Parsed]) -> tuple[list[Parsed], list[Parsed]]:
    """(sites to store now, sites unreachable as a whole that deserve another try)."""
    ready = [p for p in parsed if p[0].status not in RETRYABLE_STATUSES]
    again = [p for p in parsed if p[0].status in RETRYABLE_STATUSES]
    return ready, again


def retry_site(site: Site, settings: SessionSettings, known: dict[str, KnownPage], revalidate_after: timedelta,
               attempt: int) -> Parsed:
    """Crawl and parse one site again; raises SiteUnreachable while it still cannot be reached.

    A fresh session, because the shared one remembers an unreachable robots.txt as "disallow all" for its life.
    """
    with PoliteSession(min_interval=settings.min_interval, max_in_flight=settings.max_in_flight,
                       aliases=dict(settings.aliases)) as session:
        crawl = crawl_site(site, session, known, revalidate_after=revalidate_after)
    if crawl.status in RETRYABLE_STATUSES:
        raise SiteUnreachable(site.id, crawl.status, crawl.detail)
    crawl.detail += f" (reached on attempt {attempt})"
    return crawl, load.prepared(site, crawl, [(cp, parse_report_or_flag(cp.page, site))
                                                        for cp in crawl.pages])


def retries_exhausted(first: Parsed, attempts: int) -> Parsed:
    """The first attempt's typed outcome, noting that every retry failed too."""
    crawl, pages = first
    crawl.detail += f" (still {crawl.status} after {attempts} attempts)"
    return crawl, pages


def _rest_hosts(session: PoliteSession, site: Site, crawled_until: datetime) -> None:
    # Attachments may be fetched in another process than the crawl: keep the host's interval since its last request.
    since = (datetime.now(timezone.utc) - crawled_until).total_seconds()
    for url in site.start_urls:
        netloc = urlsplit(url).netloc
        session.throttle.not_before(netloc, session.host_interval(netloc) - since)
