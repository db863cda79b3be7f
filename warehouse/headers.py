"""CSV column headers: the Chinese name of each column (the default) or its English key (`--lang en`).

Analysts in China open the CSVs in Excel or WPS and read Chinese, so a CSV's one header row is Chinese by
default; a second header row would break Excel's filters, sorting and pivot tables. The Chinese names are the
Chinese half of each column's documentation in `sql/seeds/column_docs.csv` (`中文 / English`), the one place a
column is named, so `COMMENT ON`, `fzzf schema`, the data dictionary and the headers never disagree. Parquet
and SQL keep the English keys, which programs use.
"""
from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import cache

from fzzf.warehouse.sqlgraph import SQL_DIR

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
COLUMN_DOCS = SQL_DIR / "seeds" / "column_docs.csv"
_SEPARATOR = " / "


@cache
def chinese_names() -> dict[str, str]:
    """English key -> Chinese header for every documented column."""
    with COLUMN_DOCS.open(encoding="utf-8", newline="") as handle:
        return {row["column"]: row["comment"].split(_SEPARATOR, 1)[0] for row in csv.DictReader(handle)}


def header(columns: Sequence[str], lang: str = DEFAULT_LANG) -> list[str]:
    """The header row for `columns` in `lang`; a name that is not a documented key (a year, a district) stays."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    if lang == "en":
        return list(columns)
    names = chinese_names()
    return [names.get(column, column) for column in columns]
