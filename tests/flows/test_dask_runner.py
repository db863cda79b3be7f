"""The nightly flow on a 2-worker Dask LocalCluster of processes writes the same warehouse as the thread runner."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from fzzf.demo import DEMO_MIN_INTERVAL_S, DEMO_REGISTRY, aliases, substitutions

pytest.importorskip("prefect_dask")
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
