"""The nightly Prefect flow: crawl every registry site, parse new pages, load, build marts, publish, export."""
from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.runtime import task_run

from fzzf.flows import batches, runners
from fzzf.flows.batches import Parsed, SessionSettings
from fzzf.flows.run_id import new_run_id
from fzzf.flows.runners import unwalked
from fzzf.flows.runlog import file_only_logger, run_log
from fzzf.flows.summary import RunFailed, RunSummary, SiteLine
from fzzf.scrapers.records import KnownPage, SiteCrawl
from fzzf.sites.registry import Site, load_registry, select_sites
from fzzf.vocab import SiteStatus
from fzzf.warehouse import db, load, marts
from fzzf.warehouse.db import DEFAULT_DB, DEFAULT_EXPORT_DIR
from fzzf.warehouse.export import DEFAULT_KEEP_NIGHTS, LATEST, export_snapshot
from fzzf.warehouse.headers import DEFAULT_LANG
from fzzf.warehouse.html_report import write_html_report

# Prefect walks every task parameter looking for futures to track: over a night's sites, crawls and parsed pages
# that walk cost more than the work, so big parameters go through `unwalked`.
# Task-runner slots: crawl batches take half (they mostly sleep in host intervals), parse batches the rest.
DEFAULT_MAX_WORKERS = runners.DEFAULT_MAX_WORKERS
# A Prefect task run costs ~10 ms and a few events: sites go to tasks in batches, not one by one; on a big
# night a crawl batch's sites go to a few parse tasks (enough to keep the pool busy), not to hundreds.
SITES_PER_PARSE_TASK = 25
PARSE_TASKS_PER_CRAWL = 8
# A site unreachable as a whole (connection errors, timeouts) is tried again this many times, this far apart.
DEFAULT_SITE_RETRIES = 2
DEFAULT_SITE_RETRY_DELAY_S = 30.0
# A night fails when every site failed, or when more than this share of the sites did (1.0: only all).
DEFAULT_MAX_FAILED_SHARE = 1.0


@task(cache_policy=NO_CACHE)
def read_registry(registry: str, substitutions: dict[str, str] | None, site_ids: list[str] | None = None) -> list[Site]:
    """Load and validate the site registry; with `site_ids`, only those sites."""
    return select_sites(load_registry(registry, substitutions), site_ids)


@task(cache_policy=NO_CACHE)
def read_known_pages(db_path: str, sites: list[Site]) -> dict[str, dict[str, KnownPage]]:
    """What the archive already holds per site, for conditional GETs."""
    with db.connect_work(Path(db_path)) as con:
        known = load.known_pages_of(con, [site.id for site in sites])  # one query, not one per site
    return {site.id: known.get(site.id, {}) for site in sites}


# No Prefect retries on a batch: crawl_site turns a site's failures into typed outcomes, and a batch retry would
# crawl every site again. Sites unreachable as a whole go to `recrawl`, one task each, which Prefect retries.
@task(cache_policy=NO_CACHE, task_run_name="crawl-{label}")
def crawl(sites: list[Site], settings: SessionSettings, known: dict[str, dict[str, KnownPage]],
          revalidate_after_hours: float, label: str = "") -> list[SiteCrawl]:
    """Discover and fetch a batch of sites' report pages, every host at its own pace."""
    return batches.crawl_batch(sites, settings, known, timedelta(hours=revalidate_after_hours),
                               progress=get_run_logger().info)


# The batch crawl was a site's first attempt, so the task's first run is its first retry: Prefect retries it
# `site_retries - 1` more times (set per night with `with_options`).
@task(cache_policy=NO_CACHE, task_run_name="recrawl-{site.id}", retries=DEFAULT_SITE_RETRIES - 1,
      retry_delay_seconds=DEFAULT_SITE_RETRY_DELAY_S)
def recrawl(site: Site, settings: SessionSettings, known: dict[str, KnownPage], revalidate_after_hours: float,
            delay_s: float = DEFAULT_SITE_RETRY_DELAY_S) -> Parsed:
    """Crawl and parse again a site its batch could not reach; raises while it still cannot, so Prefect retries."""
    attempt = (task_run.run_count or 1) + 1
    if attempt == 2:  # Prefect waits before its own retries, not before a task's first run
        time.sleep(delay_s)
    return batches.retry_site(site, settings, known, timedelta(hours=revalidate_after_hours), attempt)


