"""Every mart with a year and a province is also a Hive-partitioned Parquet dataset any reader can query."""
from __future__ import annotations

import json
from datetime import date

import duckdb
import pyarrow.dataset as ds

from fzzf.warehouse import db
from fzzf.warehouse.export import PARQUET_DATASETS, export_marts

MART = "mart_indicator_matrix"
# Unencoded, `province=<this>` would climb from the dataset's year folder up to the test's own folder.
ESCAPE = "../../../../../../越界省"


def _rows(con, sql: str, columns: list[str]) -> list[tuple]:
    return sorted(con.execute(f"select {', '.join(columns)} from {sql}").fetchall(), key=repr)


def test_a_partitioned_dataset_holds_the_marts_rows(known_db, tmp_path):
    export_marts(known_db, tmp_path, "run-1")
    with db.connect_read(known_db) as con:
        columns = con.sql(f"select * from {MART}").columns
        expected = _rows(con, MART, columns)
    folder = tmp_path / PARQUET_DATASETS / MART
    with duckdb.connect() as reader:
        scanned = f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
        assert _rows(reader, scanned, columns) == expected


def test_the_folders_are_one_per_year_and_province(known_db, tmp_path):
    export_marts(known_db, tmp_path, "run-1")
    with db.connect_read(known_db) as con:
        pairs = {(str(y), p) for y, p in con.execute(f"select distinct year, province from {MART}").fetchall()}
    folder = tmp_path / PARQUET_DATASETS / MART
    found = {(y.name.removeprefix("year="), duckdb.sql(f"select url_decode('{p.name.removeprefix('province=')}')")
              .fetchall()[0][0]) for y in folder.iterdir() for p in y.iterdir()}
    assert found == pairs


def test_pyarrow_reads_the_dataset_with_its_partitions(known_db, tmp_path):
    export_marts(known_db, tmp_path, "run-1")
    table = ds.dataset(tmp_path / PARQUET_DATASETS / MART, format="parquet", partitioning="hive").to_table()
    with db.connect_read(known_db) as con:
        provinces = sorted(r[0] for r in con.execute(f"select province from {MART}").fetchall())
    assert sorted(table.column("province").to_pylist()) == provinces


def test_the_manifest_names_each_dataset_and_its_partitions(known_db, tmp_path):
    export_marts(known_db, tmp_path, "run-1")
    by_name = {m["mart"]: m for m in json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["marts"]}
    assert by_name[MART]["parquet_partitioned"] == {"path": f"{PARQUET_DATASETS}/{MART}",
                                                    "partition_by": ["year", "province"]}
    # No province column: one Parquet file only.
    assert "parquet_partitioned" not in by_name["mart_indicator_cagr"]


def test_a_province_that_spells_a_path_stays_inside_its_dataset(synth, tmp_path):
    site = synth.make_site("x", "越界区（虚构）", province=ESCAPE)
    path = tmp_path / "w.duckdb"
    synth.load_all(path, [(site, [synth.PageSpec("http://x.example.test/2023.html", 2023, synth.body("x2023"),
                                                  date(2024, 3, 1), [("disputes_screened", 5.0, "件")])])])
    db.publish(path)
    out = tmp_path / "exports"
    export_marts(path, out, "run-1")
    written = [p for p in tmp_path.rglob("*.parquet")]
    assert written and all(out in p.parents for p in written)
    assert not (tmp_path / "越界省").exists()
    with duckdb.connect() as reader:
        scanned = f"read_parquet('{out / PARQUET_DATASETS / MART}/**/*.parquet', hive_partitioning = true)"
        assert reader.execute(f"select distinct province from {scanned}").fetchall() == [(ESCAPE,)]
