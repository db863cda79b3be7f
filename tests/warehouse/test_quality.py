"""Flagged figures are never shown as clean: checks mark their values in the matrix, compare, charts and report.

Every place and figure below is fictional.
"""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from fzzf.warehouse import db, query
from fzzf.warehouse.export import export_marts
from fzzf.warehouse.html_report import write_html_report

MISMATCH = "dispute_resolution_rate 96% but 1833/1956 = 93.7%"
CONFLICT = "disputes_screened: 1956件 (一), 195件 (二)"


@pytest.fixture(scope="module")
def flagged_db(tmp_path_factory, synth):
    site = synth.make_site("lanxi", "兰溪区")
    clean = synth.make_site("baisha", "白沙区")
    spec = synth.PageSpec("http://lanxi.example.test/2023.html", 2023, synth.body("lanxi"), date(2024, 3, 1),
                          [("disputes_screened", 1956.0, "件"), ("disputes_resolved", 1833.0, "件"),
                           ("dispute_resolution_rate", 96.0, "%"), ("disputes_screened", 195.0, "件")],
                          checks=[("rate_mismatch", MISMATCH), ("conflicting_values", CONFLICT)])
    other = synth.PageSpec("http://baisha.example.test/2023.html", 2023, synth.body("baisha"), date(2024, 3, 1),
                           [("disputes_screened", 50.0, "件"), ("dispute_resolution_rate", 90.0, "%")])
    path = tmp_path_factory.mktemp("quality") / "fzzf.duckdb"
    synth.load_all(path, [(site, [spec]), (clean, [other])])
    db.publish(path)
    return path


def _label_metrics(path):
    con = db.connect_read(path)
    try:
        return dict(((d, i), q) for d, i, q in con.execute(
            "select district_id, indicator, quality from mart_indicator_matrix").fetchall())
    finally:
        con.close()


def test_matrix_carries_the_checks_that_touch_each_value(flagged_db):
    marks = _label_metrics(flagged_db)
    assert marks[("lanxi", "dispute_resolution_rate")] == "rate_mismatch"
    assert marks[("lanxi", "disputes_screened")] == "conflicting_values"
    assert marks[("baisha", "dispute_resolution_rate")] is None and marks[("baisha", "disputes_screened")] is None


def test_matrix_csv_export_has_the_quality_column(flagged_db, tmp_path):
    export_marts(flagged_db, tmp_path, "run-1")
    with open(tmp_path / "mart_indicator_matrix.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {(r["区县编号"], r["指标键"]): r for r in csv.DictReader(handle)}
    assert rows[("lanxi", "dispute_resolution_rate")]["质量说明"] == MISMATCH
    assert rows[("baisha", "dispute_resolution_rate")]["质量标记"] == ""


def test_compare_marks_flagged_values_in_csv_and_on_screen(flagged_db, capsys):
    from fzzf.cli import main

    assert main(["compare", "--indicator", "dispute_resolution_rate", "--db", str(flagged_db)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert rows[0][-1] == "质量标记"
    by_id = {r[rows[0].index("区县编号")]: r for r in rows[1:]}
    assert by_id["lanxi"][rows[0].index("2023")] == "96" and "rate_mismatch" in by_id["lanxi"][-1] and "93.7%" in by_id["lanxi"][-1]
    assert by_id["baisha"][-1] == ""
    assert main(["compare", "--indicator", "dispute_resolution_rate", "--db", str(flagged_db), "--format", "md"]) == 0
    text = capsys.readouterr().out
    assert "| 96 [1] |" in text and f"[1] 兰溪区 2023: rate_mismatch: {MISMATCH}" in text
    assert "| 90 |" in text


def test_chart_and_html_report_mark_flagged_values(flagged_db, tmp_path):
    con = db.connect_read(flagged_db)
    try:
        comparison = query.compare(con, "dispute_resolution_rate")
    finally:
        con.close()
    assert list(comparison.quality.values()) == [f"rate_mismatch: {MISMATCH}"]
    page = write_html_report(flagged_db, tmp_path / "report").read_text(encoding="utf-8")
    assert "质量标记 / Flagged figures" in page and "93.7%" in page
