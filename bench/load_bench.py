"""Loading ~1 M figures through the nightly store path, beside the floor: the same rows as one Arrow insert.

Run: `.venv/bin/python -m bench.load_bench` (FZZF_BENCH_LOAD_REPORTS=20000 reports × FZZF_BENCH_LOAD_FIGURES=50
figures over 200 sites; the best of FZZF_BENCH_LOAD_ROUNDS=3 interleaved rounds). fzzf: each report's fetch,
archived bytes, link, text and figures stored as a night stores them: the rows the parse tasks build
(`load.prepared`, timed apart: a night runs it in parallel, off the writer), then `flows.batches.store_batch`,
the night's one writer, into a fresh working warehouse. Floor: a pyarrow Table of the same `metrics` rows,
built beforehand, inserted with one `insert into metrics select * from ...` into another fresh warehouse.
Every site, report, figure and sentence here is fictional, generated for this benchmark.
"""
from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa

from fzzf.flows import batches
from fzzf.parsers.records import Metric, Report
from fzzf.scrapers.records import CrawledPage, DiscoveredLink, FetchResult, Page, SiteCrawl
from fzzf.sites.registry import Site
from fzzf.warehouse import db, load
from fzzf.warehouse.arrow_schemas import METRIC_SCHEMA
from fzzf.warehouse.identity import canonical_url, site_hosts
from fzzf.warehouse.rows import report_version_id, sha

REPORTS = int(os.environ.get("FZZF_BENCH_LOAD_REPORTS", "20000"))
FIGURES = int(os.environ.get("FZZF_BENCH_LOAD_FIGURES", "50"))
SITES = 200
ROUNDS = int(os.environ.get("FZZF_BENCH_LOAD_ROUNDS", "3"))
RUN = "bench-load"
T0 = datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc)
# A fictional report body: short, so the figures (not the text) are what this bench loads.
_BODY = "模拟区人民政府关于法治政府建设情况的报告（虚构）。本年度共办理行政复议案件{n}件，化解矛盾纠纷{m}件。"


def main() -> list[tuple[str, str, str, float]]:
    """Time the store path and the floor on fresh warehouses, ROUNDS times interleaved; print the best of each."""
    sites, parsed = fictional_night(REPORTS, FIGURES)
    figures = sum(len(r.metrics) for _, pages in parsed for _, r in pages)
    floor_table = metric_table(parsed)
    prepare, store, floor = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(ROUNDS):
            started = time.perf_counter()
            ready = [(crawl, load.prepared(sites[crawl.site_id], crawl, pages)) for crawl, pages in parsed]
            prepare.append(time.perf_counter() - started)
            floor.append(_floor(Path(tmp) / f"floor{n}.duckdb", floor_table))
            store.append(_store(Path(tmp) / f"fzzf{n}.duckdb", sites, ready))
            del ready
    prepare_s, fzzf_s, floor_s = min(prepare), min(store), min(floor)
    print(f"{figures:,} fictional figures in {REPORTS:,} reports of {len(sites)} sites (best of {ROUNDS} rounds)")
    print(f"  rows built in the parse tasks         {prepare_s:8.2f} s   (load.prepared, off the writer)")
    print(f"  store_batch (the night's one writer)  {fzzf_s:8.2f} s")
    print(f"  floor: one Arrow insert into metrics  {floor_s:8.2f} s")
    print(f"  ratio                                 {fzzf_s / floor_s:8.2f}×   (target ≤ 2×; with the rows built "
          f"in the writer too {(fzzf_s + prepare_s) / floor_s:.2f}×)")
    return [(f"load {figures / 1e6:.1f} M figures through store_batch (target ≤ 2×)", f"{fzzf_s:.2f} s",
             f"Arrow insert {floor_s:.2f} s", fzzf_s / floor_s)]


