"""Re-parse every archived report version offline, replace its parsed facts, then build, publish and export."""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from fzzf.flows.nightly import build_and_check, clean_after_crash, publish_and_export
from fzzf.flows.run_id import new_run_id
from fzzf.flows.summary import ReparseSummary, RunFailed
from fzzf.parsers.records import Report
from fzzf.parsers.report import parse_report_or_flag
from fzzf.scrapers.archive import page_from_archive
from fzzf.scrapers.records import CrawledPage
from fzzf.warehouse import db, reparse as archive
from fzzf.warehouse.db import DEFAULT_DB, DEFAULT_EXPORT_DIR
from fzzf.warehouse.export import DEFAULT_KEEP_NIGHTS
from fzzf.warehouse.headers import DEFAULT_LANG


@task(cache_policy=NO_CACHE)
def read_sites(db_path: str, site_ids: list[str] | None) -> list[str]:
    """Sites with stored report versions (those asked for, when given)."""
    with db.connect_work(Path(db_path)) as con:
        return archive.stored_site_ids(con, site_ids)


@task(cache_policy=NO_CACHE)
def read_versions(db_path: str, site_id: str) -> list[archive.ArchivedVersion]:
    """One site's stored report versions with their archived bytes."""
    with db.connect_work(Path(db_path)) as con:
        return list(archive.archived_versions(con, [site_id]))


@task(cache_policy=NO_CACHE)
def parse_versions(versions: list[archive.ArchivedVersion]) -> list[tuple[str, CrawledPage, Report]]:
    """Extract and parse each archived version again, as the nightly run would."""
    reparsed = []
    for version in versions:
        page = page_from_archive(version.fetch, version.link, version.attachments, version.stored)
        reparsed.append((version.report_id, CrawledPage(version.link, version.fetch, page),
                         parse_report_or_flag(page, version.site)))
    return reparsed


@task(cache_policy=NO_CACHE)
def replace_facts(db_path: str, reparsed: list[tuple[str, CrawledPage, Report]]) -> archive.ReplaceStats:
    """Replace the re-parsed versions' facts in the working database, in one transaction."""
    with db.connect_work(Path(db_path)) as con:
        return archive.replace_parsed(con, reparsed)


@flow(name="fzzf-reparse", log_prints=False)
def reparse(db_path: str = str(DEFAULT_DB), export_dir: str = str(DEFAULT_EXPORT_DIR),
            site_ids: list[str] | None = None, keep_exports: int = DEFAULT_KEEP_NIGHTS,
            csv_lang: str = DEFAULT_LANG) -> ReparseSummary:
    """Re-parse the archived versions (of `site_ids`, when given), replace their facts, build, publish, export."""
    logger = get_run_logger()
    run_id = new_run_id("reparse")
    # The nightly run and a re-parse write the same working file: one at a time.
    with db.run_lock(Path(db_path)):
        clean_after_crash(db_path)
        summary = _reparse(db_path, export_dir, site_ids, run_id, keep_exports, csv_lang)
    logger.info(summary.render())
    if summary.failure:
        raise RunFailed(summary.failure, summary)
    return summary


def _reparse(db_path: str, export_dir: str, site_ids: list[str] | None, run_id: str, keep_exports: int,
             csv_lang: str) -> ReparseSummary:
    summary = ReparseSummary(run_id=run_id, db_path=db_path)
    # One site at a time: parsing is CPU-bound (threads would not speed it up), DuckDB has one writer, and only
    # one site's bytes are held in memory.
    for site_id in read_sites(db_path, site_ids):
        versions = read_versions(db_path, site_id)
        stats = replace_facts(db_path, parse_versions(versions))
        urls = {v.report_id: v.stored.url for v in versions}
        summary.sites += 1
        summary.versions += stats.versions
        summary.metrics_before += stats.metrics_before
        summary.metrics_after += stats.metrics_after
        summary.figures_changed += [urls[rid] for rid in stats.figures_changed]
        summary.metadata_changed += [urls[rid] for rid in stats.metadata_changed]
    summary.data_test_failures = build_and_check(db_path, run_id)
    summary.failure = publish_and_export(db_path, export_dir, run_id, summary, keep_exports, lang=csv_lang)
    return summary
