"""The warehouse's own description: its tables and views with their comments, and their columns."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

_RELATIONS_SQL = """
with relations as (
    select table_name as name, 'table' as type, comment from duckdb_tables()
    where schema_name = 'main' and database_name = current_database()
    union all
    select view_name, 'view', comment from duckdb_views()
    where not internal and schema_name = 'main' and database_name = current_database()
),
final as (
    select * from relations where $table is null or name = $table order by type, name
)
select * from final
"""
_COLUMNS_SQL = """
select column_name, data_type, comment from duckdb_columns()
where table_name = ? and database_name = current_database() order by column_index
"""


@dataclass(frozen=True)
class Column:
    """One column: name, DuckDB type (lower case) and its bilingual comment."""

    name: str
    data_type: str
    comment: str


@dataclass(frozen=True)
class Relation:
    """One table or view with its comment (grain) and columns."""

    name: str
    kind: str
    comment: str
    columns: list[Column]


def relations(con: duckdb.DuckDBPyConnection, table: str | None = None) -> list[Relation]:
    """Every table and view of the main schema (or only `table`), tables first, by name."""
    found = con.execute(_RELATIONS_SQL, {"table": table}).fetchall()
    return [Relation(name, kind, comment or "",
                     [Column(c, t.lower(), note or "") for c, t, note in con.execute(_COLUMNS_SQL, [name]).fetchall()])
            for name, kind, comment in found]


class NotAWarehouse(ValueError):
    """The path given as the warehouse is missing, not a DuckDB file, or a DuckDB file without fzzf's tables."""


# Tables every fzzf warehouse has from its first migration on.
REQUIRED_TABLES = ("runs", "reports", "metrics")


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a published warehouse read-only, or raise NotAWarehouse with a one-line reason."""
    path = Path(path)
    if not path.exists():
        raise NotAWarehouse(f"no warehouse at {path}: run `fzzf run` or `fzzf demo` first")
    if path.is_dir():
        raise NotAWarehouse(f"{path} is a folder, not a DuckDB file")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        raise NotAWarehouse(f"{path} is not a DuckDB file") from None
    present = {row[0] for row in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database()").fetchall()}
    missing = [name for name in REQUIRED_TABLES if name not in present]
    if missing:
        con.close()
        raise NotAWarehouse(f"{path} is a DuckDB file but not an fzzf warehouse (no table {missing[0]!r})")
    return con

