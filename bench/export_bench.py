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
from pathlib import Path

from bench.marts_bench import COPY_EVERY, PROBLEM_PHRASES, SENTENCE_POOL, SENTENCES_PER_REPORT, _generate
from fzzf.warehouse import csvsafe, db, marts
from fzzf.warehouse.export import PARTITION_BY, _sorted_query, write_partitioned

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
    out.mkdir(parents=True, exist_ok=True)
    con = db.connect_read(path)
    try:
        con.execute("set enable_progress_bar = false")
        queries = {mart: _sorted_query(con, mart) for mart in marts.mart_names(con)}
        rows = sum(con.execute(f"select count(*) from {m}").fetchall()[0][0] for m in queries)
        plain, ours = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            for mart, query in queries.items():
                con.execute(f"copy ({query}) to '{out / (mart + '.plain.csv')}' (format csv, header)")
            plain.append(time.perf_counter() - started)
            started = time.perf_counter()
            for mart, query in queries.items():
                csvsafe.copy_csv(con, query, out / f"{mart}.csv")
            ours.append(time.perf_counter() - started)
    finally:
        con.close()
    return min(plain), min(ours), rows


def partitioned_vs_single(path: Path, out: Path, rounds: int) -> tuple[float, float, int]:
    """Best-of-`rounds` seconds writing the partitionable marts as one Parquet file each and as Hive datasets."""
    out.mkdir(parents=True, exist_ok=True)
    con = db.connect_read(path)
    try:
        con.execute("set enable_progress_bar = false")
        queries = {mart: _sorted_query(con, mart) for mart in marts.mart_names(con)
                   if set(PARTITION_BY) <= set(con.sql(f"select * from {mart}").columns)}
        single, partitioned = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            for mart, query in queries.items():
                con.execute(f"copy ({query}) to '{out / (mart + '.parquet')}' (format parquet)")
            single.append(time.perf_counter() - started)
            started = time.perf_counter()
            for mart, query in queries.items():
                write_partitioned(con, query, out / "datasets" / mart)
            partitioned.append(time.perf_counter() - started)
    finally:
        con.close()
    return min(single), min(partitioned), len(queries)


if __name__ == "__main__":
    main()
