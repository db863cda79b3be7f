"""Whole-pipeline throughput: crawl (loopback), parse, bulk load, marts, publish, then an incremental re-crawl."""
from __future__ import annotations

import os
import re
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fzzf.loopback import SiteServer
from fzzf.parsers.report import parse_report
from fzzf.scrapers.crawl import crawl_site
from fzzf.scrapers.session import PoliteSession
from fzzf.sites.registry import DEMO_DIR, Site
from fzzf.warehouse import db, load, marts

TEMPLATE = DEMO_DIR / "luting" / "zwgk" / "fzzfjsndbg" / "202403" / "t20240328_1000123.html"
PER_LIST_PAGE = 20
DEFAULT_PAGES = 400
_ITEM = '<li><span class="date">{date}</span><a href="./{path}" title="{title}">{title}</a></li>'


def main(pages: int | None = None) -> None:
    """Build a synthetic TRS site of N report pages, run every stage on it, print a table."""
    pages = pages or int(os.environ.get("FZZF_BENCH_PAGES", DEFAULT_PAGES))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        _build_site(root, pages)
        with SiteServer(root) as server:
            _run(server, Path(tmp) / "bench.duckdb", pages)


def _run(server: SiteServer, db_path: Path, pages: int) -> None:
    site = Site(id="bench", name="基准测试区（虚构）", province="岚川省", level="district", family="trs",
                start_urls=(f"{server.base_url}/col/index.html",), max_list_pages=pages // PER_LIST_PAGE + 2)
    session = PoliteSession(min_interval=0.0)
    rows: list[tuple[str, float, str]] = []

    started = time.perf_counter()
    crawl = crawl_site(site, session, {}, revalidate_after=timedelta(days=7))
    rows.append(("crawl (first run)", time.perf_counter() - started, f"{len(crawl.pages)} pages, {crawl.requests} requests"))

    started = time.perf_counter()
    parsed = [(page, parse_report(page.page, site)) for page in crawl.pages]
    figures = sum(len(r.metrics) for _, r in parsed)
    rows.append(("parse", time.perf_counter() - started, f"{figures} figures"))

    con = db.connect_work(db_path)
    started = time.perf_counter()
    load.start_run(con, "bench-1", datetime.now(timezone.utc), "bench", [site])
    stats = load.load_site(con, site, crawl, parsed, "bench-1")
    rows.append(("bulk load", time.perf_counter() - started, f"{stats.report_versions} versions, {stats.metrics} metrics"))

    started = time.perf_counter()
    marts.build_marts(con)
    rows.append(("build marts", time.perf_counter() - started, ""))
    known = load.known_pages(con, site.id)
    con.close()

    started = time.perf_counter()
    db.publish(db_path)
    rows.append(("publish (snapshot + os.replace)", time.perf_counter() - started, f"{db_path.stat().st_size // 1024} KiB"))

    bodies_before = sum(server.full_bodies.values())
    started = time.perf_counter()
    again = crawl_site(site, session, known, revalidate_after=timedelta(days=7))
    rows.append(("crawl (second run, unchanged)", time.perf_counter() - started,
                 f"{again.requests} requests, {sum(server.full_bodies.values()) - bodies_before} full bodies"))
    session.close()

    print(f"pipeline on {pages} synthetic report pages over loopback (min interval 0):")
    print(f"  {'stage':34} {'seconds':>9} {'pages/s':>9}  notes")
    for name, seconds, notes in rows:
        print(f"  {name:34} {seconds:9.3f} {pages / seconds if seconds else 0:9.0f}  {notes}")


def _build_site(root: Path, pages: int) -> None:
    """Copies of one demo report, each with its own URL, title year and one changed figure."""
    template = TEMPLATE.read_text(encoding="utf-8")
    items = []
    for i in range(pages):
        day = datetime(2024, 1, 1) + timedelta(days=i % 80)
        path = f"{day:%Y%m}/t{day:%Y%m%d}_{100000 + i}.html"
        # Vary one figure so every page hashes differently, as distinct reports would.
        body = re.sub(r"排查矛盾纠纷(\d+)", lambda m, i=i: f"排查矛盾纠纷{int(m.group(1)) + i}", template, count=1)
        target = root / "col" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        items.append(_ITEM.format(date=f"{day:%Y-%m-%d}", path=path, title=f"基准区{2000 + i % 25}年法治政府建设年度报告"))
    chunks = [items[i:i + PER_LIST_PAGE] for i in range(0, len(items), PER_LIST_PAGE)]
    for n, chunk in enumerate(chunks):
        name = "index.html" if n == 0 else f"index_{n}.html"
        (root / "col" / name).write_text(
            "<html><head><meta charset='utf-8'><title>法治政府建设年度报告</title></head><body><ul>"
            + "".join(chunk) + f'</ul><script>createPageHTML({len(chunks)}, {n}, "index", "html");</script></body></html>',
            encoding="utf-8",
        )
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")


if __name__ == "__main__":
    main()