@task(cache_policy=NO_CACHE, task_run_name="parse-{label}")
def parse(sites: list[Site], crawls: list[SiteCrawl], settings: SessionSettings, label: str = "") -> list[Parsed]:
    """Extract and parse every new or changed page of a batch of sites (each page once)."""
    return batches.parse_batch(sites, crawls, settings)


@task(cache_policy=NO_CACHE, task_run_name="store-{label}")
def store(con: duckdb.DuckDBPyConnection, run_id: str, sites: dict[str, Site], parsed: list[Parsed],
          label: str = "") -> load.LoadStats:
    """Bulk-load a batch of sites' crawls and parsed reports through the night's one writer connection."""
    return batches.store_batch(con, run_id, sites, parsed)


def clean_after_crash(db_path: str) -> None:
    """With the run lock held: remove a crashed run's temporary publish files, move a stray WAL aside."""
    db.clean_leftovers(Path(db_path))
    db.move_stray_wal(Path(db_path))


@task(cache_policy=NO_CACHE)
def begin_run(db_path: str, run_id: str, registry: str, sites: list[Site]) -> None:
    """Record the run's start (runs left unfinished by a crash become aborted)."""
    with db.connect_work(Path(db_path)) as con:
        load.start_run(con, run_id, datetime.now(timezone.utc), registry, sites)


@task(cache_policy=NO_CACHE)
def build_and_check(db_path: str, run_id: str) -> list[str]:
    """Build the comparison marts and run the data tests; returns failing test names."""
    with db.connect_work(Path(db_path)) as con:
        marts.build_marts(con)
        return [f.name for f in marts.run_data_tests(con)]


@task(cache_policy=NO_CACHE)
def end_run(db_path: str, run_id: str, failure: str | None) -> None:
    """Record the run's end: completed, or failed and why."""
    with db.connect_work(Path(db_path)) as con:
        load.finish_run(con, run_id, datetime.now(timezone.utc), "failed" if failure else "completed", failure)


@task(cache_policy=NO_CACHE)
def publish(db_path: str) -> str:
    """Replace the analysts' file with the new snapshot once it has passed its checks."""
    return str(db.publish(Path(db_path)))


@task(cache_policy=NO_CACHE)
def export(db_path: str, export_dir: str, run_id: str, keep: int = DEFAULT_KEEP_NIGHTS,
           lang: str = DEFAULT_LANG) -> list[str]:
    """Write every mart as CSV and Parquet plus the HTML report into a new folder, then switch `latest` to it."""
    latest = export_snapshot(Path(db_path), Path(export_dir), run_id, keep=keep, lang=lang,
                             extras=[lambda folder: write_html_report(Path(db_path), folder / "report")])
    return sorted(str(latest / p.name) for p in latest.iterdir() if p.is_file())


def publish_and_export(db_path: str, export_dir: str, run_id: str, summary, keep: int,
                       sites_failed: str | None = None, lang: str = DEFAULT_LANG) -> str | None:
    """Close the run, then publish and export unless the data tests failed; returns why it failed, or None.

    The run's end is recorded before the publish, so the published file shows this run as finished.
    """
    if summary.data_test_failures:
        failure = f"data tests failed ({', '.join(summary.data_test_failures)}): not published, the last good " \
                  f"file stays"
        end_run(db_path, run_id, failure)
        return failure
    end_run(db_path, run_id, sites_failed)
    try:
        publish(db_path)
    except db.PublishRefused as exc:
        end_run(db_path, run_id, str(exc))
        return str(exc)
    summary.files_written = export(db_path, export_dir, run_id, keep, lang)
    summary.html_report = str(Path(export_dir) / LATEST / "report" / "index.html")
    return sites_failed