def fictional_night(reports: int, figures: int, sites_n: int = SITES) -> tuple[dict[str, Site], list[batches.Parsed]]:
    """`reports` parsed fictional reports of `figures` figures each, spread over `sites_n` sites."""
    sites = {f"load{i:04d}": Site(id=f"load{i:04d}", name=f"模拟区{i}（虚构）", province="岚川省", level="district",
                                  start_urls=(f"http://load{i:04d}.example.test/col/index.html",))
             for i in range(sites_n)}
    parsed: list[batches.Parsed] = []
    per_site = -(-reports // sites_n)
    n = 0
    for site in sites.values():
        pages, fetches, links = [], [], []
        for _ in range(min(per_site, reports - n)):
            pages.append(_page(site, n, figures))
            fetches.append(pages[-1][0].fetch)
            links.append(pages[-1][0].link)
            n += 1
        crawl = SiteCrawl(site_id=site.id, status="ok", started_at=T0, finished_at=T0 + timedelta(minutes=1),
                          list_pages=1, links=links, pages=[cp for cp, _ in pages])
        parsed.append((crawl, pages))
    return sites, parsed


def _page(site: Site, n: int, figures: int) -> tuple[CrawledPage, Report]:
    url = f"http://{site.id}.example.test/col/2024/t{n:07d}.html"
    text = _BODY.format(n=n, m=n * 7)
    body = f"<html><body>{text}</body></html>".encode()
    fetch = FetchResult(url=url, final_url=url, status=200, fetched_at=T0, content_type="text/html",
                        etag=f'"{n:x}"', body=body, size_bytes=len(body))
    title = f"{site.name}{2000 + n % 25}年法治政府建设年度报告"
    link = DiscoveredLink(url=url, title=title, list_url=site.start_urls[0], is_report=True, kind="annual_report")
    page = Page(url=url, title=title, published=None, published_from=None, body=text)
    metrics = [Metric(indicator="disputes_resolved" if k % 2 else None, label="化解矛盾纠纷", value=float(n + k),
                      unit="件", approx=False, raw=f"{n + k}件", section="一、主要举措和成效",
                      sentence=f"全年化解矛盾纠纷{n + k}件（虚构）。", start=k * 20, end=k * 20 + 6)
               for k in range(figures)]
    report = Report(url=url, title=title, district=site.name, admin_code=None, year=2000 + n % 25, published=None,
                    source=site.name, kind="annual_report", body_chars=len(text), metrics=metrics,
                    parts=["measures", "problems", "leadership_duty", "plans"])
    return CrawledPage(link=link, fetch=fetch, page=page), report


def metric_table(parsed: list[batches.Parsed]) -> pa.Table:
    """The `metrics` rows the store path writes for these reports, as one Arrow table (the floor's input)."""
    columns: dict[str, list] = {name: [] for name in METRIC_SCHEMA.names}
    for _, pages in parsed:
        hosts = site_hosts(cp.link.list_url for cp, _ in pages[:1])
        for cp, report in pages:
            rid = report_version_id(canonical_url(report.url, hosts), sha(cp.fetch.body) or "")
            for no, m in enumerate(report.metrics, 1):
                for name, value in (("report_id", rid), ("metric_no", no), ("start_pos", m.start),
                                    ("end_pos", m.end), *((f, getattr(m, f)) for f in _SAME_NAMED)):
                    columns[name].append(value)
    return pa.Table.from_pydict(columns, schema=METRIC_SCHEMA)


_SAME_NAMED = ("indicator", "label", "value", "unit", "approx", "raw", "section", "sentence", "qualifier", "scope")


def _floor(path: Path, table: pa.Table) -> float:
    con = db.connect_work(path)
    try:
        con.register("arrow_table", table)
        started = time.perf_counter()
        con.execute("insert into metrics by name select * from arrow_table")
        return time.perf_counter() - started
    finally:
        con.close()


def _store(path: Path, sites: dict[str, Site], parsed: list[batches.Parsed]) -> float:
    con = db.connect_work(path)
    try:
        load.start_run(con, RUN, T0, "bench", list(sites.values()))
        started = time.perf_counter()
        stats = batches.store_batch(con, RUN, sites, parsed)
        elapsed = time.perf_counter() - started
        stored = con.execute("select count(*) from metrics").fetchone()
        assert stored is not None and stored[0] == stats.metrics, (stored, stats.metrics)
        return elapsed
    finally:
        con.close()


if __name__ == "__main__":
    main()
