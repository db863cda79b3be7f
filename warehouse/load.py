"""Bulk, idempotent loads of one site's crawl and parsed reports into the working database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from fzzf.parsers.records import Report
from fzzf.scrapers.records import CrawledPage, KnownPage, SiteCrawl
from fzzf.sites.registry import Site
from fzzf.warehouse.arrow_schemas import (
    FETCH_SCHEMA, LINK_SCHEMA, RAW_SCHEMA, REPORT_SCHEMA, RUN_SCHEMA, RUN_SITE_SCHEMA, SITE_SCHEMA,
)
from fzzf.warehouse.bulk import arrow_view, insert_new, replace_rows, utc
from fzzf.warehouse.identity import NEAR_BITS, canonical_url, site_hosts
from fzzf.warehouse.rows import (  # noqa: F401 - report_version_id stays importable from here
    FACT_TABLES, fact_tables, fetch_row, link_row, raw_row, report_row, report_version_id, run_site_row, sha,
    site_row,
)

# A run's end states (runs.status); a run still `running` when the next one starts died and becomes `aborted`.
RUN_STATUSES = ("running", "completed", "failed", "aborted")
# Orders versions whose fetch time is unknown before any dated one.
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# LoadStats field counting each fact table's new rows.
_STAT_OF_TABLE = {"metrics": "metrics", "sections": "sections", "documents": "documents", "report_items": "items",
                  "report_flags": "flags", "report_checks": "checks"}


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


def known_pages(con: duckdb.DuckDBPyConnection, site_id: str) -> dict[str, KnownPage]:
    """Validators of the current archived version of each report URL of the site, for conditional GETs."""
    return known_pages_of(con, [site_id]).get(site_id, {})


def known_pages_of(con: duckdb.DuckDBPyConnection, site_ids: list[str]) -> dict[str, dict[str, KnownPage]]:
    """`known_pages` of many sites in one query: site id -> URL -> validators (sites with none are left out)."""
    rows = con.execute(
        """
        with wanted as (
            select unnest(?::varchar[]) as site_id
        ),
        current as (
            select site_id, url, sha256, fetched_at from reports semi join wanted using (site_id) where is_current
        ),
        validators as (
            select site_id, url,
                   arg_max(etag, fetched_at) filter (where etag is not null) as etag,
                   arg_max(last_modified, fetched_at) filter (where last_modified is not null) as last_modified,
                   max(fetched_at) filter (where status in (200, 304)) as last_ok_at
            from fetches semi join wanted using (site_id)
            where error is null
            group by site_id, url
        ),
        final as (
            select c.site_id, c.url, c.sha256, coalesce(v.last_ok_at, c.fetched_at) as fetched_at, v.etag,
                   v.last_modified
            from current as c
            left join validators as v using (site_id, url)
        )
        select * from final
        """,
        [site_ids],
    ).fetchall()
    known: dict[str, dict[str, KnownPage]] = {}
    for site_id, url, content_sha, at, etag, lm in rows:
        known.setdefault(site_id, {})[url] = KnownPage(url=url, sha256=content_sha, fetched_at=at, etag=etag,
                                                       last_modified=lm)
    return known


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime, registry_path: str,
              sites: list[Site]) -> None:
    """Record a run's start and the registry's sites (latest registry wins); unfinished earlier runs are aborted."""
    abort_unfinished(con, started_at)
    replace_rows(con, "runs", [{"run_id": run_id, "started_at": utc(started_at), "finished_at": None,
                                "registry_path": str(registry_path), "sites_n": len(sites), "status": "running",
                                "failure": None}], RUN_SCHEMA)
    replace_rows(con, "sites", [site_row(site, run_id) for site in sites], SITE_SCHEMA)


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, finished_at: datetime, status: str = "completed",
               failure: str | None = None) -> None:
    """Record a run's end and its state."""
    con.execute("update runs set finished_at = ?, status = ?, failure = ? where run_id = ?",
                [utc(finished_at), status, failure, run_id])


