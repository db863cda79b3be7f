"""Each vocabulary is defined once; every other use (ref tables, comments, tests, classifier) is checked here."""
from __future__ import annotations

import csv
import re
import tomllib
from enum import StrEnum
from pathlib import Path

import duckdb
import pytest

from fzzf.parsers import figures
from fzzf.parsers.indicators import INDICATORS_FILE, load_indicators
from fzzf.parsers.records import PARTS, REQUIRED_PARTS, SCOPES
from fzzf.parsers.sections import PARTS_FILE
from fzzf.scrapers.classify import LOOKALIKES, classify_title
from fzzf.scrapers.records import FETCH_ERRORS, SITE_STATUSES
from fzzf.sites.registry import LEVELS
from fzzf.vocab import (DOC_KIND_DESCRIPTIONS, AuditStatus, DocKind, FetchError, Level, Part, Scope, SiteStatus,
                        UnitKind, values)
from fzzf.warehouse import db, marts

ROOT = Path(__file__).resolve().parents[2]
# Columns whose comment lists a closed vocabulary after a colon (or in parentheses): the enum it must equal.
LISTED = {
    ("sites", "level"): Level,
    ("run_sites", "status"): SiteStatus,
    ("fetches", "error"): FetchError,
    ("report_parts", "part"): Part,
    ("reports", "parts"): Part,
    ("metrics", "scope"): Scope,
}
SEED_LISTED = {"level": Level, "unit_kind": UnitKind, "figure_scope": Scope, "audit_status": AuditStatus}
_LIST_RE = re.compile(r"(?::\s*|\()([a-z_]+(?:(?:,\s*|\|)[a-z_]+)+)\)?$")


def _listed(comment: str) -> list[str]:
    match = _LIST_RE.search(comment)
    assert match, f"no value list in {comment!r}"
    return re.split(r",\s*|\|", match.group(1))


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    connection = db.connect_work(tmp_path_factory.mktemp("vocab") / "fzzf.duckdb")
    marts.load_reference_tables(connection)
    yield connection
    connection.close()


def test_module_constants_are_the_enums() -> None:
    assert SITE_STATUSES == values(SiteStatus)
    assert FETCH_ERRORS == values(FetchError)
    assert PARTS == values(Part)
    assert set(REQUIRED_PARTS) == set(values(Part)) - {Part.OTHER}
    assert LEVELS == values(Level)
    assert SCOPES == values(Scope)


@pytest.mark.parametrize(("table", "column"), sorted(LISTED))
def test_column_comments_list_the_enum(con: duckdb.DuckDBPyConnection, table: str, column: str) -> None:
    comment = con.execute("select comment from duckdb_columns() where table_name = ? and column_name = ?",
                          [table, column]).fetchone()[0]
    assert _listed(comment) == list(values(LISTED[table, column]))


@pytest.mark.parametrize("column", sorted(SEED_LISTED))
def test_seed_column_docs_list_the_enum(column: str) -> None:
    with (ROOT / "sql" / "seeds" / "column_docs.csv").open(encoding="utf-8", newline="") as handle:
        docs = {row["column"]: row["comment"] for row in csv.DictReader(handle)}
    assert sorted(_listed(docs[column])) == sorted(values(SEED_LISTED[column]))


def test_reference_tables_are_generated_from_the_sources(con: duckdb.DuckDBPyConnection) -> None:
    def column(sql: str) -> list:
        return [row[0] for row in con.execute(sql).fetchall()]

    assert column("select status from ref_site_statuses") == list(values(SiteStatus))
    assert column("select error from ref_fetch_errors") == list(values(FetchError))
    assert column("select part from ref_parts") == list(values(Part))
    assert column("select level from ref_levels") == list(values(Level))
    assert column("select kind from ref_kinds") == list(values(DocKind))
    assert column("select audit_status from ref_audit_statuses") == list(values(AuditStatus))
    assert column("select kind from ref_kinds where is_report") == [DocKind.ANNUAL_REPORT]
    assert column("select indicator from ref_indicators") == [i.key for i in load_indicators()]
    assert set(column("select unit from ref_units")) == set(figures.UNITS)
    assert set(column("select unit_kind from ref_units")) <= set(values(UnitKind))
    assert column("select figure_scope from ref_scopes") == list(values(Scope))


