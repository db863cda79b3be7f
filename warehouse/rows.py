"""Row builders shared by the nightly load and the re-parse: one dict per table row, keyed like the migrations."""
from __future__ import annotations

import hashlib

import pyarrow as pa

from fzzf.parsers.records import Metric, Report
from fzzf.scrapers.records import CrawledPage, DiscoveredLink, FetchResult, SiteCrawl
from fzzf.sites.registry import Site
from fzzf.warehouse.arrow_schemas import (
    ATTACHMENT_SCHEMA, CHECK_SCHEMA, DOC_SCHEMA, FLAG_SCHEMA, ITEM_SCHEMA, METRIC_SCHEMA, PART_SCHEMA, SECTION_SCHEMA,
    TEXT_SCHEMA,
)
from fzzf.warehouse.bulk import utc
from fzzf.warehouse.identity import strip_userinfo, text_identity

# Tables holding what was parsed or extracted from one report version: (table, Arrow schema, key columns).
# Both paths write exactly these: the load inserts new versions' rows, the re-parse replaces them.
FACT_TABLES: tuple[tuple[str, pa.Schema, tuple[str, ...]], ...] = (
    ("report_texts", TEXT_SCHEMA, ("report_id",)),
    ("metrics", METRIC_SCHEMA, ("report_id", "metric_no")),
    ("sections", SECTION_SCHEMA, ("report_id", "section_no")),
    ("report_parts", PART_SCHEMA, ("report_id", "part")),
    ("documents", DOC_SCHEMA, ("report_id", "document_no")),
    ("report_items", ITEM_SCHEMA, ("report_id", "item_kind", "item_no")),
    ("report_flags", FLAG_SCHEMA, ("report_id", "flag")),
    ("report_checks", CHECK_SCHEMA, ("report_id", "check_no")),
    ("attachments", ATTACHMENT_SCHEMA, ("report_id", "attachment_no")),
)
# Columns of `reports` that come from parsing; the rest (id, url, sha256, version_no, is_current ...) never change.
REPORT_META_COLUMNS = ("title", "district", "admin_code", "year", "published", "published_from", "source", "kind",
                       "issuer", "body_source", "body_chars", "body_pages", "parts", "missing_parts", "flags")


def report_version_id(url: str, sha256: str) -> str:
    """Stable id of one report version: the hash of its URL and its content hash."""
    return hashlib.sha256(f"{url}\n{sha256}".encode()).hexdigest()[:24]


def fact_rows(parsed: list[tuple[str, CrawledPage, Report]]) -> dict[str, list[dict]]:
    """Rows of every FACT_TABLES table for the given (report_id, page, report) triples."""
    return {
        "report_texts": [{"report_id": rid, "body": c.page.body} for rid, c, _ in parsed],
        "metrics": [metric_row(rid, i, m) for rid, _, rep in parsed for i, m in enumerate(rep.metrics, 1)],
        "sections": [
            {"report_id": rid, "section_no": i, "path": s.path, "level": s.level, "number": s.number,
             "heading": s.heading, "part": s.part, "start_pos": s.start, "end_pos": s.end}
            for rid, _, rep in parsed for i, s in enumerate(rep.sections, 1)],
        "report_parts": [{"report_id": rid, "part": p} for rid, _, rep in parsed for p in rep.parts],
        "documents": [
            {"report_id": rid, "document_no": i, "title": d.title, "doc_number": d.doc_number,
             "issuer_abbr": d.issuer_abbr, "year": d.year, "number": d.number}
            for rid, _, rep in parsed for i, d in enumerate(rep.documents, 1)],
        "report_items": [
            {"report_id": rid, "item_kind": kind, "item_no": i, "text": text}
            for rid, _, rep in parsed for kind, items in (("problem", rep.problems), ("plan", rep.plans))
            for i, text in enumerate(items, 1)],
        "report_flags": [{"report_id": rid, "flag": flag} for rid, c, rep in parsed for flag in page_flags(rep, c)],
        "report_checks": [
            {"report_id": rid, "check_no": i, "kind": ch.kind, "detail": ch.detail, "section": ch.section}
            for rid, _, rep in parsed for i, ch in enumerate(rep.checks, 1)],
        "attachments": [
            {"report_id": rid, "attachment_no": i, "url": strip_userinfo(a.url), "name": a.name, "kind": a.kind}
            for rid, c, _ in parsed for i, a in enumerate(c.page.attachments, 1)],
    }


