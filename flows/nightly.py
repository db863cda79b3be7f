"""The nightly Prefect flow: crawl every registry site, parse new pages, load, build marts, publish, export."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from fzzf.flows.run_id import new_run_id
from fzzf.flows.runlog import run_log
from fzzf.flows.summary import RunSummary, SiteLine
from fzzf.parsers.records import Report
from fzzf.parsers.report import parse_report_or_flag
from fzzf.scrapers.crawl import crawl_site
from fzzf.scrapers.records import CrawledPage, KnownPage, SiteCrawl
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import Site, load_registry, select_sites
from fzzf.warehouse import db, load, marts
from fzzf.warehouse.db import DEFAULT_DB, DEFAULT_EXPORT_DIR
from fzzf.warehouse.export import export_marts
from fzzf.warehouse.html_report import write_html_report

# Prefect's default thread pool is unbounded; hundreds of sites would be fetched at once.
DEFAULT_MAX_WORKERS = 8


@task(cache_policy=NO_CACHE)
def read_registry(registry: str, substitutions: dict[str, str] | None, site_ids: list[str] | None = None) -> list[Site]:
    """Load and validate the site registry; with `site_ids`, only those sites."""
    return select_sites(load_registry(registry, substitutions), site_ids)


@task(cache_policy=NO_CACHE)
def read_known_pages(db_path: str, sites: list[Site]) -> dict[str, dict[str, KnownPage]]:
    """What the archive already holds per site, for conditional GETs."""
    with db.connect_work(Path(db_path)) as con:
        return {site.id: load.known_pages(con, site.id) for site in sites}


# A site-level retry re-runs the crawl; conditional GETs make the repeat cheap. Failures inside a site
# (dead host, WAF page) are typed outcomes in SiteCrawl, not exceptions, so retries only cover crashes.
@task(retries=2, retry_delay_seconds=30, cache_policy=NO_CACHE, task_run_name="crawl-{site.id}")
def crawl(site: Site, session: PoliteSession, known: dict[str, KnownPage], revalidate_after_hours: float) -> SiteCrawl:
    """Discover and fetch one site's report pages."""
    return crawl_site(site, session, known, revalidate_after=timedelta(hours=revalidate_after_hours))


@task(cache_policy=NO_CACHE, task_run_name="parse-{site.id}")
def parse(site: Site, site_crawl: SiteCrawl) -> tuple[SiteCrawl, list[tuple[CrawledPage, Report]]]:
    """Parse every new or changed page of one site (each page once)."""
    return site_crawl, [(crawled, parse_report_or_flag(crawled.page, site)) for crawled in site_crawl.pages]


@task(cache_policy=NO_CACHE, task_run_name="store-{site.id}")
def store(db_path: str, run_id: str, site: Site, site_crawl: SiteCrawl, parsed: list[tuple[CrawledPage, Report]]) -> load.LoadStats:
    """Bulk-load one site's crawl and parsed reports into the working database."""
    with db.connect_work(Path(db_path)) as con:
        return load.load_site(con, site, site_crawl, parsed, run_id)


@task(cache_policy=NO_CACHE)
def begin_run(db_path: str, run_id: str, registry: str, sites: list[Site]) -> None:
    """Record the run's start."""
    with db.connect_work(Path(db_path)) as con:
        load.start_run(con, run_id, datetime.now(timezone.utc), registry, sites)


@task(cache_policy=NO_CACHE)
def build_and_check(db_path: str, run_id: str) -> list[str]:
    """Build the comparison marts, run the data tests, close the run; returns failing test names."""
    with db.connect_work(Path(db_path)) as con:
        marts.build_marts(con)
        failures = marts.run_data_tests(con)
        load.finish_run(con, run_id, datetime.now(timezone.utc))
        return [f.name for f in failures]


@task(cache_policy=NO_CACHE)
def publish(db_path: str) -> str:
    """Atomically replace the analysts' file with the new snapshot."""
    return str(db.publish(Path(db_path)))


