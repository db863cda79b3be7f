"""The nightly flow, end to end, against the demo sites on loopback (real HTTP, DuckDB, Prefect, SQL)."""
from __future__ import annotations

import json
import os
import re
import tomllib
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from fzzf.demo import DEMO_MIN_INTERVAL_S, DEMO_REGISTRY, aliases, substitutions
from fzzf.sites.registry import DEMO_DIR

EXPECTED = tomllib.loads((DEMO_DIR / "expected.toml").read_text(encoding="utf-8"))
ROW_COUNTED_TABLES = ("reports", "metrics", "fetches", "links")


@pytest.fixture(scope="module")
def two_runs(prefect_harness, tmp_path_factory):
    """Run the nightly flow twice over unchanged demo sites; keep both summaries and the row counts."""
    from fzzf.flows.nightly import nightly
    from fzzf.demo import demo_servers

    tmp = tmp_path_factory.mktemp("nightly")
    db_path, export_dir = tmp / "fzzf.duckdb", tmp / "exports"
    kwargs = dict(registry=str(DEMO_REGISTRY), db_path=str(db_path), export_dir=str(export_dir),
                  min_interval_s=DEMO_MIN_INTERVAL_S)
    # Two `make run`s: the demo servers stop and start again between them, as they do for a user.
    with demo_servers() as servers:
        first = nightly(substitutions=substitutions(servers), aliases=aliases(servers), **kwargs)
        counts_first = _row_counts(db_path)
        report_bodies_first = _report_body_hits(servers)
        bases = substitutions(servers)
    with demo_servers() as servers:
        assert substitutions(servers) == bases, "demo URLs changed between runs"
        second = nightly(substitutions=substitutions(servers), aliases=aliases(servers), **kwargs)
        counts_second = _row_counts(db_path)
        report_bodies_second = _report_body_hits(servers)
    return {
        "db": db_path, "exports": export_dir, "first": first, "second": second, "bases": bases,
        "counts": (counts_first, counts_second),
        "report_bodies": (report_bodies_first, report_bodies_second),
    }


def _row_counts(db_path: Path) -> dict[str, int]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in ROW_COUNTED_TABLES}
    finally:
        con.close()


def _report_body_hits(servers) -> int:
    paths = {(r["site"], r["path"]) for r in EXPECTED["report"]}
    return sum(n for name, s in servers.items() for path, n in s.full_bodies.items() if (name, path) in paths)


def _reports(db_path: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            "select url, title, district, year, published, kind from reports where is_current"
        ).fetchall()
    finally:
        con.close()
    return {row[0]: row[1:] for row in rows}


def test_every_site_ends_ok(two_runs):
    statuses = {s.site_id: s.status for s in two_runs["first"].sites}
    assert statuses and set(statuses.values()) == {"ok"}, statuses


def test_every_demo_report_is_found_with_its_metadata(two_runs):
    found = _reports(two_runs["db"])
    for expected in EXPECTED["report"]:
        url = two_runs["bases"][expected["site"]] + expected["path"]
        assert url in found, f"report not found: {expected['title']} ({url})"
        title, district, year, published, kind = found[url]
        assert (title, year, str(published), kind) == (
            expected["title"], expected["year"], expected["published"], "annual_report"), url
        assert district == expected["district"], url


def test_every_lookalike_is_skipped(two_runs):
    found = _reports(two_runs["db"])
    for lookalike in EXPECTED["lookalike"]:
        url = two_runs["bases"][lookalike["site"]] + lookalike["path"]
        assert url not in found, f"look-alike loaded as a report: {lookalike['title']}"


def test_lookalikes_are_recorded_as_skipped_links(two_runs):
    con = duckdb.connect(str(two_runs["db"]), read_only=True)
    try:
        skipped = {row[0] for row in con.execute("select url from links where not is_report").fetchall()}
    finally:
        con.close()
    for lookalike in EXPECTED["lookalike"]:
        assert two_runs["bases"][lookalike["site"]] + lookalike["path"] in skipped


def test_key_figures_reach_the_metrics_table(two_runs):
    con = duckdb.connect(str(two_runs["db"]), read_only=True)
    try:
        rows = con.execute(
            "select r.url, m.indicator, m.value, m.unit from metrics m join reports r using (report_id)"
        ).fetchall()
    finally:
        con.close()
    have = {(url, ind, round(val, 4), unit) for url, ind, val, unit in rows}
    missing = [
        (e["title"], m["indicator"], m["value"])
        for e in EXPECTED["report"] for m in e.get("metrics", [])
        if (two_runs["bases"][e["site"]] + e["path"], m["indicator"], round(float(m["value"]), 4), m["unit"]) not in have
    ]
    assert not missing, missing


def test_second_run_adds_no_rows(two_runs):
    first, second = two_runs["counts"]
    assert {t: first[t] for t in ("reports", "metrics")} == {t: second[t] for t in ("reports", "metrics")}
    assert two_runs["second"].report_versions_added == 0


def test_second_run_downloads_no_report_body_again(two_runs):
    first, second = two_runs["report_bodies"]
    assert (first, second) == (len(EXPECTED["report"]), 0)


