"""CSV as Excel must see it, once for Python and for DuckDB SQL: no formulas, one number format, a BOM.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel as a formula
(`=HYPERLINK(...)`, `@SUM(...)`, DDE). OWASP's rule: prefix such a cell with a single quote, so it shows as
text. Numbers, dates and booleans are never touched (a negative number stays a number); only text is.
Every CSV that fzzf writes goes through `neutralise` (Python writers) or `SQL_MACRO` (DuckDB COPY).

Numbers: a whole value prints without `.0` (`205`, not `205.0`), any other as its shortest round-trip form
(`91.5`), the same on screen, in `fzzf compare` files and in the nightly exports (`number`, `SQL_NUMBER`).
Every CSV starts with a UTF-8 BOM (Excel reads UTF-8 only with it) and its header row comes from
`fzzf.warehouse.headers` (Chinese by default).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from fzzf.warehouse.headers import DEFAULT_LANG, header

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
# Beyond 10^15 a double no longer holds every whole number; such values keep their exponent form.
WHOLE_LIMIT = 10**15
_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


NUMBER_MACRO = "fzzf_csv_number"
# The same rule as `number`: DuckDB prints a double as its shortest round-trip form, as Python's repr does.
SQL_NUMBER = (f"create or replace temp macro {NUMBER_MACRO}(v) as "
              f"case when isfinite(v) and v = trunc(v) and abs(v) < {WHOLE_LIMIT} "
              f"then cast(cast(v as bigint) as varchar) else cast(v as varchar) end")


def neutralise(value: Any) -> Any:
    """The cell as Excel must see it: text starting with a formula character gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return QUOTE + value
    return value


def number(value: Any) -> Any:
    """A float as it is printed everywhere: 845.0 -> 845, 91.5 stays 91.5; anything else unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < WHOLE_LIMIT:
        return int(value)
    return value


def cell(value: Any) -> Any:
    """One CSV cell: None empty, floats by `number`, text neutralised."""
    return "" if value is None else neutralise(number(value))


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


def csv_text(columns: Sequence[str], rows: Iterable[Iterable[Any]], *, lang: str = DEFAULT_LANG) -> str:
    """A whole CSV as text: BOM, the header in `lang`, then every row's cells by `cell`."""
    buffer = io.StringIO()
    buffer.write(BOM)
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow([neutralise(h) for h in header(columns, lang)])
    out.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Define `fzzf_csv_safe(text)` and `fzzf_csv_number(double)` on this connection."""
    con.execute(SQL_MACRO)
    con.execute(SQL_NUMBER)


def safe_select(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """`query` wrapped so text and list columns come out neutralised (lists joined with `;`)."""
    install(con)
    relation = con.sql(query)
    terms = [_safe_term(name, str(kind)) for name, kind in zip(relation.columns, relation.types)]
    return f"select {', '.join(terms)} from ({query}) as _q"


def copy_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path, *, lang: str = DEFAULT_LANG) -> None:
    """Write `query` to `path` as CSV at DuckDB's speed: BOM and header in `lang` first, cells as `cell` has them."""
    columns = con.sql(query).columns
    prefix = BOM + _header_line(header(columns, lang))
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
    if kind in _FLOAT_TYPES:
        return f"{NUMBER_MACRO}({column}) as {column}"
    return column


def _header_line(columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer(buffer, lineterminator="\n").writerow(columns)
    return buffer.getvalue()


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
