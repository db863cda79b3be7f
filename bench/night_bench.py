"""A simulated night over many unchanged loopback sites: the time split by phase, and Prefect's share of it.

Run: `.venv/bin/python -m bench.night_bench` (FZZF_BENCH_NIGHT_SITES=3000 sites by default, 2 reports each).
Night 1 fills the warehouse through the nightly flow. Then the same unchanged night runs: the flow's own task
bodies called in order without Prefect (`task.fn`, timed phase by phase), on a copy of the warehouse; then, in
FZZF_BENCH_NIGHT_ROUNDS=2 interleaved rounds, the same bodies on a plain thread pool in the flow's schedule
(crawls, parses and stores overlapping; each on its own copy) and the flow itself. Prefect's share is the best
flow night's extra time over the best night of the same schedule without it.
Every site is fictional (tests.support.simsites serves one folder on N ports from child processes, each port
as its own district's site, so the unchanged night is unchanged: 304s, nothing parsed again).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path

from fzzf import runtime

runtime.configure()  # as every `fzzf` command: before Prefect is imported (one Prefect home, telemetry off)

from fzzf.flows import batches, nightly  # noqa: E402
from fzzf.flows.batches import SessionSettings  # noqa: E402
from fzzf.flows.run_id import new_run_id  # noqa: E402
from fzzf.flows.summary import RunFailed  # noqa: E402
from fzzf.warehouse import db  # noqa: E402
from tests.support.simsites import build_site, registry_toml, serve_hosts_in_process, sites_for  # noqa: E402

SITES = int(os.environ.get("FZZF_BENCH_NIGHT_SITES", "3000"))
REPORTS = 2
INTERVAL = 0.05
HOSTS_PER_SERVER = 500
ROUNDS = int(os.environ.get("FZZF_BENCH_NIGHT_ROUNDS", "2"))
# Issue #13: Prefect's own cost under 10 % of a night.
TARGET_SHARE = 0.10


def main() -> list[tuple[str, str, str, float]]:
    """Run the three nights; print the phase table and return the Prefect-share row for `make bench`."""
    with tempfile.TemporaryDirectory() as tmp, simulated_registry(Path(tmp), SITES, REPORTS) as registry:
        live, exports = Path(tmp) / "night.duckdb", Path(tmp) / "exports"
        first = flow_night(registry, live, exports)
        phases = _plain_night(registry, _copy(live, Path(tmp) / "plain.duckdb"), Path(tmp) / "plain-exports")
        # The two nights the share compares, interleaved and the best of each: one night's noise on 2 shared
        # cores (±3 s) is as large as Prefect's whole cost.
        pipelined, flows = [], []
        for n in range(ROUNDS):
            pipelined.append(_pipelined_night(registry, _copy(live, Path(tmp) / f"pipelined{n}.duckdb"),
                                              Path(tmp) / f"pipelined-exports{n}"))
            flows.append(flow_night(registry, live, exports))
        pipelined_s, flow_s = min(pipelined), min(flows)
    plain_s = sum(phases.values())
    share = max(0.0, flow_s - pipelined_s) / flow_s
    print(f"{SITES} unchanged sites × ({REPORTS} reports archived), interval {INTERVAL} s")
    print(f"night 1 (fills the warehouse, starts Prefect's temporary server): {first:.1f} s")
    print(f"{'phase (plain task bodies)':<28}{'s':>8}{'share':>8}")
    for name, seconds in phases.items():
        print(f"{name:<28}{seconds:>8.2f}{seconds / flow_s:>8.1%}")
    print(f"{'plain total, phase by phase':<28}{plain_s:>8.2f}{plain_s / flow_s:>8.1%}")
    print(f"{'same bodies, flow schedule':<28}{pipelined_s:>8.2f}{pipelined_s / flow_s:>8.1%}   "
          f"(crawls, parses and stores overlapping as in the flow, on a plain thread pool)")
    print(f"{'Prefect (flow - schedule)':<28}{flow_s - pipelined_s:>8.2f}{share:>8.1%}   (target < {TARGET_SHARE:.0%})")
    print(f"{'flow night':<28}{flow_s:>8.2f}   (best of {ROUNDS}: {', '.join(f'{t:.1f}' for t in flows)}; "
          f"same schedule without Prefect: {', '.join(f'{t:.1f}' for t in pipelined)})")
    print(f"{'Prefect (flow - plain)':<28}{flow_s - plain_s:>8.2f}{max(0.0, flow_s - plain_s) / flow_s:>8.1%}   "
          "(against the phases one after another)")
    return [(f"night of {SITES} unchanged sites through Prefect (share target < {TARGET_SHARE:.0%})", f"{flow_s:.1f} s",
             f"same schedule, no Prefect {pipelined_s:.1f} s", flow_s / pipelined_s)]


def _copy(live: Path, target: Path) -> Path:
    for source, copy in ((live, target), (db.work_path(live), db.work_path(target))):
        shutil.copyfile(source, copy)
    return target


@contextmanager
def simulated_registry(folder: Path, sites: int, reports: int) -> Iterator[Path]:
    """A registry of `sites` simulated sites of `reports` reports each, served from child processes for the block."""
    root = build_site(folder / "site", reports)
    with ExitStack() as servers:
        # Several server processes: one process serving 3,000 ports starves its own threads.
        bases = [base for n in range(0, sites, HOSTS_PER_SERVER)
                 for base in servers.enter_context(serve_hosts_in_process(root, min(HOSTS_PER_SERVER, sites - n), n))]
        registry = folder / "registry.toml"
        registry.write_text(registry_toml(sites_for(bases)), encoding="utf-8")
        yield registry


def flow_night(registry: Path, live: Path, exports: Path, night=nightly.nightly) -> float:
    """Seconds for one night of `night` (the nightly flow, or it with other options) over `registry`."""
    started = time.perf_counter()
    try:
        night(registry=str(registry), db_path=str(live), export_dir=str(exports), min_interval_s=INTERVAL,
              site_retries=0)
    except RunFailed as exc:  # synthetic reposts may fail a data test; the night's work is done all the same
        print(f"(flow night: {exc})")
    return time.perf_counter() - started


def _plain_night(registry: Path, live: Path, exports: Path) -> dict[str, float]:
    """The flow's work without Prefect: the same task bodies, called in the flow's order, timed per phase."""
    path, run_id, phases = str(live), new_run_id(), {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = now - clock
        clock = now

    with db.run_lock(live):
        nightly.clean_after_crash(path)
        sites = nightly.read_registry.fn(str(registry), None)
        known = nightly.read_known_pages.fn(path, sites)
        nightly.begin_run.fn(path, run_id, str(registry), sites)
        lap("registry, archive, begin")
        settings = SessionSettings(min_interval=INTERVAL)
        crawls = batches.crawl_batch(sites, settings, known, timedelta(hours=24 * 7))
        lap("crawl (every host at once)")
        parsed = [p for part in batches.chunks(sites, nightly.SITES_PER_PARSE_TASK)
                  for p in batches.parse_batch(part, crawls, settings)]
        lap("extract and parse")
        with db.connect_work(live) as con:
            batches.store_batch(con, run_id, {s.id: s for s in sites}, parsed)
        lap("store (one writer)")
        failures = nightly.build_and_check.fn(path, run_id)
        lap("marts and data tests")
        nightly.end_run.fn(path, run_id, None)
        if not failures:
            nightly.publish.fn(path)
            lap("publish (verified)")
            nightly.export.fn(path, str(exports), run_id)
            lap("export and HTML report")
    return phases


def _pipelined_night(registry: Path, live: Path, exports: Path) -> float:
    """The flow's schedule without Prefect: its task bodies on a plain pool of the flow's size, submitted in the
    flow's order, stored in this thread as their parses finish (together when several did); returns seconds."""
    path, run_id, started = str(live), new_run_id(), time.perf_counter()
    with db.run_lock(live), ThreadPoolExecutor(nightly.DEFAULT_MAX_WORKERS) as pool:
        nightly.clean_after_crash(path)
        sites = nightly.read_registry.fn(str(registry), None)
        known = nightly.read_known_pages.fn(path, sites)
        nightly.begin_run.fn(path, run_id, str(registry), sites)
        settings, by_id = SessionSettings(min_interval=INTERVAL), {s.id: s for s in sites}
        plan = batches.plan_batches(sites, nightly.DEFAULT_MAX_WORKERS // 2)
        crawls = [pool.submit(batches.crawl_batch, batch, settings, {s.id: known.get(s.id, {}) for s in batch},
                              timedelta(hours=24 * 7)) for batch in plan]

        def parse(part: list, crawled: Future) -> list:
            return batches.parse_batch(part, crawled.result(), settings)

        parses = [pool.submit(parse, part, crawled) for batch, crawled in zip(plan, crawls)
                  for part in batches.parse_parts(batch, nightly.SITES_PER_PARSE_TASK, nightly.PARSE_TASKS_PER_CRAWL)]
        with db.connect_work(live) as con:
            for finished in batches.finished_groups(parses, as_completed(parses), Future.done):
                batches.store_batch(con, run_id, by_id, [p for done in finished for p in done.result()])
        failures = nightly.build_and_check.fn(path, run_id)
        nightly.end_run.fn(path, run_id, None)
        if not failures:
            nightly.publish.fn(path)
            nightly.export.fn(path, str(exports), run_id)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
