"""Benchmark the analyst commands as processes against the same SQL through the duckdb Python client.

Run: `.venv/bin/python -m bench.cli_bench [--districts 300] [--rounds 7]`.
Each of `fzzf compare`, `indicators`, `districts` and `schema` runs as its own process on a synthetic
warehouse (bench.marts_bench generates it; every place and figure is fictional). Its peer is a process
that imports duckdb, opens the file read-only, runs exactly the statements the command ran (recorded once
in this process) and prints their rows. The two alternate round by round; the medians give the ratio.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.marts_bench import COPY_EVERY, PROBLEM_PHRASES, SENTENCE_POOL, SENTENCES_PER_REPORT, _generate
from fzzf import cli_warehouse
from fzzf.cli import main as fzzf_main
from fzzf.warehouse import db, marts

# Issue #13: each command within 1.5× of the duckdb client running its SQL.
TARGET_RATIO = 1.5
COMMANDS = (("compare", "--indicator", "disputes_screened"), ("indicators",), ("districts",), ("schema", "--table", "reports"))
PEER = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
for sql, params in json.loads(open(sys.argv[2], encoding="utf-8").read()):
    for row in con.execute(sql, params).fetchall():
        print(*row, sep=",")
"""


class _Recorder:
    """A connection that keeps every statement (and its parameters) run through it."""

    def __init__(self, con) -> None:
        self._con = con
        self.statements: list[tuple[str, object]] = []

    def execute(self, sql: str, params=None):
        self.statements.append((sql, params))
        return self._con.execute(sql, params) if params is not None else self._con.execute(sql)

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def main() -> list[tuple[str, str, str, float]]:
    """Build the warehouse, time each command against its peer; print and return the ratio rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=300, help="synthetic districts (default 300)")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per command (default 7)")
    args, _ = parser.parse_known_args()
    folder = Path(tempfile.mkdtemp(prefix="fzzf-cli-bench-"))
    path = _warehouse(folder, args.districts)
    fzzf = [str(Path(sys.executable).parent / "fzzf")]
    rows = []
    print(f"{'command':<28}{'fzzf s':>9}{'duckdb client s':>17}{'ratio':>8}   (medians of {args.rounds} rounds)")
    for command in COMMANDS:
        statements = folder / f"{command[0]}.json"
        statements.write_text(json.dumps(_statements(command, path)), encoding="utf-8")
        ours = fzzf + [*command, "--db", str(path)]
        peer = [sys.executable, "-c", PEER, str(path), str(statements)]
        times: dict[str, list[float]] = {"fzzf": [], "peer": []}
        for _ in range(args.rounds):
            times["fzzf"].append(_seconds(ours))
            times["peer"].append(_seconds(peer))
        a, b = statistics.median(times["fzzf"]), statistics.median(times["peer"])
        label = "fzzf " + " ".join(a for a in command if not a.startswith("--"))
        print(f"{label:<28}{a:>9.3f}{b:>17.3f}{a / b:>7.2f}×")
        rows.append((f"{label} as a process (target ≤ {TARGET_RATIO}×)", f"{a:.3f} s",
                     f"duckdb client {b:.3f} s", a / b))
    return rows


def _warehouse(folder: Path, districts: int) -> Path:
    path = folder / "fzzf.duckdb"
    con = db.connect_work(path)
    try:
        marts.load_reference_tables(con)
        _generate(con, {"districts": districts, "years": 10, "pool": SENTENCE_POOL,
                        "sentences": SENTENCES_PER_REPORT, "phrases": list(PROBLEM_PHRASES),
                        "copy_every": COPY_EVERY})
        marts.build_marts(con)
        con.execute("checkpoint")
    finally:
        con.close()
    # Not `db.publish`: random synthetic figures fail data tests (screened < resolved); analysts read it all the same.
    shutil.copyfile(db.work_path(path), path)
    return path


def _statements(command: tuple[str, ...], path: Path) -> list[tuple[str, object]]:
    """The SQL `fzzf <command>` runs, recorded by running it once in this process."""
    recorders = []
    opened = cli_warehouse._open

    def recording(args):
        recorders.append(_Recorder(opened(args)))
        return recorders[-1]

    cli_warehouse._open = recording
    try:
        with open("/dev/null", "w", encoding="utf-8") as sink:
            stdout, sys.stdout = sys.stdout, sink
            try:
                fzzf_main([*command, "--db", str(path)])
            finally:
                sys.stdout = stdout
    finally:
        cli_warehouse._open = opened
    return [s for r in recorders for s in r.statements]


def _seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
