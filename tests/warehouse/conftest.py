"""Synthetic sites, crawls and parsed reports for warehouse tests (no scraper or parser code involved).

Every place, figure and sentence below is fictional, written for these tests.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from fzzf.parsers.records import Check, Metric, Report
from fzzf.scrapers.records import CrawledPage, DiscoveredLink, FetchResult, Page, SiteCrawl
from fzzf.sites.registry import Site
from fzzf.warehouse import db, load, marts

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc)
RUN = "run-1"
ALL_PARTS = ["measures", "problems", "leadership_duty", "plans"]


def make_site(site_id: str, name: str, province: str = "虚构省", city: str | None = "虚构市",
              level: str = "district") -> Site:
    """A fictional registry site."""
    return Site(id=site_id, name=name, province=province, level=level, city=city, district=name,
                start_urls=(f"http://{site_id}.example.test/fzzf/index.html",))


@dataclass
class PageSpec:
    """One report page of a synthetic crawl."""

    url: str
    year: int
    body: str
    published: date | None = None
    metrics: list[tuple[str | None, float, str]] = field(default_factory=list)
    parts: list[str] = field(default_factory=lambda: list(ALL_PARTS))
    problems: list[str] = field(default_factory=list)
    kind: str = "annual_report"
    flags: list[str] = field(default_factory=list)
    fetched_at: datetime = T0
    checks: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail) consistency findings


def make_crawl(site: Site, pages: list[PageSpec], lookalikes: tuple[str, ...] = (),
               subject: str | None = None) -> tuple[SiteCrawl, list]:
    """A SiteCrawl and the (CrawledPage, Report) pairs the parser would have produced for it."""
    parsed, fetches, links = [], [], []
    for spec in pages:
        html = f"<html><body>{spec.body}</body></html>".encode()
        sha = hashlib.sha256(html).hexdigest()
        fetch = FetchResult(url=spec.url, final_url=spec.url, status=200, fetched_at=spec.fetched_at,
                            content_type="text/html", etag=f'"{sha[:8]}"', body=html, sha256=sha,
                            size_bytes=len(html))
        link = DiscoveredLink(url=spec.url, title=f"{site.name}{spec.year}年法治政府建设年度报告",
                              list_url=site.start_urls[0], is_report=spec.kind == "annual_report", kind=spec.kind)
        page = Page(url=spec.url, title=link.title, published=spec.published, published_from="meta", body=spec.body)
        metrics = [Metric(indicator=ind, label=ind or "其他", value=val, unit=unit, approx=False,
                          raw=f"{val:g}{unit}", section="一", start=i * 10, end=i * 10 + 4)
                   for i, (ind, val, unit) in enumerate(spec.metrics)]
        report = Report(url=spec.url, title=link.title, district=subject or site.name, admin_code=None, year=spec.year,
                        published=spec.published, source=site.name, kind=spec.kind, body_chars=len(spec.body),
                        metrics=metrics, parts=list(spec.parts), problems=list(spec.problems),
                        flags=list(spec.flags), checks=[Check(kind, detail) for kind, detail in spec.checks])
        fetches.append(fetch)
        links.append(link)
        parsed.append((CrawledPage(link=link, fetch=fetch, page=page), report))
    for i, title in enumerate(lookalikes):
        links.append(DiscoveredLink(url=f"http://{site.id}.example.test/x{i}.html", title=title,
                                    list_url=site.start_urls[0], is_report=False, kind="disclosure_report"))
    crawl = SiteCrawl(site_id=site.id, status="ok", started_at=T0, finished_at=T0 + timedelta(minutes=1),
                      list_pages=1, links=links, fetches=fetches, pages=[p for p, _ in parsed])
    return crawl, parsed


def load_all(db_path: Path, batches: list[tuple[Site, list[PageSpec]]], run_id: str = RUN,
             subject: dict[str, str] | None = None) -> list[load.LoadStats]:
    """Start a run, load every site's synthetic crawl, build marts; returns each site's LoadStats.

    `subject` names, per site id, the district its reports are about when it is not the site's own (reposts).
    """
    con = db.connect_work(db_path)
    try:
        load.start_run(con, run_id, T0, "tests/registry.toml", [site for site, _ in batches])
        stats = []
        for site, pages in batches:
            crawl, parsed = make_crawl(site, pages, subject=(subject or {}).get(site.id))
            stats.append(load.load_site(con, site, crawl, parsed, run_id))
        marts.build_marts(con)
        load.finish_run(con, run_id, T0 + timedelta(hours=1))
        return stats
    finally:
        con.close()


def body(seed: str, n: int = 40) -> str:
    """A deterministic fictional text of `n` sentences of CJK characters drawn from a hash of `seed`."""
    digest = hashlib.sha256(seed.encode()).digest()
    chars, sentences = [], []
    while len(sentences) < n:
        digest = hashlib.sha256(digest).digest()
        chars.extend(chr(0x4E00 + int.from_bytes(digest[i:i + 2], "big") % 6000) for i in range(0, 32, 2))
        if len(chars) >= 20:
            sentences.append("".join(chars[:20]))
            chars = chars[20:]
    return "。".join(sentences) + "。"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh live warehouse file in a temporary folder."""
    return tmp_path / "fzzf.duckdb"


