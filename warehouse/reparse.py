"""Re-parse stored report versions offline: read what parsing needs from the archive, replace the parsed facts."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from fzzf.parsers.records import Report
from fzzf.scrapers.records import CrawledPage, DiscoveredLink, FetchResult, Page
from fzzf.sites.registry import Site
from fzzf.warehouse.arrow_schemas import REPORT_SCHEMA, TEXT_SCHEMA
from fzzf.warehouse.bulk import arrow_view, insert_new
from fzzf.warehouse.rows import FACT_TABLES, REPORT_META_COLUMNS, fact_rows, report_meta

BATCH = 200  # versions per archive read: bounds the bytes held in memory at once
META_SCHEMA = pa.schema([REPORT_SCHEMA.field(name) for name in ("report_id", *REPORT_META_COLUMNS)])
# What makes two figures the same figure for the "figures changed" count (offsets and sentences may move).
_FIGURE_KEY = ("indicator", "label", "value", "unit", "approx", "raw", "qualifier", "scope")


@dataclass
class ArchivedVersion:
    """One stored report version with what parsing it again needs, without the network."""

    report_id: str
    site: Site
    fetch: FetchResult  # rebuilt from the archive; `body` is None when the bytes are not in raw_pages
    link: DiscoveredLink  # the list link it was found through (its title and listed date)
    stored: Page  # the stored body text and metadata, for when the bytes cannot be extracted again
    attachments: dict[str, bytes] = field(default_factory=dict)  # archived attachment bytes, by URL
    metrics_n: int = 0  # figures stored before the re-parse


@dataclass
class ReplaceStats:
    """What one `replace_parsed` call changed."""

    versions: int = 0
    metrics_before: int = 0
    metrics_after: int = 0
    figures_changed: list[str] = field(default_factory=list)  # report_ids whose figures differ
    metadata_changed: list[str] = field(default_factory=list)  # report_ids whose `reports` metadata differ


def stored_site_ids(con: duckdb.DuckDBPyConnection, site_ids: list[str] | None = None) -> list[str]:
    """Sites that have stored report versions (only those asked for, when `site_ids` is given)."""
    rows = con.execute("select distinct site_id from reports where ? is null or list_contains(?, site_id) "
                       "order by site_id", [site_ids, site_ids]).fetchall()
    return [r[0] for r in rows]


def archived_versions(con: duckdb.DuckDBPyConnection, site_ids: list[str] | None = None) -> Iterator[ArchivedVersion]:
    """Every stored report version (of `site_ids` only, when given), with its archived bytes, site and link."""
    sites = _sites(con)
    ids = [r[0] for r in con.execute(
        "select report_id from reports where ? is null or list_contains(?, site_id) order by site_id, url, version_no",
        [site_ids, site_ids]).fetchall()]
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        attachments = _attachment_bytes(con, chunk)
        # Fetched in full before yielding: a partly fetched result would block the caller's own queries.
        for row in _version_rows(con, chunk):
            yield _version(row, sites[row["site_id"]], attachments.get(row["report_id"], {}))


def replace_parsed(con: duckdb.DuckDBPyConnection, reparsed: list[tuple[str, CrawledPage, Report]]) -> ReplaceStats:
    """Replace the parsed facts and `reports` metadata of stored versions in one transaction (bulk, Arrow)."""
    # Identity stays: report_id, url, sha256, version_no, is_current, fetched_at and the loading run_id.
    reparsed = list({rid: (rid, c, rep) for rid, c, rep in reparsed}.values())
    if not reparsed:
        return ReplaceStats()
    ids = [rid for rid, _, _ in reparsed]
    stored = {r[0] for r in con.execute("select report_id from reports where list_contains(?, report_id)",
                                        [ids]).fetchall()}
    if missing := [rid for rid in ids if rid not in stored]:
        # Facts without their `reports` row would be orphans; new versions come in through load_site.
        raise ValueError(f"not stored report versions: {', '.join(missing[:5])}")
    facts = fact_rows(reparsed)
    meta = [{"report_id": rid, **report_meta(rep, c)} for rid, c, rep in reparsed]
    con.execute("begin transaction")
    try:
        stats = ReplaceStats(versions=len(ids), metrics_after=len(facts["metrics"]))
        stats.metrics_before, stats.figures_changed = _figure_changes(con, ids, facts["metrics"])
        stats.metadata_changed = _metadata_changes(con, meta)
        _drop_stale_shingles(con, facts["report_texts"])
        for table, schema, keys in FACT_TABLES:
            # Table names come from FACT_TABLES (constants), never from data.
            con.execute(f"delete from {table} where list_contains(?, report_id)", [ids])
            insert_new(con, table, facts[table], schema, keys)
        with arrow_view(con, meta, META_SCHEMA) as view:
            assignments = ", ".join(f"{c} = n.{c}" for c in REPORT_META_COLUMNS)
            con.execute(f"update reports set {assignments} from {view} as n where reports.report_id = n.report_id")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return stats


def _sites(con: duckdb.DuckDBPyConnection) -> dict[str, Site]:
    """Registry sites as the warehouse last recorded them (allowed hosts are not stored; parsing needs none)."""
    rows = con.execute("select site_id, name, province, level, start_urls, city, district, admin_code, family "
                       "from sites").fetchall()
    return {r[0]: Site(id=r[0], name=r[1], province=r[2], level=r[3], start_urls=tuple(r[4] or ()), city=r[5],
                       district=r[6], admin_code=r[7], family=r[8]) for r in rows}


def _version_rows(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[dict]:
    rel = con.execute(
        """
        with chosen as (
            select * from reports where list_contains(?, report_id)
        ),
        fetch_pick as (
            -- Reports keep the URL after redirects; the URL asked for (which the list link has) is in the fetch log.
            select c.report_id, f.url, f.content_type,
                   row_number() over (partition by c.report_id
                                      order by f.run_id = c.run_id desc, f.fetched_at) as pick
            from chosen as c
            inner join fetches as f
                on f.site_id = c.site_id and f.sha256 = c.sha256 and f.final_url = c.final_url and f.status = 200
        ),
        link_pick as (
            -- The link as listed when the version was loaded: the latest one first seen no later than that run.
            select c.report_id, l.title, l.listed_date,
                   row_number() over (partition by c.report_id
                                      order by l.is_report desc, l.first_run_id <= c.run_id desc,
                                               l.first_run_id desc, l.link_id) as pick
            from chosen as c
            left join fetch_pick as fp on fp.report_id = c.report_id and fp.pick = 1
            inner join links as l on l.site_id = c.site_id and (l.url = c.url or l.url = fp.url)
        ),
        figures as (
            select report_id, count(*) as metrics_n from metrics where list_contains(?, report_id) group by report_id
        ),
        final as (
            select c.report_id, c.site_id, c.url, c.final_url, c.sha256, c.fetched_at, c.title, c.published,
                   c.published_from, c.source, c.body_source, c.body_pages, c.flags,
                   coalesce(fp.url, c.url) as request_url, coalesce(fp.content_type, p.content_type) as content_type,
                   p.body as raw, lp.title as link_title, lp.listed_date, t.body as text,
                   coalesce(g.metrics_n, 0) as metrics_n
            from chosen as c
            left join fetch_pick as fp on fp.report_id = c.report_id and fp.pick = 1
            left join link_pick as lp on lp.report_id = c.report_id and lp.pick = 1
            left join raw_pages as p on p.sha256 = c.sha256
            left join report_texts as t on t.report_id = c.report_id
            left join figures as g on g.report_id = c.report_id
        )
        select * from final order by site_id, url, report_id
        """,
        [ids, ids],
    )
    columns = [d[0] for d in rel.description]
    return [dict(zip(columns, row)) for row in rel.fetchall()]


def _attachment_bytes(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, bytes]]:
    """Archived bytes of each version's attachment links, from fetches the crawl made in the run that loaded it."""
    rows = con.execute(
        """
        select a.report_id, a.url, arg_max(p.body, f.fetched_at) as body
        from attachments as a
        inner join reports as r on r.report_id = a.report_id
        inner join fetches as f on f.url = a.url and f.site_id = r.site_id and f.run_id = r.run_id and f.status = 200
        inner join raw_pages as p on p.sha256 = f.sha256
        where list_contains(?, a.report_id)
        group by a.report_id, a.url
        """,
        [ids],
    ).fetchall()
    found: dict[str, dict[str, bytes]] = {}
    for rid, url, body in rows:
        found.setdefault(rid, {})[url] = bytes(body)
    return found