def abort_unfinished(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Mark runs that never finished as aborted (call with the run lock held: none of them is alive)."""
    return con.execute("update runs set status = 'aborted', finished_at = ?, failure = 'no end recorded: the "
                       "process died' where finished_at is null or status = 'running'", [utc(now)]).fetchall()[0][0]


SiteLoad = tuple[Site, SiteCrawl, list[tuple[CrawledPage, Report]]]


def load_site(con: duckdb.DuckDBPyConnection, site: Site, crawl: SiteCrawl,
              parsed: list[tuple[CrawledPage, Report]], run_id: str) -> LoadStats:
    """Load one site's fetch log, archive, links, outcome and parsed reports in one transaction."""
    return load_sites(con, [(site, crawl, parsed)], run_id)


def load_sites(con: duckdb.DuckDBPyConnection, batch: list[SiteLoad], run_id: str) -> LoadStats:
    """Load several sites as `load_site` loads one, in one transaction and a few bulk statements per table.

    The result is the one of loading them one after another, in order (the first of two equal keys wins).
    Pages that come as `prepared` bring their rows; the others' are built here.
    """
    stats = LoadStats()
    sites_rows = [_rows_of(site, crawl, parsed) for site, crawl, parsed in batch]
    con.execute("begin transaction")
    try:
        # A site listed twice keeps its last row, as two loads in a row would.
        replace_rows(con, "sites", list({s.id: site_row(s, run_id) for s, _, _ in batch}.values()), SITE_SCHEMA)
        replace_rows(con, "run_sites", list({c.site_id: run_site_row(run_id, c, len(p))
                                             for _, c, p in batch}.values()), RUN_SITE_SCHEMA)
        stats.fetches = insert_new(con, "fetches", _run_column(_concat(sites_rows, "fetches", FETCH_SCHEMA),
                                                               "run_id", run_id), FETCH_SCHEMA, ("fetch_id",))
        stats.raw_pages = insert_new(con, "raw_pages", _concat(sites_rows, "raw_pages", RAW_SCHEMA), RAW_SCHEMA,
                                     ("sha256",))
        stats.links = insert_new(con, "links", _run_column(_concat(sites_rows, "links", LINK_SCHEMA), "first_run_id",
                                                           run_id), LINK_SCHEMA, ("link_id",))
        _load_reports(con, sites_rows, run_id, stats)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.execute("reset preserve_insertion_order")  # set for the fact inserts only (_load_reports)
    return stats


_NO_REPORTS = REPORT_SCHEMA.empty_table()  # immutable: shared by every site with nothing new


@dataclass
class SiteRows:
    """The rows `load_sites` writes for one site's crawl and parsed pages, built before it needs them.

    The run's id is left unset (the writer's run sets it); `sites` and `run_sites` rows are the writer's.
    """

    fetches: pa.Table  # the crawl's fetches, then each parsed page's
    raw_pages: pa.Table  # the bodies those fetches downloaded
    links: pa.Table
    reports: pa.Table  # one row per parsed page, in page order
    facts: dict[str, pa.Table]  # FACT_TABLES rows of each report version once (the first page of an id wins)


class ParsedPages(list):
    """A site's (page, report) pairs with their SiteRows, built where they were parsed (see `prepared`)."""

    def __init__(self, pages: list[tuple[CrawledPage, Report]], crawl: SiteCrawl, rows: SiteRows) -> None:
        super().__init__(pages)
        self.crawl, self.rows = crawl, rows


def site_rows(site: Site, crawl: SiteCrawl, parsed: list[tuple[CrawledPage, Report]]) -> SiteRows:
    """A site's crawl and parsed pages as rows: ids, hashes and facts, column by column; no database needed."""
    fetches = [*crawl.fetches, *(page.fetch for page, _ in parsed)]
    rows, children = [], []
    hosts = site_hosts(site.start_urls)
    for crawled, report in parsed:
        content_sha = crawled.fetch.sha256 or sha(crawled.fetch.body or crawled.page.body.encode())
        url = canonical_url(report.url or crawled.fetch.url, hosts)
        rows.append(report_row(report, crawled, site.id, content_sha, None, url))
        children.append((rows[-1]["report_id"], crawled, report))
    # One entry per version id (the same bytes listed twice in a crawl are one version): the first wins.
    first = list({rid: (rid, c, rep) for rid, c, rep in reversed(children)}.values())[::-1]
    return SiteRows(
        fetches=pa.Table.from_pylist([fetch_row(f, None, site.id) for f in fetches], schema=FETCH_SCHEMA),
        raw_pages=pa.Table.from_pylist([r for f in fetches if (r := raw_row(f))], schema=RAW_SCHEMA),
        links=pa.Table.from_pylist([link_row(link, site.id, None) for link in crawl.links], schema=LINK_SCHEMA),
        reports=pa.Table.from_pylist(rows, schema=REPORT_SCHEMA) if rows else _NO_REPORTS,
        facts=fact_tables(first))


def prepared(site: Site, crawl: SiteCrawl, parsed: list[tuple[CrawledPage, Report]]) -> ParsedPages:
    """The parsed pages with their rows built now, so the night's one writer only inserts them.

    The parse tasks call it (in parallel, in worker threads or processes); `load_sites` builds the rows of
    pages that come without them.
    """
    return ParsedPages(parsed, crawl, site_rows(site, crawl, parsed))


def _rows_of(site: Site, crawl: SiteCrawl, parsed: list[tuple[CrawledPage, Report]]) -> SiteRows:
    """The rows `prepared` built for this crawl and these pages, else built now."""
    if isinstance(parsed, ParsedPages) and parsed.crawl is crawl and parsed.rows.reports.num_rows == len(parsed):
        return parsed.rows
    return site_rows(site, crawl, parsed)


def _concat(sites_rows: list[SiteRows], name: str, schema: pa.Schema) -> pa.Table:
    tables = [getattr(rows, name) for rows in sites_rows]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def _run_column(table: pa.Table, column: str, run_id: str) -> pa.Table:
    return table.set_column(table.schema.get_field_index(column), column,
                            pa.array([run_id] * table.num_rows, pa.string()))


def _load_reports(con: duckdb.DuckDBPyConnection, sites_rows: list[SiteRows], run_id: str, stats: LoadStats) -> None:
    loaded_rows = _run_column(_concat(sites_rows, "reports", REPORT_SCHEMA), "run_id", run_id)
    if not loaded_rows.num_rows:
        return
    with arrow_view(con, loaded_rows, REPORT_SCHEMA) as loaded:
        # The view name comes from arrow_view, never from data.
        existing = {r[0] for r in con.execute(f"select distinct report_id from reports semi join {loaded} "
                                              "using (report_id)").fetchall()}
        versions, facts = _fresh(sites_rows, loaded_rows, existing)
        stats.report_versions = _insert_versions(con, versions)
        _set_current(con, loaded)
        mark_duplicates(con, loaded)
        mark_near_duplicates(con, loaded)
    # The facts arrive as one Arrow chunk per site; keeping their order on disk cost a quarter of the insert
    # (1 M metrics in 200 chunks: 0.66-0.71 s, 0.51-0.55 s without), and every reader orders them (metric_no).
    # Reset by load_sites once the transaction is over (SET is not transactional, and an aborted one refuses it).
    con.execute("set preserve_insertion_order = false")
    for table, schema, keys in FACT_TABLES:
        # Fresh versions have no facts yet (facts come only with their version, in its transaction), and their
        # keys are unique (rows.fact_tables): no de-duplication, no anti join; the primary key still checks.
        added = insert_new(con, table, facts[table], schema, keys, skip_existing=False, dedupe=False)
        if table in _STAT_OF_TABLE:
            setattr(stats, _STAT_OF_TABLE[table], added)


def _fresh(sites_rows: list[SiteRows], loaded: pa.Table, existing: set[str]) -> tuple[pa.Table, dict[str, pa.Table]]:
    """The `reports` rows and facts of versions not stored yet, each once: the first site and page of an id wins."""
    seen, firsts, offset = set(existing), [], 0
    parts: dict[str, list[pa.Table]] = {table: [] for table, _, _ in FACT_TABLES}
    for rows in sites_rows:
        first_at: dict[str, int] = {}
        for i, rid in enumerate(rows.reports.column("report_id").to_pylist(), offset):
            first_at.setdefault(rid, i)
        offset += rows.reports.num_rows
        mine = [rid for rid in first_at if rid not in seen]
        seen.update(mine)
        firsts += [first_at[rid] for rid in mine]
        wanted = None if len(mine) == len(first_at) else pa.array(mine, pa.string())
        for table, facts in rows.facts.items():
            parts[table].append(facts if wanted is None else facts.filter(pc.is_in(facts["report_id"], wanted)))
    return loaded.take(pa.array(firsts, pa.int64())), {
        table: pa.concat_tables(parts[table]) if parts[table] else schema.empty_table()
        for table, schema, _ in FACT_TABLES}


def mark_duplicates(con: duckdb.DuckDBPyConnection, loaded: str) -> int:
    """Of current reports with the same text (or bytes), keep one: the rest are not current, `duplicate_of` it.

    The same text within a site is one report (two URLs of one page). Across sites it is one report when both
    name the same subject district (a repost); the copy on the subject's own site is kept, else the earliest.
    A district's own report that copies another's text (a different subject) is not a duplicate.
    Only texts of `loaded` (a view of `reports` rows just loaded) are looked at.
    """
    return con.execute(
        f"""
        with current as (
            select r.report_id, r.site_id, coalesce(r.text_sha, r.sha256) as text_key, r.district, r.fetched_at,
                   coalesce(s.district, s.name) as site_district
            from reports as r
            left join sites as s using (site_id)
            where r.is_current
              and coalesce(r.text_sha, r.sha256) in (select coalesce(text_sha, sha256) from {loaded})
        ),
        ranked as (
            select *,
                   first_value(report_id) over (
                       partition by text_key, coalesce(district, '#' || site_id)
                       order by (district = site_district) desc nulls last, fetched_at nulls last, report_id
                   ) as keeper
            from current
        ),
        final as (
            select report_id, keeper from ranked where report_id <> keeper
        )
        update reports set is_current = false, duplicate_of = final.keeper
        from final
        where reports.report_id = final.report_id
        """
    ).fetchall()[0][0]


def mark_near_duplicates(con: duckdb.DuckDBPyConnection, loaded: str) -> int:
    """Of current reports of one area and year whose texts are near-identical (SimHashes within NEAR_BITS bits,
    lengths within a tenth), keep one as `mark_duplicates` does: the subject's own site first, else the earliest.
    Only pairs that touch `loaded` (a view of the `reports` rows just loaded) are compared."""
    return con.execute(
        f"""
        with touched as (
            select distinct coalesce(district, '#' || site_id) as area, year from reports
            where report_id in (select report_id from {loaded})
        ),
        current as (
            select r.report_id, coalesce(r.district, '#' || r.site_id) as area, r.year, r.text_simhash, r.body_chars,
                   row_number() over (order by (r.district = coalesce(s.district, s.name)) desc nulls last,
                                      r.fetched_at nulls last, r.report_id) as rank
            from reports as r
            left join sites as s using (site_id)
            inner join touched as t on t.area = coalesce(r.district, '#' || r.site_id) and t.year is not distinct from r.year
            where r.is_current and r.text_simhash is not null
        ),
        near as (
            select a.report_id, b.report_id as other, b.rank as other_rank
            from current as a
            inner join current as b
                on a.area = b.area and a.year is not distinct from b.year and b.rank < a.rank
                and bit_count(xor(a.text_simhash, b.text_simhash)) <= {NEAR_BITS}
                and abs(a.body_chars - b.body_chars) <= greatest(a.body_chars, b.body_chars) / 10
            where a.report_id in (select report_id from {loaded}) or b.report_id in (select report_id from {loaded})
        ),
        final as (
            -- a report gives way to the best-ranked near-identical one (its subject's own site, else the earliest)
            select report_id, arg_min(other, other_rank) as keeper from near group by report_id
        )
        update reports set is_current = false, duplicate_of = final.keeper
        from final
        where reports.report_id = final.report_id
        """
    ).fetchall()[0][0]


def _insert_versions(con: duckdb.DuckDBPyConnection, rows: pa.Table) -> int:
    """New versions (each once) get the next version_no of their URL, in fetch order."""
    if not rows.num_rows:
        return 0
    with arrow_view(con, rows, REPORT_SCHEMA) as new_versions:
        # The view name comes from arrow_view, never from data.
        return con.execute(
            f"""
            insert into reports by name
            with prior as (
                select url, max(version_no) as last_no from reports
                where url in (select url from {new_versions}) group by url
            ),
            final as (
                select n.*,
                       coalesce(p.last_no, 0)
                         + row_number() over (partition by n.url order by n.fetched_at, n.report_id) as version_no,
                       false as is_current
                from {new_versions} as n
                left join prior as p using (url)
            )
            select * from final
            """
        ).fetchall()[0][0]


def _set_current(con: duckdb.DuckDBPyConnection, loaded: str) -> None:
    """The latest fetched version of each loaded URL is current (a page reverting to old bytes included)."""
    con.execute(
        f"""
        with latest as (
            select url, max_by(report_id, (coalesce(fetched_at, '{_EPOCH.isoformat()}'::timestamptz), report_id))
                       as report_id
            from {loaded}
            group by url
        )
        update reports set is_current = reports.report_id = latest.report_id
        from latest
        where reports.url = latest.url
        """
    )
