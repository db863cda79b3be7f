"""The SQL data tests pass on clean data and catch each kind of bad row."""
from __future__ import annotations

import shutil

import pytest

from fzzf.warehouse import db, marts


@pytest.fixture
def work_con(known_db, tmp_path):
    """A private writable copy of the known warehouse."""
    path = tmp_path / "fzzf.duckdb"
    shutil.copyfile(known_db, db.work_path(path))
    con = db.connect_work(path)
    yield con
    con.close()


def failing(con) -> dict[str, int]:
    return {f.name: f.rows_n for f in marts.run_data_tests(con)}


def test_clean_data_passes_every_data_test(work_con):
    assert failing(work_con) == {}


def a_report(con) -> str:
    return con.execute("select report_id from reports where url = 'http://a.example.test/2023.html'").fetchall()[0][0]


# One planted bad row per data test: each test in sql/tests/ must be shown to catch it (checked below). Tests
# that could not fail (unique keys the primary keys already enforce, one chosen report per district × year that
# row_number() guarantees) were dropped.
BAD_ROWS = [
    ("update metrics set unit = '斤斤' where metric_no = 1 and report_id = $r", "accepted_units"),
    ("update metrics set scope = 'forever' where metric_no = 1 and report_id = $r", "accepted_scopes"),
    ("insert into report_parts values ($r, 'preface')", "accepted_parts"),
    ("update metrics set indicator = 'disputes_screend' where metric_no = 1 and report_id = $r", "accepted_indicators"),
    ("update run_sites set status = 'exploded'", "accepted_statuses"),
    ("update links set kind = 'Annual Report' where is_report", "accepted_kinds"),
    ("insert into metrics (report_id, metric_no, label, value, unit, approx, raw) "
     "values ('no-such-report', 1, 'x', 1, '件', false, '1件')", "relationships"),
    ("update metrics set value = 1000 where indicator = 'disputes_resolved' and report_id = $r",
     "rule_resolved_le_screened"),
    ("insert into metrics (report_id, metric_no, label, value, unit, approx, raw) "
     "values ($r, 99, '化解率', 120, '%', false, '120%')", "rule_percent_within_0_100"),
    ("update reports set published = date '2022-12-31' where report_id = $r", "rule_published_after_year_start"),
    ("update reports set is_current = true where url = 'http://a.example.test/2023.html'; "
     "insert into reports select * replace ('dup-' || report_id as report_id, version_no + 1 as version_no) "
     "from reports where report_id = $r", "keys_one_current_version_per_url"),
    ("update fetches set error = 'http_404' where fetch_id = (select min(fetch_id) from fetches)",
     "accepted_statuses"),
    ("alter table reports add column shiny varchar", "documented_columns"),
]


def test_every_data_test_is_shown_to_fail():
    tests = {path.stem for path in (marts.SQL_DIR / "tests").glob("*.sql")}
    assert tests == {name for _, name in BAD_ROWS}


@pytest.mark.parametrize(("sql", "test_name"), BAD_ROWS)
def test_bad_data_fails_its_test(work_con, sql, test_name):
    rid = a_report(work_con)
    for statement in sql.split("; "):
        params = {"r": rid} if "$r" in statement else None
        work_con.execute(statement, params)
    marts.build_marts(work_con)
    assert test_name in failing(work_con)


def test_undocumented_column_fails(work_con):
    work_con.execute("alter table reports add column shiny varchar")
    assert failing(work_con) == {"documented_columns": 1}


def test_failure_reports_sample_rows_and_columns(work_con):
    work_con.execute("update metrics set unit = '斤斤' where report_id = $r", {"r": a_report(work_con)})
    failure = next(f for f in marts.run_data_tests(work_con) if f.name == "accepted_units")
    assert failure.columns == ["report_id", "metric_no", "unit", "raw"]
    assert failure.rows_n == 2 and {row[2] for row in failure.sample} == {"斤斤"}
