"""`make bench`: every benchmark in one run, one after another, each printing its own table."""
from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = ("bench.parse_bench", "bench.parse_growth", "bench.fetch_bench", "bench.marts_bench", "bench.pipeline_bench")


def main() -> int:
    """Run each benchmark module's `main()`; a failing one is reported and the rest still run."""
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(name).main()
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            failed.append(name)
            print(f"{name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"({name}: {time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
