"""Exports: one CSV (UTF-8 with BOM) and one Parquet per mart, a manifest, and the static HTML report."""
from __future__ import annotations

import csv
import json
import warnings

import pyarrow.parquet as pq

from fzzf.warehouse import db, marts
from fzzf.warehouse.export import export_marts
from fzzf.warehouse.html_report import write_html_report


def test_every_mart_is_exported_as_csv_with_bom_and_parquet(known_db, tmp_path):
    files = export_marts(known_db, tmp_path / "exports", "run-1")
    con = db.connect_read(known_db)
    try:
        names = marts.mart_names(con)
        expected_rows = {n: con.execute(f"select count(*) from {n}").fetchall()[0][0] for n in names}
    finally:
        con.close()
    assert len(names) == 16  # 14 comparison marts and the two publication-audit marts
    flat = [p.name for p in files if p.is_file()]
    assert sorted(flat) == sorted([f"{n}.csv" for n in names] + [f"{n}.parquet" for n in names] + ["manifest.json"])
    for name in names:
        raw = (tmp_path / "exports" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        with open(tmp_path / "exports" / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
        assert len(table) - 1 == expected_rows[name]
        assert pq.read_table(tmp_path / "exports" / f"{name}.parquet").num_rows == expected_rows[name]


def test_csv_cells_are_readable_in_excel(known_db, tmp_path):
    export_marts(known_db, tmp_path, "run-1")
    with open(tmp_path / "mart_report_compliance.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    b2023 = next(r for r in rows if r["区县编号"] == "b" and r["报告年度"] == "2023")
    assert b2023["区县名称"] == "乙区"
    assert b2023["缺少的法定内容"] == "problems;plans"
    assert b2023["是否按时发布"] == "false" and b2023["发布日期"] == "2024-04-10"


def test_manifest_says_what_when_how_many_and_which_run(known_db, tmp_path):
    export_marts(known_db, tmp_path, "run-42")
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source_run_id"] == "run-42"
    assert manifest["exported_at"].endswith("+00:00")
    by_name = {m["mart"]: m for m in manifest["marts"]}
    assert by_name["mart_indicator_matrix"]["rows"] == 11
    assert by_name["mart_indicator_matrix"]["description"].startswith("指标矩阵")


def test_exports_are_stable_across_runs(known_db, tmp_path):
    export_marts(known_db, tmp_path / "one", "run-1")
    export_marts(known_db, tmp_path / "two", "run-1")
    for csv_file in (tmp_path / "one").glob("*.csv"):
        assert csv_file.read_bytes() == (tmp_path / "two" / csv_file.name).read_bytes()


def test_html_report_links_its_charts(known_db, tmp_path):
    page = write_html_report(known_db, tmp_path / "report")
    text = page.read_text(encoding="utf-8")
    assert "排查矛盾纠纷" in text and "<img src='disputes_screened.png'" in text
    png = (tmp_path / "report" / "disputes_screened.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_chart_has_every_chinese_glyph(known_db, tmp_path):
    # matplotlib warns "Glyph ... missing from font" and draws a box when the font lacks a character.
    from fzzf.warehouse import query
    from fzzf.warehouse.charts import plot_comparison

    con = db.connect_read(known_db)
    try:
        comparison = query.compare(con, "disputes_screened")
    finally:
        con.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_comparison(comparison, tmp_path / "c.png", title="排查矛盾纠纷 · 甲乙丙丁区县")
    assert (tmp_path / "c.png").stat().st_size > 10_000
