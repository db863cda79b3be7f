"""The publication audit: every registry government × year is found on time, late, missing or unknown."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb

from fzzf.warehouse import db, load, marts
from tests.warehouse.conftest import RUN, T0, PageSpec, body, make_crawl, make_site

ON_TIME = make_site("ontime", "甲区", province="甲省", city="一市")
LATE = make_site("late", "乙县", province="甲省", city="一市", level="county")
EMPTY = make_site("empty", "丙区", province="乙省", city="三市")       # column reached, no report in it
UNREACHED = make_site("unreached", "丁县", province="乙省", city="三市", level="county")  # never reached


def _build(db_path):
    con = db.connect_work(db_path)
    try:
        load.start_run(con, RUN, T0, "tests/registry.toml", [ON_TIME, LATE, EMPTY, UNREACHED])
        batches = [
            (ON_TIME, [PageSpec("http://ontime.example.test/2022.html", 2022, body("o22"), date(2023, 3, 31)),
                       PageSpec("http://ontime.example.test/2023.html", 2023, body("o23"), date(2024, 2, 1),
                                parts=["measures", "problems"])]),
            (LATE, [PageSpec("http://late.example.test/2023.html", 2023, body("l23"), date(2024, 4, 12))]),
            (EMPTY, []),
        ]
        for site, pages in batches:
            crawl, parsed = make_crawl(site, pages)
            load.load_site(con, site, crawl, parsed, RUN)
        crawl, _ = make_crawl(UNREACHED, [])
        crawl.status, crawl.list_pages = "timeout", 0
        load.load_site(con, UNREACHED, crawl, [], RUN)
        marts.build_marts(con)
        failures = marts.run_data_tests(con)
        load.finish_run(con, RUN, T0 + timedelta(hours=1))
    finally:
        con.close()
    db.publish(db_path)
    return failures


def test_audit_statuses_per_government_and_year(db_path):
    assert _build(db_path) == []
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute("select site_id, year, audit_status, days_late, parts_present_n "
                           "from mart_publication_audit order by site_id, year").fetchall()
        summary = con.execute("select province, level, year, governments_n, on_time_n, late_n, missing_n, unknown_n, "
                              "governments_on_time_pct from mart_publication_audit_summary order by 1, 2, 3").fetchall()
    finally:
        con.close()
    assert rows == [
        ("empty", 2022, "missing", None, None), ("empty", 2023, "missing", None, None),
        ("late", 2022, "missing", None, None), ("late", 2023, "late", 12, 4),
        ("ontime", 2022, "on_time", None, 4), ("ontime", 2023, "on_time", None, 2),
        ("unreached", 2022, "unknown", None, None), ("unreached", 2023, "unknown", None, None),
    ]
    assert summary == [
        ("乙省", "county", 2022, 1, 0, 0, 0, 1, None), ("乙省", "county", 2023, 1, 0, 0, 0, 1, None),
        ("乙省", "district", 2022, 1, 0, 0, 1, 0, 0.0), ("乙省", "district", 2023, 1, 0, 0, 1, 0, 0.0),
        ("甲省", "county", 2022, 1, 0, 0, 1, 0, 0.0), ("甲省", "county", 2023, 1, 0, 1, 0, 0, 0.0),
        ("甲省", "district", 2022, 1, 1, 0, 0, 0, 100.0), ("甲省", "district", 2023, 1, 1, 0, 0, 0, 100.0),
    ]


def test_audit_is_exported_as_csv(db_path, tmp_path):
    from fzzf.warehouse.export import export_marts

    _build(db_path)
    export_marts(db_path, tmp_path / "exports", RUN, lang="en")
    names = {p.name for p in (tmp_path / "exports").glob("*.csv")}
    assert {"mart_publication_audit.csv", "mart_publication_audit_summary.csv"} <= names
    head = (tmp_path / "exports" / "mart_publication_audit.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("site_id,name,district,admin_code,province,city,level,year,audit_status")