SITE_A = make_site("a", "甲区", province="甲省", city="一市")
SITE_B = make_site("b", "乙区", province="甲省", city="一市")
SITE_C = make_site("c", "丙县", province="甲省", city="二市", level="county")
SITE_D = make_site("d", "丁区", province="乙省", city="三市")
A_2022_TEXT = body("a2022")
A_2023_TEXT = body("a2022", 20) + body("a2023-new", 20)  # half of it carried over from 2022


def known_batches() -> list[tuple[Site, list[PageSpec]]]:
    """The small fictional dataset whose mart values the tests know exactly."""
    def dispute(screened: float, resolved: float | None = None) -> list[tuple[str | None, float, str]]:
        figures = [("disputes_screened", screened, "件")]
        return figures + ([("disputes_resolved", resolved, "件")] if resolved is not None else [])

    a = [
        PageSpec("http://a.example.test/2021.html", 2021, body("a2021"), date(2022, 3, 31),
                 dispute(100, 90) + [("dispute_resolution_rate", 90.0, "%")]),
        PageSpec("http://a.example.test/2022.html", 2022, A_2022_TEXT, date(2023, 4, 1),
                 dispute(120, 110) + [("disputes_screened", 7, "件")]),
        PageSpec("http://a.example.test/2023.html", 2023, A_2023_TEXT, date(2024, 2, 15), dispute(150, 140),
                 problems=["执法人员专业素质有待提高", "普法宣传形式单一"]),
    ]
    b = [
        PageSpec("http://b.example.test/2022.html", 2022, body("b2022"), date(2023, 3, 1), dispute(200)),
        PageSpec("http://b.example.test/2023.html", 2023, A_2023_TEXT, date(2024, 4, 10), dispute(180),
                 parts=["measures", "leadership_duty"], problems=["基层执法力量薄弱"]),
    ]
    c = [
        PageSpec("http://c.example.test/2023a.html", 2023, body("c2023a"), date(2024, 3, 1), dispute(40)),
        PageSpec("http://c.example.test/2023b.html", 2023, body("c2023b"), date(2024, 3, 20), dispute(50)),
        PageSpec("http://c.example.test/gk2023.html", 2023, body("c-gk"), date(2024, 1, 20), dispute(9999),
                 kind="disclosure_report"),
    ]
    d = [
        PageSpec("http://d.example.test/2023.html", 2023, body("d2023"), date(2024, 3, 10),
                 dispute(300) + [("dispute_resolution_rate", 77, "件")]),
    ]
    return [(SITE_A, a), (SITE_B, b), (SITE_C, c), (SITE_D, d)]


@pytest.fixture(scope="session")
def known_db(tmp_path_factory) -> Path:
    """A published warehouse holding the known dataset (built once per test session; read-only use)."""
    path = tmp_path_factory.mktemp("known") / "fzzf.duckdb"
    load_all(path, known_batches())
    db.publish(path)
    return path


@pytest.fixture
def known_con(known_db: Path):
    """A read-only connection to the known warehouse."""
    con = db.connect_read(known_db)
    yield con
    con.close()


@pytest.fixture(scope="session")
def synth() -> SimpleNamespace:
    """The builders above, for test modules (pytest's importlib mode cannot import conftest directly)."""
    return SimpleNamespace(RUN=RUN, T0=T0, PageSpec=PageSpec, body=body, load_all=load_all, make_crawl=make_crawl,
                           make_site=make_site, known_batches=known_batches)