def _version(row: dict, site: Site, attachments: dict[str, bytes]) -> ArchivedVersion:
    raw = bytes(row["raw"]) if row["raw"] is not None else None
    fetch = FetchResult(url=row["request_url"], final_url=row["final_url"] or row["url"], status=200,
                        fetched_at=row["fetched_at"], content_type=row["content_type"], body=raw,
                        sha256=row["sha256"], size_bytes=len(raw or b""), from_cache=True)
    # A version whose link was never stored keeps its stored title as the link text (the crawler's last resort).
    link = DiscoveredLink(url=row["request_url"], title=row["link_title"] or row["title"] or "", list_url="",
                          is_report=True, kind="annual_report", listed_date=row["listed_date"])
    stored = Page(url=row["url"], title=row["title"], published=row["published"],
                  published_from=row["published_from"], body=row["text"] or "", source=row["source"],
                  body_source=row["body_source"] or "html", body_pages=row["body_pages"],
                  flags=list(row["flags"] or []))
    return ArchivedVersion(row["report_id"], site, fetch, link, stored, attachments, row["metrics_n"])


def _figure_changes(con: duckdb.DuckDBPyConnection, ids: list[str], new_rows: list[dict]) -> tuple[int, list[str]]:
    """Figures stored before, and the versions whose figure list the new rows change."""
    columns = ", ".join(_FIGURE_KEY)
    old: dict[str, list[tuple]] = {rid: [] for rid in ids}
    for rid, *figure in con.execute(f"select report_id, {columns} from metrics where list_contains(?, report_id) "
                                    "order by report_id, metric_no", [ids]).fetchall():
        old[rid].append(tuple(figure))
    new: dict[str, list[tuple]] = {rid: [] for rid in ids}
    for row in sorted(new_rows, key=lambda r: (r["report_id"], r["metric_no"])):
        new[row["report_id"]].append(tuple(row[k] for k in _FIGURE_KEY))
    return sum(map(len, old.values())), [rid for rid in ids if old[rid] != new[rid]]


def _metadata_changes(con: duckdb.DuckDBPyConnection, meta: list[dict]) -> list[str]:
    """Versions whose stored `reports` metadata differ from the new values."""
    rel = con.execute(f"select report_id, {', '.join(REPORT_META_COLUMNS)} from reports "
                      "where list_contains(?, report_id)", [[m["report_id"] for m in meta]])
    old = {row[0]: row[1:] for row in rel.fetchall()}
    return [m["report_id"] for m in meta
            if old.get(m["report_id"]) != tuple(m[c] for c in REPORT_META_COLUMNS)]


def _drop_stale_shingles(con: duckdb.DuckDBPyConnection, texts: list[dict]) -> None:
    """Shingles are computed once per version; a version whose text changed gets them again at the next build."""
    with arrow_view(con, texts, TEXT_SCHEMA) as view:
        con.execute(f"delete from report_shingles where report_id in (select t.report_id from report_texts as t "
                    f"inner join {view} as n on n.report_id = t.report_id where t.body is distinct from n.body)")
