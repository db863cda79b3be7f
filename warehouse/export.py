"""Export every mart from the published file as CSV (UTF-8 with BOM) and Parquet, with a manifest."""
from __future__ import annotations

import csv
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from fzzf.warehouse import db
from fzzf.warehouse.marts import mart_names

MANIFEST = "manifest.json"
# Stable row order per mart, so two exports of the same data are byte-identical and diffs are readable.
ORDER_KEYS = ("scope", "province", "city", "district_id", "district_id_a", "district_id_b", "year", "indicator",
              "theme", "peer_group")


def export_marts(db_path: Path, out_dir: Path, run_id: str) -> list[Path]:
    """Write `<mart>.csv` (UTF-8 with BOM) and `<mart>.parquet` for every mart plus `manifest.json`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = db.connect_read(Path(db_path))
    written, entries = [], []
    try:
        for mart in mart_names(con):
            table = _fetch_sorted(con, mart)
            csv_path = out_dir / f"{mart}.csv"
            parquet_path = out_dir / f"{mart}.parquet"
            write_csv(table, csv_path)
            _atomic(parquet_path, lambda tmp, t=table: pq.write_table(t, tmp))
            written += [csv_path, parquet_path]
            entries.append({"mart": mart, "rows": table.num_rows, "columns": table.column_names,
                            "csv": csv_path.name, "parquet": parquet_path.name,
                            "description": _comment(con, mart)})
    finally:
        con.close()
    manifest = {"source_run_id": run_id, "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "database": str(db_path), "csv_encoding": "utf-8-sig", "marts": entries}
    manifest_path = out_dir / MANIFEST
    _atomic(manifest_path, lambda tmp: Path(tmp).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
    return [*written, manifest_path]


def write_csv(table: pa.Table, path: Path) -> None:
    """Write an Arrow table as CSV with a UTF-8 BOM (DuckDB's COPY cannot write one; Excel needs it)."""
    def _write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.column_names)
            for batch in table.to_batches(65536):
                columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
                writer.writerows(zip(*[[_cell(v) for v in col] for col in columns]))
    _atomic(Path(path), _write)


def _fetch_sorted(con, mart: str) -> pa.Table:
    columns = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
        [mart]).fetchall()]
    keys = [c for c in ORDER_KEYS if c in columns] + [str(i) for i in range(1, len(columns) + 1)]
    # `mart` comes from the catalogue (mart_names); the ordering terms from the constants above and positions.
    return con.sql(f"select * from {mart} order by {', '.join(keys)}").to_arrow_table()


def _cell(value):
    """Lists become `a;b` (readable in Excel); None stays empty; dates and numbers as Python prints them."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join("" if v is None else str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _comment(con, mart: str) -> str | None:
    row = con.execute("select comment from duckdb_views() where view_name = ? union all "
                      "select comment from duckdb_tables() where table_name = ?", [mart, mart]).fetchall()
    return row[0][0] if row else None


def _atomic(path: Path, write) -> None:
    """Write to a temporary sibling and rename, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(str(tmp))
    os.replace(tmp, path)
