"""Build the comparison marts (`sql/base`, `sql/staging`, `sql/marts` in dependency order) and run the data
tests (`sql/tests`)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import duckdb
import pyarrow as pa

from fzzf.parsers import figures
from fzzf.parsers.indicators import load_indicators
from fzzf.warehouse.sqlgraph import SQL_DIR, build_order, load_models
from fzzf.vocab import (DOC_KIND_DESCRIPTIONS, AuditStatus, DocKind, FetchError, Level, Part, Scope, SiteStatus,
                        UnitKind, values)

SEEDS_DIR = SQL_DIR / "seeds"
# Base-table columns holding a closed vocabulary: their comment lists the enum's values (restated every build,
# so a new member reaches the comment without a migration).
VOCABULARY_COLUMNS: dict[tuple[str, str], tuple[str, type[StrEnum]]] = {
    ("sites", "level"): ("层级 / Level", Level),
    ("run_sites", "status"): ("站点结果 / Site outcome", SiteStatus),
    ("fetches", "error"): ("错误类型 / Typed error", FetchError),
    ("report_parts", "part"): ("内容键 / Part key", Part),
    ("metrics", "scope"): ("时间范围 / Scope, null for the year reported on", Scope),
}
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
    """Load the reference tables, then run every SQL model in the order its `-- depends on:` headers give;
    returns the files run."""
    load_reference_tables(con)
    ran = []
    for model in build_order(load_models()):
        con.execute(model.path.read_text(encoding="utf-8"))
        ran.append(f"{model.stage}/{model.path.name}")
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


def reference_tables() -> dict[str, tuple[dict[str, list], str]]:
    """Every `ref_*` table as (columns, comment), generated from the one source of each vocabulary."""
    indicators = load_indicators()
    units = unit_kinds()
    return {
        "ref_parts": ({"part": list(values(Part))},
                      "法定内容键 / Canonical part keys of the required contents (fzzf.vocab.Part)"),
        "ref_site_statuses": ({"status": list(values(SiteStatus))},
                              "站点结果类型 / Typed site outcomes (fzzf.vocab.SiteStatus)"),
        "ref_fetch_errors": ({"error": list(values(FetchError))},
                             "抓取错误类型 / Typed fetch errors (fzzf.vocab.FetchError)"),
        "ref_levels": ({"level": list(values(Level))}, "政府层级 / Government levels (fzzf.vocab.Level)"),
        "ref_audit_statuses": ({"audit_status": list(values(AuditStatus))},
                               "公开审计结论 / Publication audit outcomes (fzzf.vocab.AuditStatus)"),
        "ref_kinds": ({"kind": list(values(DocKind)), "is_report": [k is DocKind.ANNUAL_REPORT for k in DocKind],
                       "description": [DOC_KIND_DESCRIPTIONS[k] for k in DocKind]},
                      "文件类型 / Document kinds the title classifier assigns (fzzf.vocab.DocKind)"),
        "ref_indicators": ({"indicator": [i.key for i in indicators], "name_zh": [i.name for i in indicators],
                            "name_en": [i.name_en for i in indicators], "unit": [i.unit for i in indicators]},
                           "标准指标 / Canonical indicators (parsers/indicators.toml) with names and base unit"),
        "ref_units": ({"unit": list(units), "unit_kind": [str(k) for k in units.values()]},
                      "可接受的单位 / Figure units the parser recognises (parsers/units.toml) and their kind"),
        "ref_scopes": ({"figure_scope": list(values(Scope))},
                       "数字时间范围 / Scopes a figure may carry besides the year reported on (fzzf.vocab.Scope)"),
        "ref_problem_themes": (_read_seed(SEEDS_DIR / "problem_themes.csv"),
                               "问题主题关键词 / Keywords that assign shortcomings items to themes"),
    }


def unit_kinds() -> dict[str, UnitKind]:
    """Every unit the figure parser stores, with what it measures (parsers/units.toml; 个百分点 is stored 百分点)."""
    return {unit: UnitKind(kind) for kind, units in figures.UNIT_KINDS.items() for unit in units}


def load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the `ref_*` tables from the vocabularies (fzzf.vocab, indicators.toml, figures, seeds)."""
    for table, (columns, comment) in reference_tables().items():
        _replace(con, table, columns, comment)
    for (table, column), (label, enum) in VOCABULARY_COLUMNS.items():
        # Names and labels are the constants above; COMMENT ON takes no parameters.
        text = _quote(f"{label}: {', '.join(values(enum))}")
        con.execute(f'comment on column "{table}"."{column}" is \'{text}\'')


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
    arrow = pa.table({k: pa.array(v) for k, v in columns.items()})
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
