"""Run history for operators: the last runs, each site's outcomes over them, and sites failing night after night."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

OK = "ok"
_RUNS_SQL = """
with recent as (
    select run_id, started_at, finished_at, sites_n from runs order by started_at desc limit $n
),
outcomes as (
    select run_id, count(*) filter (where status = 'ok') as ok_n, count(*) filter (where status <> 'ok') as failed_n,
        coalesce(sum(reports_found), 0) as reports_n, coalesce(sum(pages_parsed), 0) as parsed_n
    from run_sites where run_id in (select run_id from recent) group by run_id
),
final as (
    select r.run_id, r.started_at, r.finished_at, r.sites_n, coalesce(o.ok_n, 0), coalesce(o.failed_n, 0),
        coalesce(o.reports_n, 0), coalesce(o.parsed_n, 0)
    from recent r left join outcomes o using (run_id)
    order by r.started_at desc
)
select * from final
"""
_HISTORY_SQL = """
with recent as (
    select run_id, started_at from runs order by started_at desc limit $n
),
final as (
    select s.site_id, list(s.status order by r.started_at desc) as statuses,
        list(s.detail order by r.started_at desc) as details
    from run_sites s join recent r using (run_id)
    group by s.site_id
    order by s.site_id
)
select * from final
"""


@dataclass(frozen=True)
class RunLine:
    """One run: when, how many sites, how they ended."""

    run_id: str
    started_at: object
    finished_at: object
    sites_n: int
    ok_n: int
    failed_n: int
    reports_found: int
    pages_parsed: int


@dataclass(frozen=True)
class SiteHistory:
    """One site's outcomes over the recent runs, newest first."""

    site_id: str
    statuses: list[str]
    last_detail: str | None

    @property
    def failing_streak(self) -> int:
        """How many of the newest runs in a row this site did not end `ok`."""
        streak = 0
        for status in self.statuses:
            if status == OK:
                break
            streak += 1
        return streak


def recent_runs(con: duckdb.DuckDBPyConnection, n: int) -> list[RunLine]:
    """The last `n` runs, newest first."""
    return [RunLine(*row) for row in con.execute(_RUNS_SQL, {"n": n}).fetchall()]


def site_histories(con: duckdb.DuckDBPyConnection, n: int) -> list[SiteHistory]:
    """Every site's outcomes over the last `n` runs (newest first), by site id."""
    rows = con.execute(_HISTORY_SQL, {"n": n}).fetchall()
    return [SiteHistory(site_id, statuses, details[0] if details else None) for site_id, statuses, details in rows]


def failing(histories: list[SiteHistory], nights: int) -> list[SiteHistory]:
    """Sites whose last `nights` runs all failed, longest streak first."""
    return sorted((h for h in histories if h.failing_streak >= nights), key=lambda h: (-h.failing_streak, h.site_id))
