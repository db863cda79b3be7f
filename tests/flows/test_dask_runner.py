"""The nightly flow on a 2-worker Dask LocalCluster of processes writes the same warehouse as the thread runner."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from fzzf.demo import DEMO_MIN_INTERVAL_S, DEMO_REGISTRY, aliases, substitutions
from tests.support.simsites import build_site, registry_toml, serve_hosts_in_process, sites_for

pytest.importorskip("prefect_dask")
# The task runs of a night that must be recorded on the flow's API: the workers' crawls and parses, the writer's stores.
TASK_KINDS = {"crawl", "parse", "store"}
# Columns that identify a run or a moment, not the content of the warehouse.
CONTENT = {
    "reports": "select url, sha256, title, district, year, published, kind, version_no, is_current from reports",
    "metrics": "select * from metrics",
    "links": "select url, title, is_report from links",
    "raw_pages": "select sha256 from raw_pages",
    "run_sites": "select site_id, status, pages_parsed from run_sites",
}


def _content(db_path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in CONTENT.items()}


def test_dask_runner_writes_the_thread_runners_warehouse(prefect_harness, demo_sites, tmp_path):
    from fzzf.flows.nightly import nightly
    from fzzf.flows.runners import task_runner

    # The aliases send connections where the demo is served now: its stable ports may be another process's.
    common = dict(registry=str(DEMO_REGISTRY), substitutions=substitutions(demo_sites), aliases=aliases(demo_sites),
                  min_interval_s=DEMO_MIN_INTERVAL_S)
    threads = nightly(db_path=str(tmp_path / "t.duckdb"), export_dir=str(tmp_path / "t"), **common)
    on_dask = nightly.with_options(task_runner=task_runner("dask", workers=2))(
        db_path=str(tmp_path / "d.duckdb"), export_dir=str(tmp_path / "d"), **common)
    assert on_dask.metrics_added == threads.metrics_added > 0
    assert _content(tmp_path / "d.duckdb") == _content(tmp_path / "t.duckdb")
    # The workers' crawl and parse task runs are recorded on the flow's own API (not on a temporary server each
    # worker would otherwise start for itself).
    assert TASK_KINDS <= _completed_task_kinds_of_the_latest_flow_run()


def test_a_dask_night_without_a_prefect_server_starts_one_temporary_server(tmp_path):
    # With no PREFECT_API_URL the flow runs on a temporary server; the workers must use it rather than each start
    # their own (which cost 10-20 s per worker, failed now and then, and recorded the task runs elsewhere).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    with serve_hosts_in_process(build_site(tmp_path / "site", reports=2), hosts=2) as bases:
        registry = tmp_path / "registry.toml"
        registry.write_text(registry_toml(sites_for(bases)), encoding="utf-8")
        done = subprocess.run([str(Path(sys.executable).parent / "fzzf"), "run", "--registry", str(registry),
                               "--db", str(tmp_path / "w.duckdb"), "--export", str(tmp_path / "exports"),
                               "--min-interval", "0.01", "--runner", "dask"],
                              env=env, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-2000:]
    assert output.count("Starting temporary server") == 1, output[-2000:]


def _completed_task_kinds_of_the_latest_flow_run(wait_s: float = 30.0) -> set[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    deadline = time.monotonic() + wait_s
    with get_client(sync_client=True) as client:
        latest = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)[0]
        while True:  # task runs from other processes are recorded from their events, a moment later
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[latest.id])))
            kinds = {run.name.split("-")[0] for run in runs if run.state is not None and run.state.is_completed()}
            if TASK_KINDS <= kinds or time.monotonic() > deadline:
                return kinds
            time.sleep(0.5)