def sites_failure(summary: RunSummary, max_failed_share: float) -> str | None:
    """Why the night counts as failed from its sites' outcomes, or None."""
    total = len(summary.sites)
    failed = sum(1 for s in summary.sites if s.status != "ok")
    if total and failed == total:
        return f"every site failed ({failed} of {total})"
    if total and failed / total > max_failed_share:
        return f"{failed} of {total} sites failed, more than the allowed share {max_failed_share:.0%}"
    return None


@flow(name="fzzf-nightly", task_runner=runners.task_runner("thread"), log_prints=False)
def nightly(
    registry: str,
    db_path: str = str(DEFAULT_DB),
    export_dir: str = str(DEFAULT_EXPORT_DIR),
    substitutions: dict[str, str] | None = None,
    min_interval_s: float = 1.0,
    revalidate_after_hours: float = 24 * 7,
    site_ids: list[str] | None = None,
    aliases: dict[str, str] | None = None,
    max_failed_share: float = DEFAULT_MAX_FAILED_SHARE,
    keep_exports: int = DEFAULT_KEEP_NIGHTS,
    csv_lang: str = DEFAULT_LANG,
    site_retries: int = DEFAULT_SITE_RETRIES,
    site_retry_delay_s: float = DEFAULT_SITE_RETRY_DELAY_S,
) -> RunSummary:
    """Crawl the registry's sites (or only `site_ids`), parse what is new, load, build the marts, publish, export.

    Raises RunFailed (a failed Prefect run) when the data tests fail (nothing is published), when every site
    or more than `max_failed_share` of them failed, and RunLocked when another run holds the warehouse.
    A site unreachable as a whole is crawled again up to `site_retries` times, `site_retry_delay_s` apart.
    """
    logger = get_run_logger()
    run_id = new_run_id()
    with db.run_lock(Path(db_path)), run_log(db_path, run_id) as log_file:
        logger.info("run %s: log file %s", run_id, log_file)
        summary = _night(registry, db_path, export_dir, substitutions, min_interval_s, revalidate_after_hours,
                         site_ids, aliases, max_failed_share, keep_exports, run_id, csv_lang,
                         (site_retries, site_retry_delay_s))
        summary.log_file = str(log_file)
        logger.info("run %s finished: %d sites, %d new report versions, %d figures", run_id, len(summary.sites),
                    summary.report_versions_added, summary.metrics_added)
    with open(log_file, "a", encoding="utf-8") as handle:  # the summary once, at the end of the log
        handle.write(summary.render() + "\n")
    if summary.failure:
        raise RunFailed(summary.failure, summary)
    return summary


