"""Analyst queries over the published marts: validated inputs, bound parameters, pivoted results."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import duckdb

BY_CHOICES = ("district", "year")
_COMPARE_SQL = """
with picked as (
    select district_id, district, province, year, value, unit, approx,
           case when quality is not null then quality || ': ' || coalesce(quality_detail, '') end as quality
    from mart_indicator_matrix
    where indicator = $indicator
        and ($province is null or province = $province)
        and ($districts is null or list_contains($districts, district_id))
        and ($year_from is null or year >= $year_from)
        and ($year_to is null or year <= $year_to)
),
final as (
    select * from picked order by province, district, year
)
select * from final
"""


class QueryError(ValueError):
    """Bad analyst input (unknown indicator, district or province), with suggestions in the message."""


@dataclass
class Comparison:
    """A pivoted comparison: a header and rows, ready for CSV, Markdown or Parquet."""

    indicator: str
    indicator_name: str
    unit: str
    header: list[str]
    rows: list[list]
    # (row index, column index) -> the consistency checks touching that value ("rate_mismatch: ...").
    quality: dict[tuple[int, int], str] = field(default_factory=dict)

    def with_quality(self) -> tuple[list[str], list[list]]:
        """Header and rows plus a `quality` column naming each row's flagged values, when any value is flagged."""
        if not self.quality:
            return self.header, self.rows
        notes: dict[int, list[str]] = {}
        for (r, c), text in sorted(self.quality.items()):
            notes.setdefault(r, []).append(f"{self.header[c]}: {text}")
        return [*self.header, "quality"], [[*row, " | ".join(notes.get(i, [])) or None]
                                           for i, row in enumerate(self.rows)]


def list_indicators(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(indicator, name_zh, unit, districts_n, values_n, first_year, last_year) for every canonical indicator."""
    return con.execute(
        """
        with counts as (
            select indicator, count(distinct district_id) as districts_n, count(*) as values_n,
                   min(year) as first_year, max(year) as last_year
            from mart_indicator_matrix
            group by indicator
        ),
        final as (
            select i.indicator, i.name_zh, i.unit, coalesce(c.districts_n, 0) as districts_n,
                   coalesce(c.values_n, 0) as values_n, c.first_year, c.last_year
            from ref_indicators as i
            left join counts as c using (indicator)
            order by values_n desc, i.indicator
        )
        select * from final
        """
    ).fetchall()


def list_districts(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(district_id, district, province, city, level, reports_n, first_year, last_year, values_n) per district."""
    return con.execute(
        """
        with reports as (
            select district_id, any_value(district) as district, any_value(province) as province,
                   any_value(city) as city, any_value(level) as level, count(*) as reports_n,
                   min(year) as first_year, max(year) as last_year
            from stg_reports
            where is_chosen
            group by district_id
        ),
        figures as (
            select district_id, count(*) as values_n from mart_indicator_matrix group by district_id
        ),
        final as (
            select r.*, coalesce(f.values_n, 0) as values_n
            from reports as r
            left join figures as f using (district_id)
            order by r.province, r.city, r.district
        )
        select * from final
        """
    ).fetchall()


def resolve_indicator(con: duckdb.DuckDBPyConnection, text: str) -> tuple[str, str, str]:
    """The (key, name_zh, unit) an indicator key or Chinese name refers to; QueryError with suggestions if none."""
    rows = con.execute("select indicator, name_zh, unit from ref_indicators").fetchall()
    for key, name, unit in rows:
        if text in (key, name):
            return key, name, unit
    choices = [r[0] for r in rows] + [r[1] for r in rows]
    raise QueryError(_unknown("indicator", text, choices, "fzzf indicators"))


def resolve_districts(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[str]:
    """District ids for names or ids as analysts type them; QueryError naming each unknown one with suggestions."""
    rows = con.execute("select distinct district_id, district from stg_reports where is_chosen").fetchall()
    by_text: dict[str, set[str]] = {}
    for district_id, district in rows:
        by_text.setdefault(district_id, set()).add(district_id)
        by_text.setdefault(district, set()).add(district_id)
    ids, errors = [], []
    for name in names:
        if name in by_text:
            ids.extend(sorted(by_text[name]))
        else:
            errors.append(_unknown("district", name, list(by_text), "fzzf districts"))
    if errors:
        raise QueryError("\n".join(errors))
    return list(dict.fromkeys(ids))


def check_province(con: duckdb.DuckDBPyConnection, province: str) -> None:
    """QueryError with suggestions when no chosen report comes from `province`."""
    known = [r[0] for r in con.execute("select distinct province from stg_reports where is_chosen").fetchall()]
    if province not in known:
        raise QueryError(_unknown("province", province, known, "fzzf districts"))


def compare(con: duckdb.DuckDBPyConnection, indicator: str, *, districts: list[str] | None = None,
            province: str | None = None, years: tuple[int, int] | None = None, by: str = "district") -> Comparison:
    """One indicator across districts and years, pivoted with districts (or years) as rows."""
    if by not in BY_CHOICES:
        raise QueryError(f"--by must be one of {', '.join(BY_CHOICES)}, got {by!r}")
    key, name, unit = resolve_indicator(con, indicator)
    ids = resolve_districts(con, districts) if districts else None
    if province is not None:
        check_province(con, province)
    params = {"indicator": key, "province": province, "districts": ids,
              "year_from": years[0] if years else None, "year_to": years[1] if years else None}
    rows = con.execute(_COMPARE_SQL, params).fetchall()
    return _pivot(key, name, unit, rows, by)


def _pivot(key: str, name: str, unit: str, rows: list[tuple], by: str) -> Comparison:
    """Rows (district_id, district, province, year, value, unit, approx, quality) → a matrix."""
    years = sorted({r[3] for r in rows})
    districts = list(dict.fromkeys((r[0], r[1], r[2]) for r in rows))
    cell = {(r[0], r[3]): r[4] for r in rows}
    flagged = {(r[0], r[3]): r[7] for r in rows if r[7]}
    if by == "district":
        header = ["district_id", "district", "province", *[str(y) for y in years]]
        body = [[d_id, d, p, *[cell.get((d_id, y)) for y in years]] for d_id, d, p in districts]
        marks = {(i, 3 + j): flagged[(d_id, y)] for i, (d_id, _, _) in enumerate(districts)
                 for j, y in enumerate(years) if (d_id, y) in flagged}
    else:
        names = [d for _, d, _ in districts]
        # Two districts may share a name (e.g. 新区 in two provinces): the id keeps the columns apart.
        header = ["year", *[d if names.count(d) == 1 else f"{d} ({d_id})" for d_id, d, _ in districts]]
        body = [[y, *[cell.get((d_id, y)) for d_id, _, _ in districts]] for y in years]
        marks = {(i, 1 + j): flagged[(d_id, y)] for i, y in enumerate(years)
                 for j, (d_id, _, _) in enumerate(districts) if (d_id, y) in flagged}
    return Comparison(key, name, unit or "", header, body, marks)


def _unknown(what: str, text: str, choices: list[str], listing: str) -> str:
    near = difflib.get_close_matches(text, choices, n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(near)}?" if near else ""
    return f"unknown {what} {text!r}.{hint} (`{listing}` lists them all)"
