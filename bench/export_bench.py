"""Benchmark the CSV export against DuckDB's plain COPY on the synthetic marts warehouse.

Run: `.venv/bin/python -m bench.export_bench [--districts 3000] [--years 10] [--rounds 3]`.
The export (BOM and header as COPY's prefix, every text cell through `fzzf_csv_safe`) is timed against a
plain `COPY (select * from mart order by …) TO … (header)` of the same marts, interleaved round by round so
the machine's noise hits both alike. Every place and figure is fictional (bench.marts_bench generates them).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from bench.marts_bench import COPY_EVERY, PROBLEM_PHRASES, SENTENCE_POOL, SENTENCES_PER_REPORT, _generate
from fzzf.warehouse import csvsafe, db, marts
from fzzf.warehouse.export import PARTITION_BY, _sorted_query, write_partitioned

# One way of writing a mart: (connection, mart, its sorted query).
Writer = Callable[[duckdb.DuckDBPyConnection, str, str], None]
# Issue #13: the export within 1.2× of plain COPY.
TARGET_RATIO = 1.2


def main() -> list[tuple[str, str, str, float]]:
    """Build the synthetic warehouse, time export vs plain COPY; print one row per side, return the ratio rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=3000, help="synthetic districts (default 3000)")
    parser.add_argument("--years", type=int, default=10, help="years per district (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    args, _ = parser.parse_known_args()
    folder = Path(tempfile.mkdtemp(prefix="fzzf-export-bench-"))
    path = folder / "bench.duckdb"
    con = db.connect_work(path)
    try:
        marts.load_reference_tables(con)
        _generate(con, {"districts": args.districts, "years": args.years, "pool": SENTENCE_POOL,
                        "sentences": SENTENCES_PER_REPORT, "phrases": list(PROBLEM_PHRASES),
                        "copy_every": COPY_EVERY})
        marts.build_marts(con)
    finally:
        con.close()
    # Read the working file itself: the random synthetic figures are not meant to pass the data tests.
    plain, ours, rows = export_vs_copy(db.work_path(path), folder / "out", args.rounds)
    single, partitioned, datasets = partitioned_vs_single(db.work_path(path), folder / "pq", args.rounds)
    ratio = ours / plain
    print(f"marts exported as CSV: {rows:,} rows ({args.districts} districts × {args.years} years), "
          f"best of {args.rounds} interleaved rounds")
    print(f"{'side':<44}{'seconds':>10}{'ratio':>8}")
    print(f"{'plain COPY ... (header)':<44}{plain:>10.3f}{1.0:>8.2f}")
    print(f"{'fzzf export (BOM, neutralised in SQL)':<44}{ours:>10.3f}{ratio:>8.2f}")
    print(f"export / COPY = {ratio:.2f} (target <= {TARGET_RATIO}): {'ok' if ratio <= TARGET_RATIO else 'OVER'}")
    print(f"{datasets} marts as Parquet: one file {single:.3f} s, partitioned by {' and '.join(PARTITION_BY)} "
          f"{partitioned:.3f} s ({partitioned / single:.2f}×)")
    return [(f"export of the marts as CSV, {rows:,} rows", f"{ours:.2f} s", f"plain COPY {plain:.2f} s", ratio),
            (f"partitioned Parquet of {datasets} marts", f"{partitioned:.2f} s", f"one Parquet file {single:.2f} s",
             partitioned / single)]


def export_vs_copy(path: Path, out: Path, rounds: int) -> tuple[float, float, int]:
    """Best-of-`rounds` seconds for plain COPY and for the fzzf CSV export of every mart, and rows written."""
    def plain(con, mart: str, query: str) -> None:
        con.execute(f"copy ({query}) to '{out / (mart + '.plain.csv')}' (format csv, header)")

    def ours(con, mart: str, query: str) -> None:
        csvsafe.copy_csv(con, query, out / f"{mart}.csv")

    con = db.connect_read(path)
    try:
        rows = sum(con.execute(f"select count(*) from {m}").fetchall()[0][0] for m in marts.mart_names(con))
    finally:
        con.close()
    plain_s, ours_s, _ = _interleaved(path, out, rounds, plain, ours)
    return plain_s, ours_s, rows


def partitioned_vs_single(path: Path, out: Path, rounds: int) -> tuple[float, float, int]:
    """Best-of-`rounds` seconds writing the partitionable marts as one Parquet file each and as Hive datasets."""
    def single(con, mart: str, query: str) -> None:
        con.execute(f"copy ({query}) to '{out / (mart + '.parquet')}' (format parquet)")

    def partitioned(con, mart: str, query: str) -> None:
        write_partitioned(con, query, out / "datasets" / mart)

    return _interleaved(path, out, rounds, single, partitioned,
                        lambda columns: set(PARTITION_BY) <= set(columns))


def _interleaved(path: Path, out: Path, rounds: int, first: Writer, second: Writer,
                 keep: Callable[[list[str]], bool] = lambda columns: True) -> tuple[float, float, int]:
    """Best-of-`rounds` seconds of `first` and `second` over every kept mart, alternating round by round so the
    machine's noise hits both alike; and how many marts were written."""
    out.mkdir(parents=True, exist_ok=True)
    con = db.connect_read(path)
    try:
        con.execute("set enable_progress_bar = false")
        queries = {mart: _sorted_query(con, mart) for mart in marts.mart_names(con)
                   if keep(con.sql(f"select * from {mart}").columns)}
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(rounds):
            for writer, seconds in zip((first, second), times):
                started = time.perf_counter()
                for mart, query in queries.items():
                    writer(con, mart, query)
                seconds.append(time.perf_counter() - started)
    finally:
        con.close()
    return min(times[0]), min(times[1]), len(queries)


if __name__ == "__main__":
    main()