def _night(registry: str, db_path: str, export_dir: str, substitutions: dict[str, str] | None,
           min_interval_s: float, revalidate_after_hours: float, site_ids: list[str] | None,
           aliases: dict[str, str] | None, max_failed_share: float, keep_exports: int, run_id: str,
           csv_lang: str = DEFAULT_LANG,
           retry: tuple[int, float] = (DEFAULT_SITE_RETRIES, DEFAULT_SITE_RETRY_DELAY_S)) -> RunSummary:
    logger = get_run_logger()
    clean_after_crash(db_path)
    sites = read_registry(registry, substitutions, site_ids)
    known = read_known_pages(db_path, unwalked(sites))
    begin_run(db_path, run_id, registry, unwalked(sites))
    settings = SessionSettings(min_interval=min_interval_s, aliases=tuple(sorted((aliases or {}).items())))
    by_id = {site.id: site for site in sites}
    plan = batches.plan_batches(sites, DEFAULT_MAX_WORKERS // 2)
    logger.info("crawling %d sites in %d batches, every host at once", len(sites), len(plan))
    # Few crawl tasks, each crawling all its hosts at once; parse tasks take slices of a crawl's results.
    # Every crawl is submitted before any parse: a parse task waits for its crawl inside a pool thread, so
    # parses submitted first would hold the threads the later crawls need and the crawls would run in turn.
    crawls = [crawl.submit(unwalked(batch), settings, unwalked({s.id: known.get(s.id, {}) for s in batch}),
                           revalidate_after_hours, label=batches.label(batch)) for batch in plan]
    parses = [parse.submit(unwalked(part), unwalked(crawled), settings, label=batches.label(part))
              for batch, crawled in zip(plan, crawls)
              for part in batches.parse_parts(batch, SITES_PER_PARSE_TASK, PARSE_TASKS_PER_CRAWL)]
    summary = RunSummary(run_id=run_id, db_path=db_path)
    site_retries, site_retry_delay_s = retry
    again = recrawl.with_options(retries=max(site_retries - 1, 0), retry_delay_seconds=site_retry_delay_s)
    retrying: dict = {}  # recrawl task run id -> (its future, the site's first attempt)

    site_log = file_only_logger()
    requests_so_far = 0

    def stored(parsed: list[Parsed]) -> None:
        nonlocal requests_so_far
        label = batches.label([by_id[c.site_id] for c, _ in parsed])
        stats = store(con, run_id, unwalked(by_id), unwalked(parsed), label=label)
        summary.report_versions_added += stats.report_versions
        summary.metrics_added += stats.metrics
        for site_crawl, pages in parsed:
            summary.add_site(site_crawl, len(pages), by_id[site_crawl.site_id].start_urls[0])
            requests_so_far += site_crawl.requests
            line = progress_line(len(summary.sites), len(sites), summary.sites[-1], requests_so_far)
            # Every site's line is in the run's log file; Prefect (console, UI) gets the sites that did not end
            # ok and one line per batch: 3,000 lines through its API logger cost 2.3 s of the writer's thread.
            (logger.warning if site_crawl.status != SiteStatus.OK else site_log.info)(line)
        logger.info(batch_line(label, parsed, len(summary.sites), len(sites), stats.report_versions, requests_so_far))

    # DuckDB has one writer: one connection for the night, batches loaded in the order their parses finish,
    # together when several finished while the writer was busy (one store task run for them, not one each).
    with db.connect_work(Path(db_path)) as con:
        for finished in batches.finished_groups(parses, as_completed(parses), _done):
            ready: list[Parsed] = []
            for done in finished:
                parsed, unreachable = (batches.split_retryable(done.result()) if site_retries
                                       else (done.result(), []))
                ready += parsed
                for first in unreachable:
                    site = by_id[first[0].site_id]
                    retried = again.submit(site, settings, known.get(site.id, {}), revalidate_after_hours,
                                           site_retry_delay_s)
                    retrying[retried.task_run_id] = (retried, first)
            if ready:
                stored(ready)
        for done in as_completed([retried for retried, _ in retrying.values()]):
            try:
                again_parsed: Parsed = done.result()
            except batches.SiteUnreachable:  # every retry failed too: the first attempt's outcome stands
                again_parsed = batches.retries_exhausted(retrying[done.task_run_id][1], site_retries + 1)
            stored([again_parsed])
    summary.data_test_failures = build_and_check(db_path, run_id)
    summary.failure = publish_and_export(db_path, export_dir, run_id, summary, keep_exports,
                                         sites_failure(summary, max_failed_share), csv_lang)
    return summary


def _done(future: PrefectFuture) -> bool:
    """Finished, asked of the runner's own future (a future's `state` may be a call to Prefect's API)."""
    return future.wrapped_future.done()  # type: ignore[attr-defined]


def batch_line(label: str, parsed: list[Parsed], done: int, total: int, versions: int, requests_so_far: int) -> str:
    """`stored store-luting+24: 25 sites (25/3000 done: 24 ok, 1 not_found), 3 new report versions (run: 100 requests)`."""
    counts = Counter(crawl.status for crawl, _ in parsed)
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return (f"stored store-{label}: {len(parsed)} sites ({done}/{total} done: {statuses}), {versions} new report "
            f"versions (run: {requests_so_far} requests)")


def progress_line(done: int, total: int, site: SiteLine, requests_so_far: int) -> str:
    """`site 3/12 done: luting ok, 3 reports found, 2 parsed, 14 requests (run: 51 requests)`."""
    return (f"site {done}/{total} done: {site.site_id} {site.status}, {site.reports_found} reports found, "
            f"{site.pages_parsed} parsed, {site.requests} requests (run: {requests_so_far} requests)")
