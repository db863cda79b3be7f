"""The night's crawl tasks run at the same time: parse tasks waiting for a crawl never hold the others back."""
from __future__ import annotations

import threading
import time

from tests.support.simsites import build_site, registry_toml, serve_hosts, sites_for

HOSTS = 12
REPORTS = 2
INTERVAL_S = 0.3  # robots + list + 2 reports = 4 requests, 3 intervals apart: each crawl lasts about a second


def test_every_crawl_batch_is_running_before_the_first_one_ends(prefect_harness, tmp_path, monkeypatch):
    from fzzf.flows import batches, nightly

    windows: list[tuple[float, float]] = []
    lock = threading.Lock()
    crawl_batch = batches.crawl_batch

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return crawl_batch(*args, **kwargs)
        finally:
            with lock:
                windows.append((started, time.perf_counter()))

    monkeypatch.setattr(batches, "crawl_batch", timed)
    # One site per parse task: 3 parse tasks per crawl batch, more tasks than the pool's 8 threads, as on a
    # night of thousands of sites with 25 per task.
    monkeypatch.setattr(nightly, "SITES_PER_PARSE_TASK", 1)
    root = build_site(tmp_path / "site", REPORTS)
    with serve_hosts(root, HOSTS) as servers:
        registry = tmp_path / "registry.toml"
        registry.write_text(registry_toml(sites_for(servers)), encoding="utf-8")
        summary = nightly.nightly(registry=str(registry), db_path=str(tmp_path / "w.duckdb"),
                                  export_dir=str(tmp_path / "exports"), min_interval_s=INTERVAL_S, site_retries=0)
    assert len(summary.sites) == HOSTS
    assert len(windows) == nightly.DEFAULT_MAX_WORKERS // 2
    assert max(start for start, _ in windows) < min(end for _, end in windows)
