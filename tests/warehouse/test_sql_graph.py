"""Each SQL model names what it reads (`-- depends on:`); the build order follows from that, and it is checked."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from fzzf.warehouse import sqlgraph
from fzzf.warehouse.db import MIGRATIONS_DIR
from fzzf.warehouse.marts import reference_tables


def _sources() -> set[str]:
    """Base tables (the migrations create them) and the generated reference tables."""
    created = set()
    for path in MIGRATIONS_DIR.glob("*.sql"):
        created |= set(re.findall(r"create table (?:if not exists )?([a-z_]+)", path.read_text(encoding="utf-8")))
    return created | set(reference_tables())


@pytest.fixture
def sql_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(sqlgraph.SQL_DIR, tmp_path / "sql"))


def _problems(sql_dir: Path) -> list[str]:
    return sqlgraph.check_models(sqlgraph.load_models(sql_dir), _sources())


def test_headers_match_the_sql_and_the_graph_is_sound() -> None:
    assert _problems(sqlgraph.SQL_DIR) == []


def test_build_order_puts_every_dependency_first() -> None:
    order = [m.name for m in sqlgraph.build_order(sqlgraph.load_models())]
    for position, model in enumerate(sqlgraph.build_order(sqlgraph.load_models())):
        assert all(order.index(dep) < position for dep in model.depends_on if dep in order), model.name
    assert order[0] == "report_shingles" and order.index("stg_reports") < order.index("mart_indicator_matrix")


def test_order_follows_the_headers_not_the_file_names(sql_copy: Path) -> None:
    marts = sql_copy / "marts"
    (marts / "010_mart_indicator_matrix.sql").rename(marts / "999_mart_indicator_matrix.sql")
    order = [m.name for m in sqlgraph.build_order(sqlgraph.load_models(sql_copy))]
    assert order.index("mart_indicator_matrix") < order.index("mart_indicator_change")


def test_a_header_that_omits_a_read_fails(sql_copy: Path) -> None:
    path = sql_copy / "marts" / "020_mart_indicator_change.sql"
    path.write_text(path.read_text(encoding="utf-8").replace("-- depends on: mart_indicator_matrix",
                                                              "-- depends on: stg_reports"), encoding="utf-8")
    assert any("020_mart_indicator_change.sql: header says" in p for p in _problems(sql_copy))


def test_a_staging_file_that_writes_a_base_table_fails(sql_copy: Path) -> None:
    path = sql_copy / "staging" / "010_stg_reports.sql"
    path.write_text(path.read_text(encoding="utf-8") + "\ninsert into metrics select * from metrics;\n",
                    encoding="utf-8")
    assert any("writes metrics (a base table" in p for p in _problems(sql_copy))


def test_a_cycle_fails(sql_copy: Path) -> None:
    path = sql_copy / "marts" / "010_mart_indicator_matrix.sql"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("-- depends on: ", "-- depends on: mart_indicator_change, ", 1)
                    + "\nselect * from mart_indicator_change;\n", encoding="utf-8")
    with pytest.raises(sqlgraph.SqlGraphError, match="cycle"):
        sqlgraph.build_order(sqlgraph.load_models(sql_copy))


def test_a_file_without_a_header_is_refused(sql_copy: Path) -> None:
    (sql_copy / "marts" / "090_mart_new.sql").write_text("create or replace table mart_new as select 1 as x;\n")
    with pytest.raises(sqlgraph.SqlGraphError, match="no '-- depends on:' header"):
        sqlgraph.load_models(sql_copy)
