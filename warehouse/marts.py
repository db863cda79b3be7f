"""Build the comparison marts (`sql/staging`, then `sql/marts`) and run the data tests (`sql/tests`)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from fzzf.parsers.records import PARTS
from fzzf.scrapers.records import FETCH_ERRORS, SITE_STATUSES
from fzzf.sites.registry import LEVELS

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
SEEDS_DIR = SQL_DIR / "seeds"
STAGES = ("staging", "marts")
SAMPLE_ROWS = 5


@dataclass
class DataTestFailure:
    """A data test that returned rows: its name, how many rows failed and the first few of them."""

    name: str
    rows_n: int
    columns: list[str]
    sample: list[tuple] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.name}: {self.rows_n} failing row(s), e.g. {self.sample[:1]}"


def build_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Load the reference tables, then run every staging and mart SQL file in name order; returns files run."""
    load_reference_tables(con)
    ran = []
    for stage in STAGES:
        for path in sorted((SQL_DIR / stage).glob("*.sql")):
            con.execute(path.read_text(encoding="utf-8"))
            ran.append(f"{stage}/{path.name}")
    _document_columns(con)
    return ran


def mart_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the comparison marts present (views or tables called `mart_*`), sorted."""
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'main' and table_name like 'mart\\_%' escape '\\' order by table_name"
    ).fetchall()
    return [r[0] for r in rows]


def run_data_tests(con: duckdb.DuckDBPyConnection) -> list[DataTestFailure]:
    """Run every `sql/tests/*.sql` (each selects the rows that break a rule); returns the tests that failed."""
    failures = []
    for path in sorted((SQL_DIR / "tests").glob("*.sql")):
        rel = con.sql(path.read_text(encoding="utf-8"))
        rows = rel.fetchall()
        if rows:
            failures.append(DataTestFailure(path.stem, len(rows), list(rel.columns), rows[:SAMPLE_ROWS]))
    return failures


def load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the `ref_*` tables from the code's constants and the CSV seeds in `sql/seeds`."""
    _replace(con, "ref_parts", {"part": list(PARTS)},
             "法定内容键 / Canonical part keys of the required contents (parsers.records.PARTS)")
    _replace(con, "ref_site_statuses", {"status": list(SITE_STATUSES)},
             "站点结果类型 / Typed site outcomes (scrapers.records.SITE_STATUSES)")
    _replace(con, "ref_fetch_errors", {"error": list(FETCH_ERRORS)},
             "抓取错误类型 / Typed fetch errors (scrapers.records.FETCH_ERRORS)")
    _replace(con, "ref_levels", {"level": list(LEVELS)},
             "政府层级 / Government levels (sites.registry.LEVELS)")
    for name, comment in (
        ("indicators", "标准指标 / Canonical indicators (DESIGN.md keys) with names and base unit"),
        ("units", "可接受的单位 / Accepted figure units and their kind"),
        ("kinds", "文件类型 / Document kinds the title classifier assigns (scrapers.classify)"),
        ("problem_themes", "问题主题关键词 / Keywords that assign shortcomings items to themes"),
    ):
        _replace(con, f"ref_{name}", _read_seed(SEEDS_DIR / f"{name}.csv"), comment)


def _document_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Comment every column of the stg_/mart_/ref_ relations from `sql/seeds/column_docs.csv`."""
    docs = dict(zip(*_read_seed(SEEDS_DIR / "column_docs.csv").values()))
    columns = con.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = 'main' "
        "and (table_name like 'stg\\_%' escape '\\' or table_name like 'mart\\_%' escape '\\' "
        "or table_name like 'ref\\_%' escape '\\')"
    ).fetchall()
    for table, column in columns:
        if column in docs:
            # Names come from the catalogue and text from the seed file; COMMENT ON takes no parameters.
            con.execute(f'comment on column "{table}"."{column}" is \'{_quote(docs[column])}\'')


def _replace(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list], comment: str) -> None:
    arrow = pa.table({k: pa.array(v, type=pa.string()) for k, v in columns.items()})
    con.register("_ref", arrow)
    try:
        # Table names and comments are the constants above, never user input (COMMENT ON takes no parameters).
        con.execute(f"create or replace table {table} as select * from _ref")
        con.execute(f"comment on table {table} is '{_quote(comment)}'")
    finally:
        con.unregister("_ref")


def _quote(text: str) -> str:
    return text.replace("'", "''")


def _read_seed(path: Path) -> dict[str, list]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {key: [row[key] for row in rows] for key in rows[0]}
