"""Bulk, idempotent loads of one site's crawl and parsed reports into the working database."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from parsers.records import Metric, Report
from scrapers.records import CrawledPage, DiscoveredLink, FetchResult, KnownPage, SiteCrawl
from sites.registry import Site
from warehouse.arrow_schemas import (
    ATTACHMENT_SCHEMA, CHECK_SCHEMA, DOC_SCHEMA, FETCH_SCHEMA, FLAG_SCHEMA, ITEM_SCHEMA, LINK_SCHEMA, METRIC_SCHEMA,
    PART_SCHEMA, RAW_SCHEMA, REPORT_SCHEMA, RUN_SCHEMA, RUN_SITE_SCHEMA, SECTION_SCHEMA, SITE_SCHEMA, TEXT_SCHEMA,
)
from warehouse.bulk import insert_new, replace_rows, utc

# Orders versions whose fetch time is unknown before any dated one.
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class LoadStats:
    """Rows one `load_site` call added, per table (zero everywhere on a repeat load)."""

    fetches: int = 0
    raw_pages: int = 0
    links: int = 0
    report_versions: int = 0
    metrics: int = 0
    sections: int = 0
    documents: int = 0
    items: int = 0
    flags: int = 0
    checks: int = 0


def report_version_id(url: str, sha256: str) -> str:
    """Stable id of one report version: the hash of its URL and its content hash."""
    return hashlib.sha256(f"{url}\n{sha256}".encode("utf-8")).hexdigest()[:24]


def known_pages(con: duckdb.DuckDBPyConnection, site_id: str) -> dict[str, KnownPage]:
    """Validators of the current archived version of each report URL of the site, for conditional GETs."""
    rows = con.execute(
        """
        with current as (
            select url, sha256, fetched_at from reports where site_id = ? and is_current
        ),
        validators as (
            select url,
                   arg_max(etag, fetched_at) filter (where etag is not null) as etag,
                   arg_max(last_modified, fetched_at) filter (where last_modified is not null) as last_modified,
                   max(fetched_at) filter (where status in (200, 304)) as last_ok_at
            from fetches
            where site_id = ? and error is null
            group by url
        ),
        final as (
            select c.url, c.sha256, coalesce(v.last_ok_at, c.fetched_at) as fetched_at, v.etag, v.last_modified
            from current as c
            left join validators as v using (url)
        )
        select * from final
        """,
        [site_id, site_id],
    ).fetchall()
    return {url: KnownPage(url=url, sha256=sha, fetched_at=at, etag=etag, last_modified=lm)
            for url, sha, at, etag, lm in rows}


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime, registry_path: str,
              sites: list[Site]) -> None:
    """Record a run's start and the registry's sites (latest registry wins)."""
    replace_rows(con, "runs", [{"run_id": run_id, "started_at": utc(started_at), "finished_at": None,
                                "registry_path": str(registry_path), "sites_n": len(sites)}], RUN_SCHEMA)
    replace_rows(con, "sites", [_site_row(site, run_id) for site in sites], SITE_SCHEMA)


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, finished_at: datetime) -> None:
    """Record a run's end."""
    con.execute("update runs set finished_at = ? where run_id = ?", [utc(finished_at), run_id])


def load_site(con: duckdb.DuckDBPyConnection, site: Site, crawl: SiteCrawl,
              parsed: list[tuple[CrawledPage, Report]], run_id: str) -> LoadStats:
    """Load one site's fetch log, archive, links, outcome and parsed reports in one transaction."""
    stats = LoadStats()
    con.execute("begin transaction")
    try:
        replace_rows(con, "sites", [_site_row(site, run_id)], SITE_SCHEMA)
        replace_rows(con, "run_sites", [_run_site_row(run_id, crawl, len(parsed))], RUN_SITE_SCHEMA)
        fetches = list(crawl.fetches) + [page.fetch for page, _ in parsed]
        stats.fetches = insert_new(con, "fetches", [_fetch_row(f, run_id, site.id) for f in fetches],
                                   FETCH_SCHEMA, ("fetch_id",))
        stats.raw_pages = insert_new(con, "raw_pages", [r for f in fetches if (r := _raw_row(f))],
                                     RAW_SCHEMA, ("sha256",))
        stats.links = insert_new(con, "links", [_link_row(link, site.id, run_id) for link in crawl.links],
                                 LINK_SCHEMA, ("link_id",))
        _load_reports(con, site, parsed, run_id, stats)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return stats