def test_audit_marts_write_and_count_the_audit_statuses() -> None:
    marts_dir = ROOT / "sql" / "marts"
    written = re.findall(r"(?:then|else) '([a-z_]+)'", (marts_dir / "090_mart_publication_audit.sql").read_text("utf-8"))
    counted = re.findall(r"audit_status = '([a-z_]+)'",
                         (marts_dir / "095_mart_publication_audit_summary.sql").read_text("utf-8"))
    assert sorted(written) == sorted(values(AuditStatus))
    assert set(counted) == set(values(AuditStatus))


def test_no_vocabulary_seed_duplicates_a_source() -> None:
    seeds = {path.stem for path in (ROOT / "sql" / "seeds").glob("*.csv")}
    assert seeds == {"column_docs", "problem_themes"}


def test_indicator_table_is_complete() -> None:
    rows = tomllib.loads(INDICATORS_FILE.read_text(encoding="utf-8"))["indicator"]
    keys = [row["key"] for row in rows]
    assert len(keys) == len(set(keys))
    for row in rows:
        assert row["name_en"] and row["unit"] in row["units"], row["key"]
        assert set(row["units"]) <= set(figures.UNITS), row["key"]
        for key in row.get("rate_of", []):
            assert key in keys, (row["key"], key)


def test_parts_file_names_exactly_the_parts() -> None:
    parts = tomllib.loads(PARTS_FILE.read_text(encoding="utf-8"))["parts"]
    assert set(parts) == set(values(Part))


def test_classifier_kinds_are_doc_kinds() -> None:
    assert {kind for kind, _, _ in LOOKALIKES} | {classify_title("某区2023年法治政府建设年度报告").kind} == set(DocKind)
    assert set(DOC_KIND_DESCRIPTIONS) == set(DocKind)


@pytest.mark.parametrize("enum", [SiteStatus, FetchError, DocKind, Part, Level, UnitKind, Scope])
def test_enum_values_are_snake_case_keys(enum: type[StrEnum]) -> None:
    assert all(re.fullmatch(r"[a-z][a-z_]*", value) for value in values(enum))


def test_fetch_errors_are_only_enum_values() -> None:
    # Error strings may appear only as enum members: no module invents one (as http_404 once was).
    invented = []
    pattern = re.compile(r"""error\s*(?:=|==|!=)\s*["']([a-z_0-9]+)["']|["'](http_\d{3})["']"""
                         r"""|_failed\(\s*\w+,\s*\w+,\s*\w+,\s*["']([a-z_]+)["']|\bkind = ["']([a-z_]+)["'] if""")
    for folder in ("scrapers", "flows", "warehouse", "fzzf"):
        for path in (ROOT / folder).rglob("*.py"):
            for match in pattern.finditer(path.read_text(encoding="utf-8")):
                value = next(group for group in match.groups() if group)
                if value not in values(FetchError):
                    invented.append(f"{path.relative_to(ROOT)}: {value}")
    assert invented == []


def test_default_paths_and_run_id_format_are_written_once() -> None:
    written = []
    for folder in ("fzzf", "flows", "scrapers", "parsers", "warehouse", "sites", "sql", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            written += [f"{path.relative_to(ROOT)}: db" for _ in re.finditer(r"[\"']warehouse/fzzf\.duckdb[\"']", text)]
            written += [f"{path.relative_to(ROOT)}: run id" for _ in re.finditer(r"%Y%m%dT%H%M%SZ", text)]
    assert sorted(written) == ["flows/run_id.py: run id", "warehouse/db.py: db"]


def test_run_ids_have_the_one_format() -> None:
    from fzzf.flows.run_id import RUN_ID_RE, new_run_id

    assert RUN_ID_RE.match(new_run_id()) and RUN_ID_RE.match(new_run_id("reparse"))
    assert new_run_id("reparse").startswith("reparse-")