def report_row(report: Report, crawled: CrawledPage, site_id: str, sha: str, run_id: str,
               url: str | None = None) -> dict:
    """The `reports` row of one parsed version (version_no and is_current are set by the load).

    `url` is the canonical URL the version is stored under (default: the page's own URL, without credentials).
    """
    url = url or strip_userinfo(report.url or crawled.fetch.url)
    sha_of_text, simhash = text_identity(crawled.page.body)
    return {"report_id": report_version_id(url, sha), "site_id": site_id,
            "url": url, "final_url": strip_userinfo(crawled.fetch.final_url), "sha256": sha,
            "fetched_at": utc(crawled.fetch.fetched_at), "run_id": run_id, **report_meta(report, crawled),
            "text_sha": sha_of_text, "text_simhash": simhash}


def report_meta(report: Report, crawled: CrawledPage) -> dict:
    """The REPORT_META_COLUMNS of one parsed version."""
    return {"title": report.title, "district": report.district, "admin_code": report.admin_code,
            "year": report.year, "published": report.published, "published_from": report.published_from,
            "source": report.source, "kind": report.kind, "issuer": report.issuer,
            "body_source": report.body_source, "body_chars": report.body_chars or len(crawled.page.body), "body_pages": report.body_pages,
            "parts": list(report.parts), "missing_parts": report.missing_parts,
            "flags": page_flags(report, crawled)}


def metric_row(report_id: str, no: int, m: Metric) -> dict:
    """One `metrics` row."""
    return {"report_id": report_id, "metric_no": no, "indicator": m.indicator, "label": m.label,
            "value": float(m.value), "unit": m.unit, "approx": bool(m.approx), "raw": m.raw, "section": m.section,
            "sentence": m.sentence, "start_pos": m.start, "end_pos": m.end, "qualifier": m.qualifier,
            "scope": m.scope}


def page_flags(report: Report, crawled: CrawledPage) -> list[str]:
    """Report flags plus the page's extraction flags, each once."""
    return list(dict.fromkeys([*report.flags, *crawled.page.flags]))


def site_row(site: Site, run_id: str) -> dict:
    """One `sites` row."""
    return {"site_id": site.id, "name": site.name, "province": site.province, "city": site.city,
            "district": site.district, "level": site.level, "admin_code": site.admin_code, "family": site.family,
            "start_urls": [strip_userinfo(u) for u in site.start_urls], "updated_run_id": run_id}


def run_site_row(run_id: str, crawl: SiteCrawl, pages_parsed: int) -> dict:
    """One `run_sites` row: the site's typed outcome in a run."""
    return {"run_id": run_id, "site_id": crawl.site_id, "status": crawl.status, "detail": crawl.detail,
            "started_at": utc(crawl.started_at), "finished_at": utc(crawl.finished_at),
            "list_pages": crawl.list_pages, "links_n": len(crawl.links), "reports_found": crawl.reports_found,
            "lookalikes_skipped": crawl.lookalikes_skipped, "pages_parsed": pages_parsed,
            "unchanged_n": len(crawl.unchanged_urls), "failed_n": len(crawl.failed_urls),
            "requests_n": crawl.requests}


def fetch_row(f: FetchResult, run_id: str, site_id: str) -> dict:
    """One `fetches` row."""
    at = utc(f.fetched_at)
    fetch_id = hashlib.sha256(f"{f.url}\n{at.isoformat()}\n{f.status}".encode()).hexdigest()[:24]
    return {"fetch_id": fetch_id, "run_id": run_id, "site_id": site_id, "url": strip_userinfo(f.url),
            "final_url": strip_userinfo(f.final_url),
            "status": f.status, "etag": f.etag, "last_modified": f.last_modified, "content_type": f.content_type,
            "fetched_at": at, "size_bytes": f.size_bytes, "sha256": f.sha256 or sha(f.body), "error": f.error,
            "error_detail": f.error_detail, "elapsed_s": f.elapsed_s, "is_from_cache": f.from_cache}


def raw_row(f: FetchResult) -> dict | None:
    """The `raw_pages` row of a fetch that downloaded a body, else None."""
    if f.body is None:
        return None
    return {"sha256": f.sha256 or sha(f.body), "body": f.body, "size_bytes": len(f.body),
            "content_type": f.content_type, "first_url": strip_userinfo(f.final_url or f.url), "first_fetched_at": utc(f.fetched_at)}


def link_row(link: DiscoveredLink, site_id: str, run_id: str) -> dict:
    """One `links` row."""
    key = f"{site_id}\n{link.url}\n{link.title}\n{link.kind}\n{link.is_report}"
    return {"link_id": hashlib.sha256(key.encode()).hexdigest()[:24], "site_id": site_id,
            "url": strip_userinfo(link.url), "title": link.title, "list_url": strip_userinfo(link.list_url), "is_report": link.is_report, "kind": link.kind,
            "listed_date": link.listed_date, "reason": link.reason, "first_run_id": run_id}


def sha(body: bytes | None) -> str | None:
    """SHA-256 of a body, None for no body."""
    return hashlib.sha256(body).hexdigest() if body is not None else None
