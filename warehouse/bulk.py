"""Bulk inserts from Arrow tables: new keys only, never row by row."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_names = itertools.count()
# Column carrying each row's position in the batch, so `first row wins` holds in SQL.
_ORDER = "_batch_order"


def insert_new(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[dict] | pa.Table, schema: pa.Schema,
    keys: tuple[str, ...], *, dedupe: bool = True, skip_existing: bool = True,
) -> int:
    """Insert the rows whose key is not yet in `table` (first row wins within the batch); returns rows added.

    Both steps run in SQL. `dedupe=False` when the batch's keys are unique by construction, `skip_existing=False`
    when none can be stored yet (a key already stored then fails the insert on the primary key, never duplicates).
    """
    data = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema=schema)
    if not data.num_rows:
        return 0
    if dedupe and len(keys) == 1 and pc.count_distinct(data[keys[0]], mode="all").as_py() == data.num_rows:
        dedupe = False  # one key column, already unique: counting in Arrow is cheaper than SQL's window
    if dedupe:
        data = data.append_column(_ORDER, pa.array(np.arange(data.num_rows)))
    with arrow_view(con, data, schema) as name:
        # Table and column names come from this module's callers (constants), never from data.
        key_list = ", ".join(keys)
        source = (f"(select * exclude ({_ORDER}) from {name} "
                  f"qualify row_number() over (partition by {key_list} order by {_ORDER}) = 1)" if dedupe else name)
        if skip_existing:
            source = f"(select * from {source} anti join {table} using ({key_list}))"
        return con.execute(f"insert into {table} by name select * from {source}").fetchall()[0][0]


def replace_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict] | pa.Table, schema: pa.Schema) -> int:
    """Insert or replace rows by primary key (for small per-run status tables)."""
    if not len(rows):
        return 0
    with arrow_view(con, rows, schema) as name:
        return con.execute(f"insert or replace into {table} by name select * from {name}").fetchall()[0][0]


@contextmanager
def arrow_view(con: duckdb.DuckDBPyConnection, rows: list[dict] | pa.Table, schema: pa.Schema) -> Iterator[str]:
    """The rows (dicts, or an Arrow table as is) registered for the block; yields the name to select from."""
    name = f"_batch_{next(_names)}"
    con.register(name, rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema=schema))
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
