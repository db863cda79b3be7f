"""Task runners for the nightly flow: Prefect's thread pool, or Dask (a LocalCluster of processes or a scheduler)."""
from __future__ import annotations

from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

RUNNERS = ("thread", "dask")
DEFAULT_MAX_WORKERS = 8
# Crawl tasks sleep in host intervals while parse tasks use a core: a few threads per worker process.
DASK_THREADS_PER_WORKER = 4


def task_runner(kind: str = "thread", *, address: str | None = None, workers: int = 2,
                max_workers: int = DEFAULT_MAX_WORKERS) -> TaskRunner[Any]:
    """The runner named `kind`; Dask runs on `address` if given, else on a LocalCluster of `workers` processes."""
    if kind == "thread":
        return ThreadPoolTaskRunner(max_workers=max_workers)
    if kind != "dask":
        raise ValueError(f"unknown runner {kind!r}: use one of {', '.join(RUNNERS)}")
    from prefect_dask import DaskTaskRunner  # only a dask night pays for importing dask

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "processes": True,
                                          "threads_per_worker": DASK_THREADS_PER_WORKER,
                                          "dashboard_address": None})


def unwalked(value: Any) -> Any:
    """`value` as a task parameter Prefect passes on without walking it (the walk costs more than the work).

    On the thread runner: `quote(value)`, or `opaque(future)` so the future is still awaited. Where parameters are
    pickled (Dask) as is: an annotation does not survive pickling (`quote(x)` comes back as `quote((x,))`).
    """
    from prefect.context import FlowRunContext
    from prefect.futures import PrefectFuture
    from prefect.utilities.annotations import opaque, quote

    context = FlowRunContext.get()
    if context is None or not isinstance(context.task_runner, ThreadPoolTaskRunner):
        return value
    return opaque(value) if isinstance(value, PrefectFuture) else quote(value)
