"""The Dask task runner on a LocalCluster whose workers report to the flow's own Prefect API.

Imported only by a Dask night (importing dask costs a second). Without PREFECT_API_URL, a flow runs on Prefect's
temporary server; a worker process would then start a temporary server of its own (one per worker, each
10-20 s on 2 cores, sometimes failing with "Server process did not start") and record its task runs there, not
where the flow run is. The runner hands the workers the flow's API address when it starts the cluster.
"""
from __future__ import annotations

from typing import Any

from prefect_dask import DaskTaskRunner


class LocalDaskTaskRunner(DaskTaskRunner):
    """DaskTaskRunner on a LocalCluster whose worker processes use the flow's Prefect API."""

    def __enter__(self) -> LocalDaskTaskRunner:
        """Start the runner; the cluster (started at the first task) gets PREFECT_API_URL in its workers' env."""
        self.cluster_kwargs = {**self.cluster_kwargs,
                               "env": {**self.cluster_kwargs.get("env", {}), "PREFECT_API_URL": api_url()}}
        return super().__enter__()


def api_url() -> str:
    """The Prefect API this process talks to (the temporary server it started, when none is configured)."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return str(client.api_url).rstrip("/")


def runner(**cluster_kwargs: Any) -> LocalDaskTaskRunner:
    """A LocalDaskTaskRunner with these LocalCluster settings."""
    return LocalDaskTaskRunner(cluster_kwargs=cluster_kwargs)
