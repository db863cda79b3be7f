"""The publication audit: every registry government × year is on time, late, missing, not yet due or unknown."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

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


def _build_at(db_path, started):
    """The same four governments audited by one run that started at `started`."""
    con = db.connect_work(db_path)
    try:
        load.start_run(con, RUN, started, "tests/registry.toml", [ON_TIME, LATE, EMPTY, UNREACHED])
        batches = [
            (ON_TIME, [PageSpec("http://ontime.example.test/2022.html", 2022, body("o22"), date(2023, 3, 31)),
                       PageSpec("http://ontime.example.test/2023.html", 2023, body("o23"), date(2024, 2, 1))]),
            (LATE, [PageSpec("http://late.example.test/2022.html", 2022, body("l22"), date(2023, 4, 12))]),
            (EMPTY, []),
        ]
        for site, pages in batches:
            crawl, parsed = make_crawl(site, pages)
            load.load_site(con, site, crawl, parsed, RUN)
        crawl, _ = make_crawl(UNREACHED, [])
        crawl.status, crawl.list_pages = "timeout", 0
        load.load_site(con, UNREACHED, crawl, [], RUN)
        marts.build_marts(con)
        load.finish_run(con, RUN, started + timedelta(hours=1))
        return con.execute("select site_id, year, audit_status, as_of from mart_publication_audit "
                           "order by site_id, year").fetchall(), con.execute(
            "select province, level, year, not_yet_due_n, missing_n, governments_on_time_pct "
            "from mart_publication_audit_summary where year = 2023 order by 1, 2").fetchall()
    finally:
        con.close()


def test_a_report_before_its_deadline_is_not_yet_due_not_missing(db_path):
    # 15 March 2024: the 2023 reports are due before 1 April 2024. Without one a government is not yet late,
    # whether its column was reached (empty, late) or not (unreached); 2022 stays missing, unknown or late.
    rows, summary = _build_at(db_path, datetime(2024, 3, 15, 2, 0, tzinfo=timezone.utc))
    assert rows == [
        ("empty", 2022, "missing", date(2024, 3, 15)), ("empty", 2023, "not_yet_due", date(2024, 3, 15)),
        ("late", 2022, "late", date(2024, 3, 15)), ("late", 2023, "not_yet_due", date(2024, 3, 15)),
        ("ontime", 2022, "on_time", date(2024, 3, 15)), ("ontime", 2023, "on_time", date(2024, 3, 15)),
        ("unreached", 2022, "unknown", date(2024, 3, 15)), ("unreached", 2023, "not_yet_due", date(2024, 3, 15)),
    ]
    # The share on time counts only governments whose report was due: 甲省's district reported, its county not yet.
    assert summary == [("乙省", "county", 2023, 1, 0, None), ("乙省", "district", 2023, 1, 0, None),
                       ("甲省", "county", 2023, 1, 0, None), ("甲省", "district", 2023, 0, 0, 100.0)]


def test_the_deadline_is_1_april_in_china(db_path):
    # 31 March 18:30 UTC is 1 April 02:30 in Beijing: the nightly run of that morning finds the 2023 reports due.
    rows, _ = _build_at(db_path, datetime(2024, 3, 31, 18, 30, tzinfo=timezone.utc))
    statuses = {(site, year): status for site, year, status, _as_of in rows}
    assert statuses["empty", 2023] == "missing" and statuses["late", 2023] == "missing"
    assert statuses["unreached", 2023] == "unknown" and {as_of for *_, as_of in rows} == {date(2024, 4, 1)}


def test_audit_is_exported_as_csv(db_path, tmp_path):
    from fzzf.warehouse.export import export_marts

    _build(db_path)
    export_marts(db_path, tmp_path / "exports", RUN, lang="en")
    names = {p.name for p in (tmp_path / "exports").glob("*.csv")}
    assert {"mart_publication_audit.csv", "mart_publication_audit_summary.csv"} <= names
    head = (tmp_path / "exports" / "mart_publication_audit.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("site_id,name,district,admin_code,province,city,level,year,audit_status")
