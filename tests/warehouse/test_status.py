"""`fzzf status`: the last runs, each site's outcomes over them, and the sites failing night after night."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fzzf.cli import main
from fzzf.warehouse import db, status

T0 = datetime(2026, 3, 1, 18, 0, tzinfo=timezone.utc)
# Four nights: site a always ok, b failing the last three, c failing once then recovering.
NIGHTS = [{"a": "ok", "b": "ok", "c": "unreachable"}, {"a": "ok", "b": "unreachable", "c": "ok"},
          {"a": "ok", "b": "waf_challenge", "c": "ok"}, {"a": "ok", "b": "unreachable", "c": "ok"}]


def _warehouse(path):
    with db.connect_work(path) as con:
        for night, outcomes in enumerate(NIGHTS):
            run_id = f"run{night}"
            started = T0 + timedelta(days=night)
            con.execute("insert into runs (run_id, started_at, finished_at, registry_path, sites_n) "
                        "values (?, ?, ?, 'r.toml', 3)", [run_id, started, started + timedelta(minutes=5)])
            for site_id, outcome in outcomes.items():
                con.execute("insert into run_sites (run_id, site_id, status, detail, reports_found, pages_parsed) "
                            "values (?, ?, ?, ?, 2, 1)", [run_id, site_id, outcome, f"{outcome} night {night}"])
    db.publish(path)
    return path


def test_histories_and_failing_streaks(tmp_path):
    with db.connect_read(_warehouse(tmp_path / "f.duckdb")) as con:
        runs = status.recent_runs(con, 2)
        histories = status.site_histories(con, 10)
    assert [r.run_id for r in runs] == ["run3", "run2"]
    assert (runs[0].ok_n, runs[0].failed_n, runs[0].reports_found) == (2, 1, 6)
    by_id = {h.site_id: h for h in histories}
    assert by_id["b"].statuses == ["unreachable", "waf_challenge", "unreachable", "ok"]
    assert [h.site_id for h in status.failing(histories, 3)] == ["b"]
    assert status.failing(histories, 4) == []
    assert by_id["c"].failing_streak == 0


def test_status_command_prints_runs_sites_and_streaks(tmp_path, capsys):
    path = _warehouse(tmp_path / "f.duckdb")
    assert main(["status", "--db", str(path), "--runs", "3"]) == 0
    out = capsys.readouterr().out
    assert "last 3 runs" in out and "run3" in out and "run0" not in out
    assert "unreachable waf_challenge unreachable" in out
    assert "! b: 3 runs (unreachable: unreachable night 3)" in out