@task(cache_policy=NO_CACHE)
def export(db_path: str, export_dir: str, run_id: str) -> list[str]:
    """Write every mart as CSV (UTF-8 with BOM) and Parquet."""
    return [str(p) for p in export_marts(Path(db_path), Path(export_dir), run_id)]


@task(cache_policy=NO_CACHE)
def html_report(db_path: str, export_dir: str) -> str:
    """Write the small static HTML report with its charts."""
    return str(write_html_report(Path(db_path), Path(export_dir) / "report"))


@flow(name="fzzf-nightly", task_runner=ThreadPoolTaskRunner(max_workers=DEFAULT_MAX_WORKERS), log_prints=False)
def nightly(
    registry: str,
    db_path: str = str(DEFAULT_DB),
    export_dir: str = str(DEFAULT_EXPORT_DIR),
    substitutions: dict[str, str] | None = None,
    min_interval_s: float = 1.0,
    revalidate_after_hours: float = 24 * 7,
    site_ids: list[str] | None = None,
    aliases: dict[str, str] | None = None,
) -> RunSummary:
    """Crawl the registry's sites (or only `site_ids`), parse what is new, load, build the marts, publish, export."""
    logger = get_run_logger()
    run_id = new_run_id()
    with run_log(db_path, run_id) as log_file:
        logger.info("run %s: log file %s", run_id, log_file)
        summary = _night(registry, db_path, export_dir, substitutions, min_interval_s, revalidate_after_hours,
                         site_ids, aliases, run_id)
        summary.log_file = str(log_file)
        logger.info("run %s finished: %d sites, %d new report versions, %d figures", run_id, len(summary.sites),
                    summary.report_versions_added, summary.metrics_added)
    with open(log_file, "a", encoding="utf-8") as handle:  # the summary once, at the end of the log
        handle.write(summary.render() + "\n")
    return summary


def _night(registry: str, db_path: str, export_dir: str, substitutions: dict[str, str] | None,
           min_interval_s: float, revalidate_after_hours: float, site_ids: list[str] | None,
           aliases: dict[str, str] | None, run_id: str) -> RunSummary:
    logger = get_run_logger()
    sites = read_registry(registry, substitutions, site_ids)
    known = read_known_pages(db_path, sites)
    begin_run(db_path, run_id, registry, sites)
    session = PoliteSession(min_interval=min_interval_s, aliases=aliases)
    by_id = {site.id: site for site in sites}
    logger.info("crawling %d sites, up to %d at a time", len(sites), DEFAULT_MAX_WORKERS)
    # Crawls are queued before parses, so a parse waiting on its crawl never starves the pool.
    crawls = [crawl.submit(site, session, known.get(site.id, {}), revalidate_after_hours) for site in sites]
    parses = [parse.submit(site, crawled) for site, crawled in zip(sites, crawls)]
    summary = RunSummary(run_id=run_id, db_path=db_path)
    # DuckDB has one writer: sites are loaded one at a time, in the order their parses finish.
    for done, future in enumerate(as_completed(parses), start=1):
        site_crawl, parsed = future.result()
        stats = store(db_path, run_id, by_id[site_crawl.site_id], site_crawl, parsed)
        summary.add_site(site_crawl, len(parsed))
        summary.report_versions_added += stats.report_versions
        summary.metrics_added += stats.metrics
        logger.info(progress_line(done, len(sites), summary.sites[-1], session.stats.requests))
    summary.data_test_failures = build_and_check(db_path, run_id)
    publish(db_path)
    summary.files_written = export(db_path, export_dir, run_id)
    summary.html_report = html_report(db_path, export_dir)
    return summary


def progress_line(done: int, total: int, site: SiteLine, requests_so_far: int) -> str:
    """`site 3/12 done: luting ok, 3 reports found, 2 parsed, 14 requests (run: 51 requests)`."""
    return (f"site {done}/{total} done: {site.site_id} {site.status}, {site.reports_found} reports found, "
            f"{site.pages_parsed} parsed, {site.requests} requests (run: {requests_so_far} requests)")