def _load_reports(con: duckdb.DuckDBPyConnection, site: Site, parsed: list[tuple[CrawledPage, Report]],
                  run_id: str, stats: LoadStats) -> None:
    rows, children = [], []
    for crawled, report in parsed:
        sha = crawled.fetch.sha256 or hashlib.sha256(crawled.fetch.body or crawled.page.body.encode()).hexdigest()
        row = _report_row(report, crawled, site.id, sha, run_id)
        rows.append(row)
        children.append((row["report_id"], crawled, report))
    if not rows:
        return
    ids = [row["report_id"] for row in rows]
    existing = {r[0] for r in con.execute("select report_id from reports where list_contains(?, report_id)",
                                          [ids]).fetchall()}
    # One entry per new version id (the same bytes listed twice in a crawl are one version).
    fresh = list({rid: (rid, c, rep) for rid, c, rep in reversed(children) if rid not in existing}.values())
    stats.report_versions = _insert_versions(con, [r for r in rows if r["report_id"] not in existing])
    _set_current(con, rows)
    insert_new(con, "report_texts", [{"report_id": rid, "body": c.page.body} for rid, c, _ in fresh],
               TEXT_SCHEMA, ("report_id",))
    stats.metrics = insert_new(con, "metrics", [_metric_row(rid, i, m) for rid, _, rep in fresh
                                                for i, m in enumerate(rep.metrics, 1)],
                               METRIC_SCHEMA, ("report_id", "metric_no"))
    stats.sections = insert_new(con, "sections", [
        {"report_id": rid, "section_no": i, "path": s.path, "level": s.level, "number": s.number,
         "heading": s.heading, "part": s.part, "start_pos": s.start, "end_pos": s.end}
        for rid, _, rep in fresh for i, s in enumerate(rep.sections, 1)], SECTION_SCHEMA, ("report_id", "section_no"))
    insert_new(con, "report_parts", [{"report_id": rid, "part": p} for rid, _, rep in fresh for p in rep.parts],
               PART_SCHEMA, ("report_id", "part"))
    stats.documents = insert_new(con, "documents", [
        {"report_id": rid, "document_no": i, "title": d.title, "doc_number": d.doc_number,
         "issuer_abbr": d.issuer_abbr, "year": d.year, "number": d.number}
        for rid, _, rep in fresh for i, d in enumerate(rep.documents, 1)], DOC_SCHEMA, ("report_id", "document_no"))
    stats.items = insert_new(con, "report_items", [
        {"report_id": rid, "item_kind": kind, "item_no": i, "text": text}
        for rid, _, rep in fresh for kind, items in (("problem", rep.problems), ("plan", rep.plans))
        for i, text in enumerate(items, 1)], ITEM_SCHEMA, ("report_id", "item_kind", "item_no"))
    stats.flags = insert_new(con, "report_flags", [
        {"report_id": rid, "flag": flag} for rid, c, rep in fresh for flag in _flags(rep, c)],
        FLAG_SCHEMA, ("report_id", "flag"))
    stats.checks = insert_new(con, "report_checks", [
        {"report_id": rid, "check_no": i, "kind": ch.kind, "detail": ch.detail, "section": ch.section}
        for rid, _, rep in fresh for i, ch in enumerate(rep.checks, 1)], CHECK_SCHEMA, ("report_id", "check_no"))
    insert_new(con, "attachments", [
        {"report_id": rid, "attachment_no": i, "url": a.url, "name": a.name, "kind": a.kind}
        for rid, c, _ in fresh for i, a in enumerate(c.page.attachments, 1)],
        ATTACHMENT_SCHEMA, ("report_id", "attachment_no"))


