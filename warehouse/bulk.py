"""Bulk inserts from Arrow tables: new keys only, never row by row."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

_names = itertools.count()


def insert_new(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], schema: pa.Schema, keys: tuple[str, ...]
) -> int:
    """Insert the rows whose key is not yet in `table` (first row wins within the batch); returns rows added."""
    if not rows:
        return 0
    with arrow_view(con, _dedupe(rows, keys), schema) as name:
        # Table and column names come from this module's callers (constants), never from data.
        key_list = ", ".join(keys)
        sql = f"insert into {table} by name select * from {name} anti join {table} using ({key_list})"
        return con.execute(sql).fetchall()[0][0]


def replace_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], schema: pa.Schema) -> int:
    """Insert or replace rows by primary key (for small per-run status tables)."""
    if not rows:
        return 0
    with arrow_view(con, rows, schema) as name:
        return con.execute(f"insert or replace into {table} by name select * from {name}").fetchall()[0][0]


@contextmanager
def arrow_view(con: duckdb.DuckDBPyConnection, rows: list[dict], schema: pa.Schema) -> Iterator[str]:
    """The rows as an Arrow table registered for the block; yields the name to select from."""
    name = f"_batch_{next(_names)}"
    con.register(name, pa.Table.from_pylist(rows, schema=schema))
    try:
        yield name
    finally:
        try:
            con.unregister(name)
        except duckdb.TransactionException:
            # A failed statement aborted the transaction: its rollback drops the view, and raising here
            # would hide the statement's own error.
            pass


def utc(moment: datetime | None) -> datetime | None:
    """Timestamps without a zone are taken as UTC (the scrapers record UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


def _dedupe(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for row in rows:
        seen.setdefault(tuple(row[k] for k in keys), row)
    return list(seen.values())
