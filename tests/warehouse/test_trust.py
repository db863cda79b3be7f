"""Attacks on the warehouse files: formula cells, torn or unreadable publishes, stray WALs, crash leftovers.

Every district name and figure below is fictional.
"""
from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
import textwrap

import duckdb
import pyarrow as pa
import pytest

from fzzf.warehouse import csvsafe, db, load
from fzzf.warehouse.export import export_snapshot, write_csv

ATTACKS = ["=HYPERLINK(\"http://evil.example/\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("cell", ATTACKS)
def test_python_rule_neutralises_every_formula_prefix(cell):
    assert csvsafe.neutralise(cell) == "'" + cell
    buffer = io.StringIO()
    csvsafe.writer(buffer).writerow([cell, -5, 1.5, None, "正常文本"])
    row = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert row == ["'" + cell, "-5", "1.5", "", "正常文本"]


def test_sql_rule_is_the_same_as_the_python_rule():
    con = duckdb.connect()
    csvsafe.install(con)
    cells = ATTACKS + ["正常", "a=b", "", "'=already"]
    got = [con.execute(f"select {csvsafe.MACRO}(?)", [c]).fetchall()[0][0] for c in cells]
    assert got == [csvsafe.neutralise(c) for c in cells]


def test_copy_csv_neutralises_text_and_list_cells_but_not_numbers(tmp_path):
    con = duckdb.connect()
    table = pa.table({"title": ATTACKS, "parts": [["=a", "b"]] * len(ATTACKS), "n": [-1.0] * len(ATTACKS)})
    write_csv(table, tmp_path / "x.csv", lang="en")
    raw = (tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["title", "parts", "n"]
    assert [r[0] for r in rows[1:]] == ["'" + a for a in ATTACKS]
    # A negative number is a number, never neutralised; a whole double prints as on screen (-1, not -1.0).
    assert {r[1] for r in rows[1:]} == {"'=a;b"} and {r[2] for r in rows[1:]} == {"-1"}
    con.close()


def test_empty_query_writes_the_header_only(tmp_path):
    write_csv(pa.table({"a": pa.array([], pa.string())}), tmp_path / "e.csv")
    assert (tmp_path / "e.csv").read_bytes() == b"\xef\xbb\xbfa\n"


def test_compare_and_districts_neutralise_on_stdout_and_in_files(tmp_path, synth, capsys):
    from fzzf.cli import main

    site = synth.make_site("evil", "=cmd|' /C calc'!A0", province="甲省")
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, [(site, [synth.PageSpec("http://evil.example.test/2023.html", 2023, synth.body("e"),
                                                 None, [("disputes_screened", 5.0, "件")])])])
    db.publish(path)
    assert main(["districts", "--db", str(path), "--format", "csv"]) == 0
    assert main(["compare", "--indicator", "disputes_screened", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "=cmd" in out
    assert not [cell for row in csv.reader(io.StringIO(out)) for cell in row if cell.startswith("=")]
    assert main(["compare", "--indicator", "disputes_screened", "--db", str(path), "--out",
                 str(tmp_path / "c.csv")]) == 0
    with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells and not [c for c in cells if c.startswith("=")]


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o027, 0o640)])
def test_published_and_exported_files_follow_the_umask(known_db, tmp_path, synth, mask, mode):
    old = os.umask(mask)
    try:
        path = tmp_path / "fzzf.duckdb"
        synth.load_all(path, synth.known_batches()[:1])
        db.publish(path)
        latest = export_snapshot(path, tmp_path / "exports", "run-1")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    for file in latest.resolve().iterdir():
        if file.is_file():
            assert stat.S_IMODE(file.stat().st_mode) == mode, file.name


