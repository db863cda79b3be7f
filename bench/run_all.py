"""`make bench`: every benchmark in one run, one after another, then one table of ratios side by side."""
from __future__ import annotations

import importlib
import sys
import time

# A benchmark's `main()` may return rows (where, fzzf, floor or peer, ratio) for the closing table.
BENCHMARKS = ("bench.parse_bench", "bench.parse_growth", "bench.fetch_bench", "bench.crawl_bench",
              "bench.load_bench", "bench.marts_bench", "bench.export_bench", "bench.cli_bench", "bench.prefect_bench",
              "bench.night_bench", "bench.dask_bench",
              "bench.pipeline_bench")


def main() -> int:
    """Run each benchmark module's `main()`; a failing one is reported and the rest still run."""
    failed = []
    rows: list[tuple[str, str, str, float]] = []
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        try:
            rows.extend(importlib.import_module(name).main() or [])
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            failed.append(name)
            print(f"{name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"({name}: {time.perf_counter() - started:.1f} s)")
    _print_ratios(rows)
    return 1 if failed else 0


def _print_ratios(rows: list[tuple[str, str, str, float]]) -> None:
    if not rows:
        return
    width = max(len(r[0]) for r in rows)
    print(f"\n=== ratios (fzzf / floor or peer, measured in this run) ===\n{'where':{width}}  {'fzzf':>12}  "
          f"{'floor or peer':>22}  ratio")
    for where, ours, floor, ratio in rows:
        print(f"{where:{width}}  {ours:>12}  {floor:>22}  {ratio:5.2f}×")


if __name__ == "__main__":
    sys.exit(main())
