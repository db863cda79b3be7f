"""The working file, migrations, and publishing while analysts read the live file from another process."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, timedelta

from fzzf.warehouse import db

QUERY = ("select (select count(*) from reports), (select count(*) from metrics), "
         "(select coalesce(sum(value), 0) from metrics), (select count(*) from mart_indicator_matrix)")
# Holds one read-only connection and answers each line on stdin with what that connection sees.
HOLDER = textwrap.dedent(f"""
    import json, sys, duckdb
    held = duckdb.connect(sys.argv[1], read_only=True)
    for _ in sys.stdin:
        print(json.dumps(list(held.execute({QUERY!r}).fetchall()[0])), flush=True)
""")
# Opens a fresh read-only connection per query until told to stop. A separate process from the holder:
# within one process DuckDB hands new connections the instance already open on that path (the old file).
POLLER = textwrap.dedent(f"""
    import json, os, sys, pathlib, duckdb
    live, stop, parent = sys.argv[1], pathlib.Path(sys.argv[2]), os.getppid()
    while not stop.exists() and os.getppid() == parent:
        try:
            con = duckdb.connect(live, read_only=True)
            try:
                print(json.dumps({{"fresh": list(con.execute({QUERY!r}).fetchall()[0])}}), flush=True)
            finally:
                con.close()
        except Exception as exc:  # the test asserts there are none
            print(json.dumps({{"error": repr(exc)}}), flush=True)
""")
MAX_POLLS = 20_000


def _year_pages(synth, years):
    return [synth.PageSpec(f"http://p.example.test/{y}.html", y, synth.body(f"p{y}"), date(y + 1, 3, 1),
                           [("disputes_screened", float(y), "件"), ("disputes_resolved", 1.0, "件")],
                           fetched_at=synth.T0 + timedelta(days=y - 2000)) for y in years]


def _signature(db_path) -> list:
    con = db.connect_read(db_path)
    try:
        return list(con.execute(QUERY).fetchall()[0])
    finally:
        con.close()


def test_work_file_sits_beside_the_live_file(tmp_path):
    assert db.work_path(tmp_path / "fzzf.duckdb") == tmp_path / "fzzf.work.duckdb"


def test_migrations_are_applied_once(db_path):
    for _ in range(2):
        con = db.connect_work(db_path)
        rows = con.execute("select version, name from schema_migrations order by version").fetchall()
        con.close()
    files = sorted(db.MIGRATIONS_DIR.glob("*.sql"))
    assert rows == [(int(f.stem[:3]), f.stem) for f in files]
    assert rows[:2] == [(1, "001_core"), (2, "002_report_shingles")]


def test_lost_work_file_is_rebuilt_from_the_published_one(db_path, synth):
    site = synth.make_site("p", "发布区")
    synth.load_all(db_path, [(site, _year_pages(synth, [2022]))])
    db.publish(db_path)
    db.work_path(db_path).unlink()
    con = db.connect_work(db_path)
    try:
        assert con.execute("select count(*) from reports").fetchall() == [(1,)]
    finally:
        con.close()


def test_publish_without_work_file_fails_loudly(db_path):
    try:
        db.publish(db_path)
    except FileNotFoundError as exc:
        assert "nothing to publish" in str(exc)
    else:
        raise AssertionError("publish without a working file must fail")


def test_readers_in_other_processes_see_old_or_new_data_never_an_error(db_path, synth, tmp_path):
    site = synth.make_site("p", "发布区")
    synth.load_all(db_path, [(site, _year_pages(synth, [2020]))])
    db.publish(db_path)
    published = [_signature(db_path)]
    stop = tmp_path / "stop"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    poller = subprocess.Popen([sys.executable, "-c", POLLER, str(db_path), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        holder.stdin.write("check\n")
        holder.stdin.flush()
        assert json.loads(holder.stdout.readline()) == published[0]
        for round_no, year in enumerate((2021, 2022, 2023), start=2):
            # The writer works while analysts hold the live file open: with one shared file this failed at once.
            synth.load_all(db_path, [(site, _year_pages(synth, [year]))], run_id=f"run-{round_no}")
            db.publish(db_path)
            published.append(_signature(db_path))
            for _ in range(MAX_POLLS):  # until a fresh connection has seen this publication
                line = poller.stdout.readline()
                assert line, f"poller ended early: {poller.stderr.read()}"
                seen.append(json.loads(line))
                if seen[-1].get("fresh") == published[-1] or "error" in seen[-1]:
                    break
        holder.stdin.write("check\n")
        holder.stdin.flush()
        held_end = json.loads(holder.stdout.readline())
    finally:
        stop.touch()
        for proc in (holder, poller):
            out, _ = proc.communicate(timeout=60)
            if proc is poller:
                seen += [json.loads(line) for line in out.splitlines() if line]
    assert [s for s in seen if "error" in s] == []
    fresh = [s["fresh"] for s in seen]
    assert all(sig in published for sig in fresh)
    assert published[-1] in fresh and len({json.dumps(p) for p in published}) == 4
    # The connection held open through three publications still sees the first snapshot, complete.
    assert held_end == published[0]


def test_published_file_is_a_complete_snapshot_of_the_work_file(db_path, synth):
    site = synth.make_site("p", "发布区")
    synth.load_all(db_path, [(site, _year_pages(synth, [2021, 2022]))])
    db.publish(db_path)
    assert _signature(db_path) == [2, 4, 2021.0 + 2022.0 + 2.0, 4]


def test_published_file_is_readable_by_duckdb_1_5_clients(db_path, synth):
    synth.load_all(db_path, [(synth.make_site("p", "发布区"), _year_pages(synth, [2022]))])
    db.publish(db_path)
    con = db.connect_read(db_path)
    try:
        tags = con.execute("select tags from duckdb_databases() where database_name = current_database()"
                           ).fetchall()[0][0]
    finally:
        con.close()
    assert tags["storage_version"].startswith("v1.5.0")
