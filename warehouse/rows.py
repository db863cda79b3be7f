"""Row builders shared by the nightly load and the re-parse: one dict per table row, keyed like the migrations."""
from __future__ import annotations

import hashlib
import itertools
import operator

import numpy as np
import pyarrow as pa

from fzzf.parsers.records import Report
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


# Arrow tables are immutable: one empty table per fact table serves every site with nothing new.
_NO_FACTS = {table: schema.empty_table() for table, schema, _ in FACT_TABLES}


def fact_rows(parsed: list[tuple[str, CrawledPage, Report]]) -> dict[str, list[dict]]:
    """Rows of every FACT_TABLES table for the given (report_id, page, report) triples, as dicts."""
    return {table: rows.to_pylist() for table, rows in fact_tables(parsed).items()}


def fact_tables(parsed: list[tuple[str, CrawledPage, Report]]) -> dict[str, pa.Table]:
    """Every FACT_TABLES table's rows for the given (report_id, page, report) triples, built column by column.

    Every table's keys are unique whenever the report ids are: a `*_no` key column numbers a report's rows from
    1 in list order, and a report's parts and flags are each listed once.
    """
    if not parsed:  # an unchanged site's: a dozen Arrow builds of nothing cost more than its whole night
        return dict(_NO_FACTS)
    ids = [rid for rid, _, _ in parsed]
    reports = [rep for _, _, rep in parsed]
    pages = [c.page for _, c, _ in parsed]
    items = [(rid, kind, group) for rid, rep in zip(ids, reports)
             for kind, group in (("problem", rep.problems), ("plan", rep.plans))]
    return {
        "report_texts": pa.Table.from_pydict({"report_id": ids, "body": [p.body for p in pages]}, schema=TEXT_SCHEMA),
        "metrics": _numbered(METRIC_SCHEMA, {"report_id": ids}, [rep.metrics for rep in reports], "metric_no",
                             _METRIC_COLUMNS),
        "sections": _numbered(SECTION_SCHEMA, {"report_id": ids}, [rep.sections for rep in reports], "section_no",
                              _SECTION_COLUMNS),
        "report_parts": _listed(PART_SCHEMA, ids, [list(dict.fromkeys(rep.parts)) for rep in reports]),
        "documents": _numbered(DOC_SCHEMA, {"report_id": ids}, [rep.documents for rep in reports], "document_no",
                               _DOC_COLUMNS),
        "report_items": _numbered(ITEM_SCHEMA, {"report_id": [i[0] for i in items], "item_kind": [i[1] for i in items]},
                                  [i[2] for i in items], "item_no", {"text": None}),
        "report_flags": _listed(FLAG_SCHEMA, ids, [page_flags(rep, c) for _, c, rep in parsed]),
        "report_checks": _numbered(CHECK_SCHEMA, {"report_id": ids}, [rep.checks for rep in reports], "check_no",
                                   _CHECK_COLUMNS),
        "attachments": _numbered(ATTACHMENT_SCHEMA, {"report_id": ids}, [p.attachments for p in pages],
                                 "attachment_no", _ATTACHMENT_COLUMNS),
    }


# Column <- attribute of the item, or (attribute, conversion); None takes the item itself (a string).
_METRIC_COLUMNS: dict = {"indicator": "indicator", "label": "label", "value": "value", "unit": "unit",
                         "approx": "approx", "raw": "raw", "section": "section", "sentence": "sentence",
                         "start_pos": "start", "end_pos": "end", "qualifier": "qualifier", "scope": "scope"}
_SECTION_COLUMNS: dict = {"path": "path", "level": "level", "number": "number", "heading": "heading",
                          "part": "part", "start_pos": "start", "end_pos": "end"}
_DOC_COLUMNS: dict = {"title": "title", "doc_number": "doc_number", "issuer_abbr": "issuer_abbr", "year": "year",
                      "number": "number"}
_CHECK_COLUMNS: dict = {"kind": "kind", "detail": "detail", "section": "section"}
_ATTACHMENT_COLUMNS: dict = {"url": ("url", strip_userinfo), "name": "name", "kind": "kind"}
_PYTHON_TYPES: dict = {pa.float64(): float, pa.bool_(): bool, pa.int32(): int}


def _numbered(schema: pa.Schema, keys: dict[str, list], groups: list[list], no_column: str,
              columns: dict) -> pa.Table:
    """One row per item of each group: the group's `keys`, the item's number in its group (from 1), `columns`."""
    counts = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    items = list(itertools.chain.from_iterable(groups))
    owner = np.repeat(np.arange(len(groups)), counts)
    data: dict[str, object] = {name: pa.array(values, schema.field(name).type).take(owner)
                               for name, values in keys.items()}
    data[no_column] = pa.array(np.arange(len(items)) - (np.cumsum(counts) - counts)[owner] + 1, pa.int32())
    for column, how in columns.items():
        attr, convert = how if isinstance(how, tuple) else (how, None)
        values = items if attr is None else list(map(operator.attrgetter(attr), items))
        if convert is not None:
            values = [convert(v) for v in values]
        data[column] = _array(values, schema.field(column).type)
    return pa.Table.from_pydict(data, schema=schema)


def _array(values: list, kind: pa.DataType) -> pa.Array:
    """`values` as an Arrow array of `kind`; numbers and flags Arrow refuses as they are (Decimal, 0/1) converted."""
    try:
        return pa.array(values, kind)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        convert = _PYTHON_TYPES.get(kind)
        if convert is None:
            raise
        return pa.array([v if v is None else convert(v) for v in values], kind)


def _listed(schema: pa.Schema, ids: list[str], groups: list[list[str]]) -> pa.Table:
    """(report_id, value) rows of each report's list of strings."""
    counts = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    ids_column = pa.array(ids, pa.string()).take(np.repeat(np.arange(len(ids)), counts))
    values = pa.array(list(itertools.chain.from_iterable(groups)), pa.string())
    return pa.Table.from_arrays([ids_column, values], schema=schema)


def report_row(report: Report, crawled: CrawledPage, site_id: str, sha: str, run_id: str | None,
               url: str | None = None) -> dict:
    """The `reports` row of one parsed version (version_no and is_current are set by the load; run_id too when None).

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
