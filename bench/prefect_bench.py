"""Prefect's own cost: a flow run's fixed cost and each task run's, against the same calls on a plain thread pool.

Run: `.venv/bin/python -m bench.prefect_bench` (FZZF_BENCH_TASK_RUNS=400 by default). The tasks do nothing, so
what is timed is Prefect's bookkeeping alone; a night of 3,000 sites makes about 130 task runs (4 crawls,
120 parses of 25 sites, their stores and a few more), which is why sites go to tasks in batches.
"""
from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

from fzzf import runtime

runtime.configure()  # as every `fzzf` command: before Prefect is imported (one Prefect home, telemetry off)

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from fzzf.flows.runners import DEFAULT_MAX_WORKERS  # noqa: E402

TASK_RUNS = int(os.environ.get("FZZF_BENCH_TASK_RUNS", "400"))
NIGHT_TASK_RUNS = 130
PAGE = 200  # the API's largest page of task runs


def _noop(i: int) -> int:
    return i


noop = task(cache_policy=NO_CACHE, name="noop")(_noop)


@flow(name="fzzf-bench-empty", task_runner=ThreadPoolTaskRunner(max_workers=DEFAULT_MAX_WORKERS))
def _empty() -> None:
    """A flow run with no task runs: Prefect's fixed cost per run."""


@flow(name="fzzf-bench-tasks", task_runner=ThreadPoolTaskRunner(max_workers=DEFAULT_MAX_WORKERS))
def _tasks(n: int) -> int:
    """`n` task runs submitted at once to the flow's thread pool, as the nightly flow submits its batches."""
    return sum(f.result() for f in [noop.submit(i) for i in range(n)])


class _Dropped(logging.Handler):
    """Counts Prefect's "queue is full, dropping message" warnings: events lost by the client."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "dropping" in record.getMessage():
            self.count += 1


def _completed_task_runs(flow_run_id, expected: int, wait_s: float = 60.0) -> int:
    """Completed task runs the API holds for the flow run, once all `expected` are in (events arrive late)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (FlowRunFilter, FlowRunFilterId, TaskRunFilter, TaskRunFilterState,
                                                TaskRunFilterStateType)
    from prefect.client.schemas.objects import StateType

    runs = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    completed = TaskRunFilter(state=TaskRunFilterState(type=TaskRunFilterStateType(any_=[StateType.COMPLETED])))
    deadline, found = time.monotonic() + wait_s, 0
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            found = _count(lambda offset: client.read_task_runs(flow_run_filter=runs, task_run_filter=completed,
                                                                limit=PAGE, offset=offset))
            if found >= expected:
                break
            time.sleep(0.5)
    return found


def _count(page) -> int:
    total = 0
    while rows := page(total):
        total += len(rows)
    return total


def main() -> list[tuple[str, str, str, float]]:
    """Time an empty flow run, then `TASK_RUNS` task runs against a plain pool; print and return the rows."""
    dropped = _Dropped()
    logging.getLogger().addHandler(dropped)
    try:
        _empty()  # the first run pays for starting the temporary server; not Prefect's per-run cost
        started = time.perf_counter()
        _empty()
        empty_s = time.perf_counter() - started
        started = time.perf_counter()
        state = _tasks(TASK_RUNS, return_state=True)
        flow_s = time.perf_counter() - started - empty_s
        assert state.result() == sum(range(TASK_RUNS))
        recorded = _completed_task_runs(state.state_details.flow_run_id, TASK_RUNS)
    finally:
        logging.getLogger().removeHandler(dropped)
    started = time.perf_counter()
    with ThreadPoolExecutor(DEFAULT_MAX_WORKERS) as pool:
        assert sum(pool.map(_noop, range(TASK_RUNS))) == sum(range(TASK_RUNS))
    pool_s = time.perf_counter() - started
    per_task_ms = flow_s / TASK_RUNS * 1000
    print(f"a flow run with no tasks: {empty_s:.2f} s")
    print(f"{TASK_RUNS} task runs: {flow_s:.2f} s beyond that ({per_task_ms:.1f} ms each); plain pool {pool_s:.3f} s")
    print(f"a night's ~{NIGHT_TASK_RUNS} task runs: ≈ {empty_s + NIGHT_TASK_RUNS * per_task_ms / 1000:.1f} s of "
          f"Prefect; the server recorded {recorded} of {TASK_RUNS} as completed; dropped-event warnings: "
          f"{dropped.count}")
    return [(f"Prefect: one task run ({recorded}/{TASK_RUNS} recorded, {dropped.count} dropped-event warnings)",
             f"{per_task_ms:.1f} ms", f"plain pool {pool_s / TASK_RUNS * 1000:.3f} ms",
             flow_s / max(pool_s, 1e-9))]


if __name__ == "__main__":
    main()
