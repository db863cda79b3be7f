"""Every SQL example of the data dictionary and the README runs on a warehouse, through pandas (the analyst extra),
and every analyst command of the README runs as written (its CSVs checked for a BOM and their header language)."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
_SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)


def sql_examples(path: Path) -> list[str]:
    """Each statement of each ```sql block, comments kept."""
    blocks = _SQL_BLOCK.findall(path.read_text(encoding="utf-8"))
    return [s.strip() for block in blocks for s in block.split(";") if re.search(r"^\s*(select|with)\b", s, re.M)]


DOCS = [REPO / "docs" / "data_dictionary.md", REPO / "README.md"]
EXAMPLES = [(doc.name, i, sql) for doc in DOCS for i, sql in enumerate(sql_examples(doc))]


def test_the_docs_have_examples():
    assert len([e for e in EXAMPLES if e[0] == "data_dictionary.md"]) >= 7


@pytest.mark.parametrize("doc,number,sql", EXAMPLES, ids=[f"{d}-{n}" for d, n, _ in EXAMPLES])
def test_example_runs_through_pandas(doc, number, sql, known_db):
    # The usual idiom, exactly: duckdb.connect(...).sql(...).df() needs pandas, which the analyst extra brings.
    con = duckdb.connect(str(known_db), read_only=True)
    try:
        frame = con.sql(sql).df()
    finally:
        con.close()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame.columns) > 0


# The README's analyst commands (```sh lines `.venv/bin/fzzf <command> …`), run as written against a warehouse.
ANALYST_COMMANDS = ("indicators", "districts", "compare", "chart", "schema")
_SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def cli_examples(path: Path) -> list[str]:
    """Each `.venv/bin/fzzf` line of each ```sh block that runs an analyst command, its comment dropped."""
    lines = [line.split("  #")[0].strip() for block in _SH_BLOCK.findall(path.read_text(encoding="utf-8"))
             for line in block.splitlines()]
    return [line for line in lines if line.startswith(".venv/bin/fzzf ") and line.split()[1] in ANALYST_COMMANDS]


COMMANDS = [(doc.name, line) for doc in DOCS for line in cli_examples(doc)]


def test_the_readme_has_analyst_commands():
    assert {line.split()[1] for _, line in COMMANDS} == set(ANALYST_COMMANDS)
    assert any(">" in line for _, line in COMMANDS) and any("--lang en" in line for _, line in COMMANDS)


@pytest.mark.parametrize("doc,line", COMMANDS, ids=[f"{d}-{n}" for n, (d, _) in enumerate(COMMANDS)])
def test_command_runs_as_written(doc, line, known_db, tmp_path, capsys, monkeypatch):
    import shlex

    from fzzf.cli import main

    monkeypatch.chdir(tmp_path)  # files the example writes land here
    argv, _, redirect = line.removeprefix(".venv/bin/fzzf ").partition(" > ")
    assert main([*shlex.split(argv), "--db", str(known_db)]) == 0
    out = capsys.readouterr().out
    if redirect:
        (tmp_path / redirect.strip()).write_text(out, encoding="utf-8")
    written = [p for p in tmp_path.iterdir() if p.suffix == ".csv"]
    for path in written:
        # Every CSV a README command writes opens in Excel: a BOM, then a header row.
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") >= 1, path.name
    if "--lang en" in line:
        assert written and written[0].read_bytes()[3:].startswith(b"indicator,")
    elif written:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in written[0].read_text(encoding="utf-8-sig").splitlines()[0])
