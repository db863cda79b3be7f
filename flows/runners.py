"""Task runners for the nightly flow: Prefect's thread pool, or Dask (a LocalCluster of processes or a scheduler)."""
from __future__ import annotations

import copyreg
from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

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
    from fzzf.flows.dask_cluster import runner

    return runner(n_workers=workers, processes=True, threads_per_worker=DASK_THREADS_PER_WORKER,
                  dashboard_address=None)


def dask_address_problem(address: str | None) -> str | None:
    """Why a night cannot run on the Dask scheduler at `address` as configured, or None.

    A running scheduler's workers are other machines' processes: they can report their task runs to a Prefect
    server only if the flow uses one they can reach, not the temporary server of the flow's own process.
    """
    from prefect.settings import get_current_settings

    if address and not get_current_settings().api.url:
        return ("--dask-address needs PREFECT_API_URL set to a Prefect server the workers can reach too "
                "(`prefect server start --host 0.0.0.0`, then PREFECT_API_URL=http://HOST:4200/api here and on "
                "each worker)")
    return None


def unwalked(value: Any) -> Any:
    """`value` as a task parameter Prefect passes on without walking it (the walk costs more than the work).

    A value is quoted on every runner (`Quoted` survives pickling to a Dask worker). A future is made `opaque` on
    the thread runner, so it is still awaited; elsewhere it stays as is, for the runner to resolve where it runs.
    """
    from prefect.context import FlowRunContext
    from prefect.futures import PrefectFuture
    from prefect.utilities.annotations import opaque

    context = FlowRunContext.get()
    if context is None:
        return value
    if isinstance(value, PrefectFuture):
        return opaque(value) if isinstance(context.task_runner, ThreadPoolTaskRunner) else value
    return Quoted(value)


class Quoted(quote):
    """Prefect's `quote`, pickled as itself: a tuple subclass's default pickle wraps the value once more
    (`quote(x)` came back from a Dask worker as `quote((x,))`). Its reducer is registered with copyreg below."""


def _reduce_quoted(quoted: Quoted) -> tuple:
    return Quoted, (quoted.unquote(),)


copyreg.pickle(Quoted, _reduce_quoted)
