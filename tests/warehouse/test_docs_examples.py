"""Every SQL example of the data dictionary and the README runs on a warehouse, through pandas (the analyst extra)."""
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