def _insert_versions(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> int:
    """New versions get the next version_no of their URL, in fetch order."""
    if not rows:
        return 0
    table = pa.Table.from_pylist(list({r["report_id"]: r for r in rows}.values()), schema=REPORT_SCHEMA)
    con.register("_new_versions", table)
    try:
        return con.execute(
            """
            insert into reports by name
            with prior as (
                select url, max(version_no) as last_no from reports group by url
            ),
            final as (
                select n.*,
                       coalesce(p.last_no, 0)
                         + row_number() over (partition by n.url order by n.fetched_at, n.report_id) as version_no,
                       false as is_current
                from _new_versions as n
                left join prior as p using (url)
            )
            select * from final
            """
        ).fetchall()[0][0]
    finally:
        con.unregister("_new_versions")


def _set_current(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """The latest fetched version of each loaded URL is current (a page reverting to old bytes included)."""
    latest: dict[str, tuple] = {}
    for r in rows:
        key = (r["fetched_at"] or _EPOCH, r["report_id"])
        if r["url"] not in latest or key > latest[r["url"]]:
            latest[r["url"]] = key
    con.execute("update reports set is_current = list_contains(?, report_id) where list_contains(?, url)",
                [[k[1] for k in latest.values()], list(latest)])


def _site_row(site: Site, run_id: str) -> dict:
    return {"site_id": site.id, "name": site.name, "province": site.province, "city": site.city,
            "district": site.district, "level": site.level, "admin_code": site.admin_code, "family": site.family,
            "start_urls": list(site.start_urls), "updated_run_id": run_id}


def _run_site_row(run_id: str, crawl: SiteCrawl, pages_parsed: int) -> dict:
    return {"run_id": run_id, "site_id": crawl.site_id, "status": crawl.status, "detail": crawl.detail,
            "started_at": utc(crawl.started_at), "finished_at": utc(crawl.finished_at),
            "list_pages": crawl.list_pages, "links_n": len(crawl.links), "reports_found": crawl.reports_found,
            "lookalikes_skipped": crawl.lookalikes_skipped, "pages_parsed": pages_parsed,
            "unchanged_n": len(crawl.unchanged_urls), "failed_n": len(crawl.failed_urls),
            "requests_n": crawl.requests}


def _fetch_row(f: FetchResult, run_id: str, site_id: str) -> dict:
    at = utc(f.fetched_at)
    fetch_id = hashlib.sha256(f"{f.url}\n{at.isoformat()}\n{f.status}".encode()).hexdigest()[:24]
    return {"fetch_id": fetch_id, "run_id": run_id, "site_id": site_id, "url": f.url, "final_url": f.final_url,
            "status": f.status, "etag": f.etag, "last_modified": f.last_modified, "content_type": f.content_type,
            "fetched_at": at, "size_bytes": f.size_bytes, "sha256": f.sha256 or _sha(f.body), "error": f.error,
            "error_detail": f.error_detail, "elapsed_s": f.elapsed_s, "is_from_cache": f.from_cache}


def _raw_row(f: FetchResult) -> dict | None:
    if f.body is None:
        return None
    return {"sha256": f.sha256 or _sha(f.body), "body": f.body, "size_bytes": len(f.body),
            "content_type": f.content_type, "first_url": f.final_url or f.url, "first_fetched_at": utc(f.fetched_at)}


def _link_row(link: DiscoveredLink, site_id: str, run_id: str) -> dict:
    key = f"{site_id}\n{link.url}\n{link.title}\n{link.kind}\n{link.is_report}"
    return {"link_id": hashlib.sha256(key.encode()).hexdigest()[:24], "site_id": site_id, "url": link.url,
            "title": link.title, "list_url": link.list_url, "is_report": link.is_report, "kind": link.kind,
            "listed_date": link.listed_date, "reason": link.reason, "first_run_id": run_id}


def _report_row(report: Report, crawled: CrawledPage, site_id: str, sha: str, run_id: str) -> dict:
    return {"report_id": report_version_id(report.url or crawled.fetch.url, sha), "site_id": site_id,
            "url": report.url or crawled.fetch.url, "final_url": crawled.fetch.final_url, "sha256": sha,
            "fetched_at": utc(crawled.fetch.fetched_at), "run_id": run_id, "title": report.title,
            "district": report.district, "admin_code": report.admin_code, "year": report.year,
            "published": report.published, "published_from": report.published_from, "source": report.source,
            "kind": report.kind, "issuer": report.issuer, "body_source": report.body_source,
            "body_chars": report.body_chars or len(crawled.page.body), "parts": list(report.parts),
            "missing_parts": report.missing_parts, "flags": _flags(report, crawled)}


def _metric_row(report_id: str, no: int, m: Metric) -> dict:
    return {"report_id": report_id, "metric_no": no, "indicator": m.indicator, "label": m.label,
            "value": float(m.value), "unit": m.unit, "approx": bool(m.approx), "raw": m.raw, "section": m.section,
            "sentence": m.sentence, "start_pos": m.start, "end_pos": m.end, "qualifier": m.qualifier}


def _flags(report: Report, crawled: CrawledPage) -> list[str]:
    """Report flags plus the page's extraction flags, each once."""
    return list(dict.fromkeys([*report.flags, *crawled.page.flags]))


def _sha(body: bytes | None) -> str | None:
    return hashlib.sha256(body).hexdigest() if body is not None else None
