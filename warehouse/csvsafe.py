"""CSV cells a spreadsheet will not run: OWASP's formula-injection rule, once, for Python and for DuckDB SQL.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel as a formula
(`=HYPERLINK(...)`, `@SUM(...)`, DDE). OWASP's rule: prefix such a cell with a single quote, so it shows as
text. Numbers, dates and booleans are never touched (a negative number stays a number); only text is.
Every CSV that fzzf writes goes through `neutralise` (Python writers) or `SQL_MACRO` (DuckDB COPY).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
BOM = "\ufeff"
MACRO = "fzzf_csv_safe"
# The same rule as `neutralise`, for queries: `fzzf_csv_safe(text)`. A temp macro works on read-only files too.
# `ascii` reads the first code point: 5x cheaper than a regular expression per cell (bench.export_bench).
SQL_MACRO = (f"create or replace temp macro {MACRO}(v) as "
             f"case when ascii(v) in ({', '.join(str(ord(c)) for c in FORMULA_PREFIXES)}) "
             f"then '{QUOTE}{QUOTE}' || v else v end")
# Lists are written as `a;b`, the form analysts split in Excel.
LIST_SEPARATOR = ";"


def neutralise(value: Any) -> Any:
    """The cell as Excel must see it: text starting with a formula character gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return QUOTE + value
    return value


class SafeWriter:
    """`csv.writer` whose every text cell is neutralised."""

    def __init__(self, handle, **fmtparams: Any) -> None:
        self._writer = csv.writer(handle, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row."""
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows."""
        for row in rows:
            self.writerow(row)


def writer(handle, **fmtparams: Any) -> SafeWriter:
    """A neutralising CSV writer over an open text handle."""
    return SafeWriter(handle, **fmtparams)


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Define `fzzf_csv_safe(text)` on this connection."""
    con.execute(SQL_MACRO)


def safe_select(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """`query` wrapped so text and list columns come out neutralised (lists joined with `;`)."""
    install(con)
    relation = con.sql(query)
    terms = [_safe_term(name, str(kind)) for name, kind in zip(relation.columns, relation.types)]
    return f"select {', '.join(terms)} from ({query}) as _q"


def copy_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path, *, bom: bool = True) -> None:
    """Write `query` to `path` as CSV at DuckDB's speed: BOM and header first, every text cell neutralised."""
    columns = con.sql(query).columns
    header = _header_line(columns)
    prefix = (BOM if bom else "") + header
    # COPY takes no parameters for its options; the prefix is our own header text, quotes doubled.
    # COPY puts PREFIX before the first row and SUFFIX after the last one, rows joined by newlines.
    rows = con.execute(f"copy ({safe_select(con, query)}) to '{_sql_text(str(path))}' "
                       f"(format csv, header false, prefix '{_sql_text(prefix)}', suffix '\n')").fetchall()[0][0]
    if not rows:
        Path(path).write_text(prefix, encoding="utf-8")


def _safe_term(name: str, kind: str) -> str:
    column = '"' + name.replace('"', '""') + '"'
    if kind.endswith("[]"):
        return f"{MACRO}(array_to_string({column}, '{LIST_SEPARATOR}')) as {column}"
    if kind == "VARCHAR":
        return f"{MACRO}({column}) as {column}"
    return column


def _header_line(columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer(buffer, lineterminator="\n").writerow(columns)
    return buffer.getvalue()


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
