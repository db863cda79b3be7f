"""A parse-heavy night (every page new) on Prefect's thread pool and on Dask worker processes, side by side.

Run: `.venv/bin/python -m bench.dask_bench` (FZZF_BENCH_DASK_SITES=200 sites × 5 reports by default). Each
runner fills its own empty warehouse from the same loopback sites; the Dask night includes starting its
LocalCluster of 2 processes, as `fzzf run --runner dask` does. Every site is fictional (tests.support.simsites).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fzzf import runtime

runtime.configure()  # as every `fzzf` command: before Prefect is imported (one Prefect home, telemetry off)

from bench.night_bench import flow_night, simulated_registry  # noqa: E402
from fzzf.flows import nightly  # noqa: E402
from fzzf.flows.runners import task_runner  # noqa: E402

SITES = int(os.environ.get("FZZF_BENCH_DASK_SITES", "200"))
REPORTS = 5
WORKERS = 2


def main() -> list[tuple[str, str, str, float]]:
    """Time one fill per runner; print both and return the speed-up row for `make bench`."""
    with tempfile.TemporaryDirectory() as tmp, simulated_registry(Path(tmp), SITES, REPORTS) as registry:
        threads_s = flow_night(registry, Path(tmp) / "threads" / "w.duckdb", Path(tmp) / "threads" / "exports")
        on_dask = nightly.nightly.with_options(task_runner=task_runner("dask", workers=WORKERS))
        dask_s = flow_night(registry, Path(tmp) / "dask" / "w.duckdb", Path(tmp) / "dask" / "exports", on_dask)
    print(f"{SITES} sites × {REPORTS} new reports, every page parsed")
    print(f"{'runner':<44}{'seconds':>10}")
    print(f"{'Prefect thread pool (one process)':<44}{threads_s:>10.1f}")
    print(f"{f'Dask LocalCluster, {WORKERS} processes (incl. start)':<44}{dask_s:>10.1f}")
    print(f"speed-up from processes: {threads_s / dask_s:.2f}× on {os.cpu_count()} cores")
    return [(f"parse-heavy night of {SITES} sites on Dask ({WORKERS} processes; speed-up = 1 / ratio)",
             f"{dask_s:.1f} s", f"thread pool {threads_s:.1f} s", dask_s / threads_s)]


if __name__ == "__main__":
    main()
