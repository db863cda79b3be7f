"""Export every mart from the published file as CSV (UTF-8 with BOM) and Parquet, with a manifest.

A night's exports are written into a new folder and switched in one step, so a set of CSVs always comes
from one run and its manifest:

    exports/.runs/<run_id>/      one complete set (CSVs, Parquet, manifest.json, report/)
        parquet/<mart>/year=YYYY/province=<省>/data_0.parquet   every mart with a year and a province, again
                                 as a Hive-partitioned dataset (values URL-encoded, nulls __HIVE_DEFAULT_PARTITION__)
    exports/YYYY-MM-DD -> .runs/<run_id>   the last complete set of that (UTC) day, kept `keep` nights
    exports/latest     -> .runs/<run_id>   the newest complete set

Each link is replaced by `os.replace` of a new symlink (atomic on POSIX); a crash leaves at most a
`.staging-*` folder, removed by the next export.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from fzzf.warehouse import csvsafe, db
from fzzf.warehouse.headers import DEFAULT_LANG, header
from fzzf.warehouse.marts import mart_names

MANIFEST = "manifest.json"
LATEST = "latest"
RUNS = ".runs"
STAGING_PREFIX = ".staging-"
DEFAULT_KEEP_NIGHTS = 30
# Stable row order per mart, so two exports of the same data are byte-identical and diffs are readable.
ORDER_KEYS = ("scope", "province", "city", "district_id", "district_id_a", "district_id_b", "year", "indicator",
              "theme", "peer_group")
# Analysts filter by year and province first: a reader of the partitioned copy opens only those folders.
PARTITION_BY = ("year", "province")
PARQUET_DATASETS = "parquet"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def export_marts(db_path: Path, out_dir: Path, run_id: str, *, lang: str = DEFAULT_LANG) -> list[Path]:
    """Write `<mart>.csv` (UTF-8 with BOM, headers in `lang`) and `<mart>.parquet` per mart plus `manifest.json`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = db.connect_read(Path(db_path))
    written, entries = [], []
    try:
        # Timestamps print the same whatever the server's zone.
        con.execute("set TimeZone = 'UTC'")
        for mart in mart_names(con):
            query = _sorted_query(con, mart)
            csv_path = out_dir / f"{mart}.csv"
            parquet_path = out_dir / f"{mart}.parquet"
            _atomic(csv_path, lambda tmp, q=query: csvsafe.copy_csv(con, q, Path(tmp), lang=lang))
            _atomic(parquet_path, lambda tmp, q=query: con.execute(
                f"copy ({q}) to '{_sql_text(tmp)}' (format parquet)"))
            written += [csv_path, parquet_path]
            columns = con.sql(f"select * from {mart}").columns
            entry = {"mart": mart, "rows": con.execute(f"select count(*) from {mart}").fetchall()[0][0],
                     "columns": columns, "csv_header": header(columns, lang),
                     "csv": csv_path.name, "parquet": parquet_path.name, "description": _comment(con, mart)}
            if set(PARTITION_BY) <= set(columns):
                dataset = write_partitioned(con, query, out_dir / PARQUET_DATASETS / mart)
                written.append(dataset)
                entry["parquet_partitioned"] = {"path": str(dataset.relative_to(out_dir)),
                                                "partition_by": list(PARTITION_BY)}
            entries.append(entry)
    finally:
        con.close()
    manifest = {"source_run_id": run_id, "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "database": str(db_path), "csv_encoding": "utf-8-sig", "csv_lang": lang, "marts": entries}
    manifest_path = out_dir / MANIFEST
    _atomic(manifest_path, lambda tmp: Path(tmp).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
    return [*written, manifest_path]


def export_snapshot(db_path: Path, root: Path, run_id: str, *, keep: int = DEFAULT_KEEP_NIGHTS,
                    extras: Iterable[Callable[[Path], object]] = (), day: str | None = None,
                    lang: str = DEFAULT_LANG) -> Path:
    """Export into a new folder, add `extras(folder)`, then switch the day's link and `latest` to it."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    clean_leftovers(root)
    staging = root / f"{STAGING_PREFIX}{run_id}"
    export_marts(db_path, staging, run_id, lang=lang)
    for extra in extras:
        extra(staging)
    final = root / RUNS / run_id
    final.parent.mkdir(exist_ok=True)
    if final.exists():
        shutil.rmtree(final)
    os.replace(staging, final)
    target = Path(RUNS) / run_id
    _switch_link(root / (day or datetime.now(timezone.utc).date().isoformat()), target)
    _switch_link(root / LATEST, target)
    _retain(root, keep)
    db.fsync_dir(root)
    return root / LATEST


def write_csv(table: pa.Table, path: Path, *, lang: str = DEFAULT_LANG) -> None:
    """Write an Arrow table as CSV with a UTF-8 BOM and headers in `lang`, neutralised, through DuckDB's COPY."""
    con = duckdb.connect()
    try:
        con.register("_table", table)
        _atomic(Path(path), lambda tmp: csvsafe.copy_csv(con, "select * from _table", Path(tmp), lang=lang))
    finally:
        con.close()


def clean_leftovers(root: Path) -> list[Path]:
    """Remove half-written export folders of crashed runs; returns what was removed."""
    removed = []
    for leftover in Path(root).glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    return removed


def _switch_link(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.switching")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target, target_is_directory=True)
    if link.exists() and not link.is_symlink():
        # A folder from the layout before dated snapshots: keep it out of the way, never mixed in.
        link.rename(link.with_name(f"{link.name}.old-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}"))
    os.replace(tmp, link)


def _retain(root: Path, keep: int) -> None:
    """Keep the newest `keep` dated links, then drop every run folder no link points at."""
    days = sorted(p for p in root.iterdir() if p.is_symlink() and _DAY.match(p.name))
    for old in days[:-keep] if keep > 0 else []:
        old.unlink()
    kept = {os.readlink(p) for p in root.iterdir() if p.is_symlink()}
    for folder in (root / RUNS).iterdir():
        if str(Path(RUNS) / folder.name) not in kept:
            shutil.rmtree(folder, ignore_errors=True)


def _sorted_query(con, mart: str) -> str:
    columns = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
        [mart]).fetchall()]
    keys = [c for c in ORDER_KEYS if c in columns] + [str(i) for i in range(1, len(columns) + 1)]
    # `mart` comes from the catalogue (mart_names); the ordering terms from the constants above and positions.
    return f"select * from {mart} order by {', '.join(keys)}"


def _comment(con, mart: str) -> str | None:
    row = con.execute("select comment from duckdb_views() where view_name = ? union all "
                      "select comment from duckdb_tables() where table_name = ?", [mart, mart]).fetchall()
    return row[0][0] if row else None


def _sql_text(text: str) -> str:
    return str(text).replace("'", "''")


def write_partitioned(con, query: str, folder: Path) -> Path:
    """The query's rows as a Hive-partitioned Parquet dataset in `folder` (replaced whole, never half-written)."""
    tmp = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    # DuckDB URL-encodes partition values, so a province read from a page cannot name a path (`../`, `/`).
    con.execute(f"copy ({query}) to '{_sql_text(str(tmp))}' (format parquet, partition_by ({', '.join(PARTITION_BY)}))")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    return folder


def _atomic(path: Path, write) -> None:
    """Write to a temporary sibling and rename, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(str(tmp))
    os.replace(tmp, path)