def test_csv_exports_start_with_a_bom(two_runs):
    csvs = sorted((two_runs["exports"] / "latest").glob("*.csv"))
    assert csvs, "no CSV written"
    for path in csvs:
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf", path.name
    # Chinese headers by default, for Excel users who read Chinese.
    head = (two_runs["exports"] / "latest" / "mart_indicator_matrix.csv").read_text(encoding="utf-8-sig")
    assert head.startswith("区县编号,区县名称,")


def test_summary_counts_match_the_demo(two_runs):
    summary = two_runs["first"]
    assert summary.reports_found == len(EXPECTED["report"])
    assert summary.report_versions_added == len(EXPECTED["report"])
    assert summary.metrics_added > 10 * len(EXPECTED["report"])


def _query(db_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_integrity_flags_of_the_demo_are_raised(two_runs):
    flagged = {(url, flag) for url, flag in _query(
        two_runs["db"], "select r.url, f.flag from report_flags f join reports r using (report_id)")}
    for expected in EXPECTED["report"]:
        url = two_runs["bases"][expected["site"]] + expected["path"]
        for flag in expected.get("flags", []):
            assert (url, flag) in flagged, (expected["title"], flag)
    assert not {f for _, f in flagged} - {f for e in EXPECTED["report"] for f in e.get("flags", [])}


def test_planted_rate_mismatch_is_found(two_runs):
    found = {(url, kind) for url, kind in _query(
        two_runs["db"], "select r.url, c.kind from report_checks c join reports r using (report_id)")}
    planted = [(two_runs["bases"][e["site"]] + e["path"], c["kind"]) for e in EXPECTED["report"] for c in e.get("checks", [])]
    assert planted and set(planted) <= found


def test_timeliness_and_completeness_match_the_demo(two_runs):
    rows = _query(two_runs["db"], "select url, is_on_time, missing_parts from mart_report_compliance")
    by_url = {url: (on_time, sorted(missing or [])) for url, on_time, missing in rows}
    for expected in EXPECTED["report"]:
        url = two_runs["bases"][expected["site"]] + expected["path"]
        required = {"measures", "problems", "leadership_duty", "plans"}
        assert by_url[url] == (expected["is_on_time"], sorted(required - set(expected["parts"]))), expected["title"]


def test_each_run_logs_progress_and_site_task_names_to_its_own_file(two_runs):
    first, second = Path(two_runs["first"].log_file), Path(two_runs["second"].log_file)
    assert first != second and first.parent == two_runs["db"].parent / "logs"
    log = second.read_text(encoding="utf-8")
    assert "site 5/5 done:" in log
    assert re.search(r"stored store-\S+: \d+ sites \(\d+/5 done: \d+ ok", log)  # the batch line Prefect shows
    # Task runs are named by their batch of sites: its first site and how many more.
    assert re.search(r"\scrawl-(demo_\w+|xiangyang_gxq)(\+\d+)?: ", log)
    assert re.search(r"\sstore-(demo_\w+|xiangyang_gxq)(\+\d+)?: ", log)
    assert "new report versions: 0" in log  # the summary, once, at the end


def test_exports_are_one_runs_set_switched_in_one_step(two_runs):
    exports = two_runs["exports"]
    latest = exports / "latest"
    assert latest.is_symlink()
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source_run_id"] == two_runs["second"].run_id
    # Both nights fell on one day: its dated link names the second run too, and the first run's folder is gone.
    days = [p for p in exports.iterdir() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name)]
    assert len(days) == 1 and os.readlink(days[0]) == os.readlink(latest)
    assert [p.name for p in (exports / ".runs").iterdir()] == [two_runs["second"].run_id]
    assert (latest / "report" / "index.html").exists()
    assert not list(exports.glob(".staging-*"))


def test_runs_are_recorded_completed(two_runs):
    con = duckdb.connect(str(two_runs["db"]), read_only=True)
    try:
        states = con.execute("select status, failure from runs order by started_at").fetchall()
    finally:
        con.close()
    assert states == [("completed", None), ("completed", None)]


def test_the_demos_rate_mismatch_is_marked_in_the_matrix(two_runs):
    con = duckdb.connect(str(two_runs["db"]), read_only=True)
    try:
        marked = con.execute("select district_id, year, indicator, value, quality, quality_detail "
                             "from mart_indicator_matrix where quality is not null").fetchall()
    finally:
        con.close()
    rates = [m for m in marked if m[2] == "dispute_resolution_rate"]
    assert [(m[0], m[1], m[3], m[4]) for m in rates] == [("demo_tongyu", 2023, 96.0, "rate_mismatch")]
    assert "93.7%" in rates[0][5]


def test_publication_audit_of_the_demo(two_runs):
    rows = _query(two_runs["db"], "select site_id, year, audit_status, url, days_late, column_reached "
                                  "from mart_publication_audit")
    by_url = {url: status for _site, _year, status, url, _late, _reached in rows if url}
    for expected in EXPECTED["report"]:
        url = two_runs["bases"][expected["site"]] + expected["path"]
        assert by_url[url] == ("on_time" if expected["is_on_time"] else "late"), expected["title"]
    statuses = Counter(status for _s, _y, status, *_ in rows)
    sites = {site for site, *_ in rows}
    years = {year for _s, year, *_ in rows}
    assert len(rows) == len(sites) * len(years)
    # Every demo column is reached: a year without a report is missing, never unknown.
    assert statuses["unknown"] == 0 and statuses["missing"] == len(rows) - len(by_url)
    assert all(reached for *_, reached in rows)