def test_torn_snapshot_is_refused_and_the_live_file_stays(tmp_path, synth, monkeypatch):
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, synth.known_batches())
    db.publish(path)
    before = path.read_bytes()
    real_copy = db.shutil.copyfileobj

    def torn_copy(src, dst, length=0):
        # A second writer checkpointing mid-copy: the second half of the snapshot is other blocks.
        real_copy(src, dst, length)
        size = dst.tell()
        dst.seek(size // 3)
        dst.write(os.urandom(size - size // 3))

    monkeypatch.setattr(db.shutil, "copyfileobj", torn_copy)
    with pytest.raises(db.PublishRefused, match="last good file stays live"):
        db.publish(path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.publishing"))


def test_snapshot_failing_data_tests_is_not_published(tmp_path, synth):
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, synth.known_batches())
    db.publish(path)
    before = path.read_bytes()
    con = db.connect_work(path)
    con.execute("update metrics set value = 150 where unit = '%'")
    con.close()
    with pytest.raises(db.PublishRefused, match="rule_percent_within_0_100"):
        db.publish(path)
    assert path.read_bytes() == before


def test_second_run_lock_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "fzzf.duckdb"
    with db.run_lock(path), pytest.raises(db.RunLocked, match=r"another fzzf run holds the lock on .*fzzf.duckdb \(pid \d+"), \
            db.run_lock(path):
        pass
    with db.run_lock(path):  # released after the block
        pass


def test_lock_is_released_when_the_holder_dies(tmp_path):
    path = tmp_path / "fzzf.duckdb"
    code = textwrap.dedent("""
        import os, sys
        from fzzf.warehouse import db
        with db.run_lock(sys.argv[1]):
            os._exit(0)
    """)
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    with db.run_lock(path):
        pass


def test_stray_wal_beside_the_live_file_is_moved_aside(tmp_path, synth, caplog):
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, synth.known_batches()[:1])
    db.publish(path)
    # An analyst opens the live file read-write (the DuckDB CLI's default), creates a table, and is killed.
    code = textwrap.dedent("""
        import os, sys, duckdb
        con = duckdb.connect(sys.argv[1])
        con.execute("pragma disable_checkpoint_on_shutdown")
        con.execute("create table my_notes as select 1 as x")
        os._exit(0)
    """)
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    wal = path.with_name(path.name + ".wal")
    assert wal.exists()
    with caplog.at_level("WARNING"):
        db.publish(path)
    assert not wal.exists() and list(tmp_path.glob("fzzf.duckdb.wal.stray-*"))
    assert "duckdb -readonly" in caplog.text
    con = db.connect_read(path)
    assert con.execute("select count(*) from reports").fetchall()[0][0] > 0
    con.close()


def test_crash_leftovers_are_cleaned_and_unfinished_runs_aborted(tmp_path, synth):
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, synth.known_batches()[:1])
    con = db.connect_work(path)
    load.start_run(con, "crashed", synth.T0, "r.toml", [])
    con.close()
    leftover = tmp_path / ".fzzf.x1y2.publishing"
    leftover.write_bytes(b"half a file")
    assert db.clean_leftovers(path) == [leftover]
    con = db.connect_work(path)
    load.start_run(con, "next", synth.T0, "r.toml", [])
    states = dict(con.execute("select run_id, status from runs").fetchall())
    con.close()
    assert states["crashed"] == "aborted" and states["next"] == "running"
    assert not leftover.exists()


def test_snapshots_are_dated_retained_and_latest_switches(known_db, tmp_path):
    root = tmp_path / "exports"
    for n, day in enumerate(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-03"]):
        export_snapshot(known_db, root, f"run-{n}", keep=2, day=day)
    names = sorted(p.name for p in root.iterdir())
    assert names == [".runs", "2026-01-02", "2026-01-03", "latest"]
    assert os.readlink(root / "latest") == os.readlink(root / "2026-01-03") == ".runs/run-3"
    assert sorted(p.name for p in (root / ".runs").iterdir()) == ["run-1", "run-3"]
    assert (root / "2026-01-02" / "manifest.json").exists()


def test_export_snapshot_removes_a_crashed_staging_folder(known_db, tmp_path):
    root = tmp_path / "exports"
    (root / ".staging-dead").mkdir(parents=True)
    (root / ".staging-dead" / "mart_x.csv").write_text("half")
    export_snapshot(known_db, root, "run-1")
    assert not (root / ".staging-dead").exists()
