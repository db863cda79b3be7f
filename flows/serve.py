"""Serve the nightly flow on its schedule against a real Prefect server (starting one when none is set)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import prefect
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL, temporary_settings

from fzzf.flows.nightly import nightly

NIGHTLY_CRON = "0 2 * * *"
# A bare cron string is evaluated in UTC; the reports' world runs on Beijing time.
NIGHTLY_TIMEZONE = "Asia/Shanghai"
DEPLOYMENT_NAME = "fzzf-nightly"
FLOW_NAME = "fzzf-nightly"
SERVER_START_TIMEOUT_S = 120


def nightly_schedule() -> Cron:
    """02:00 every night, Asia/Shanghai."""
    return Cron(NIGHTLY_CRON, timezone=NIGHTLY_TIMEZONE)


def nightly_deployment(registry: str, db_path: str, export_dir: str, name: str = DEPLOYMENT_NAME,
                       parameters: dict[str, Any] | None = None) -> RunnerDeployment:
    """The scheduled deployment of the nightly flow, with absolute paths (and any `parameters`) as its parameters."""
    return nightly.to_deployment(
        name=name,
        schedules=[nightly_schedule()],
        parameters={**(parameters or {}), "registry": str(Path(registry).resolve()),
                    "db_path": str(Path(db_path).resolve()), "export_dir": str(Path(export_dir).resolve())},
        # One writer per DuckDB file: a slow night must not overlap the next one.
        concurrency_limit=1,
        # Load the flow by module (the package is installed), not by a path relative to the working directory.
        entrypoint_type=EntrypointType.MODULE_PATH,
        description="Nightly crawl, parse, load, publish and export of the rule-of-law government reports.",
    )


def serve_nightly(registry: str, db_path: str, export_dir: str, port: int = 4200,
                  options: dict[str, Any] | None = None) -> None:
    """Register the scheduled deployment (with nightly `options` such as csv_lang) and run it until interrupted."""
    serve_deployment(DEPLOYMENT_NAME, db_path, export_dir, port=port,
                     parameters={**(options or {}), "registry": registry})


def serve_deployment(name: str, db_path: str, export_dir: str, *, port: int, parameters: dict[str, Any],
                     note: str = "") -> None:
    """Register deployment `name` of the nightly flow, print how to trigger it, and serve it until interrupted."""
    params = dict(parameters)
    registry = params.pop("registry")
    with prefect_server(port) as api_url, temporary_settings(updates={PREFECT_API_URL: api_url}):
        # Flow runs started by the runner are child processes; they must reach the same server.
        os.environ["PREFECT_API_URL"] = api_url
        deployment = nightly_deployment(registry, db_path, export_dir, name=name, parameters=params)
        # Registered before the banner: its `deployment run` command must find the deployment at once
        # (serve registers it again, an update, when its runner starts).
        deployment.apply()
        print(banner(name, api_url, db_path, note), flush=True)
        # Stopping `serve` would otherwise pause the schedule until someone resumes it by hand.
        prefect.serve(deployment, pause_on_shutdown=False, print_starting_message=False)


def banner(name: str, api_url: str, db_path: str, note: str = "") -> str:
    """What `serve` prints first: the schedule, the server, and the two commands that trigger and check a run."""
    prefect_bin = Path(sys.executable).with_name("prefect")
    fzzf_bin = Path(sys.executable).with_name("fzzf")
    lines = [
        f"fzzf: serving deployment {FLOW_NAME}/{name}, every night at 02:00 {NIGHTLY_TIMEZONE} (cron {NIGHTLY_CRON})",
        f"  Prefect API {api_url} (UI {api_url.removesuffix('/api')})",
    ]
    if note:
        lines.append(f"  {note}")
    lines += [
        "  run it now, from another terminal (PREFECT_API_URL must name this server):",
        f"    PREFECT_API_URL={api_url} {prefect_bin if prefect_bin.exists() else 'prefect'} deployment run "
        f"{FLOW_NAME}/{name}",
        f"  then see it with: {fzzf_bin if fzzf_bin.exists() else 'fzzf'} status --db {Path(db_path).resolve()}",
        "  stop with Ctrl-C",
    ]
    return "\n".join(lines)


@contextmanager
def prefect_server(port: int) -> Iterator[str]:
    """Yield the API URL of the configured Prefect server, or start a local one for the block."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    api_url = f"http://127.0.0.1:{port}/api"
    if _healthy(api_url):
        yield api_url
        return
    log_path = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")) / "server.log"
    print(f"fzzf: starting a local Prefect server on port {port} (log: {log_path}); about 20 s the first time",
          flush=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(api_url, proc, log_path)
        yield api_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_healthy(api_url: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {proc.returncode}; see {log_path}")
        if _healthy(api_url):
            return
        time.sleep(1)
    raise RuntimeError(f"prefect server did not answer at {api_url} within {SERVER_START_TIMEOUT_S}s; see {log_path}")
