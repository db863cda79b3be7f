"""`fzzf serve`: the deployment's schedule, and its registration on a real Prefect server."""
from __future__ import annotations

import asyncio
import socket

from fzzf.flows.serve import DEPLOYMENT_NAME, nightly_deployment, prefect_server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_deployment_runs_at_two_in_the_morning_beijing_time(tmp_path):
    deployment = nightly_deployment("sites/registry.toml", str(tmp_path / "f.duckdb"), str(tmp_path / "x"))
    (schedule,) = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 * * *", "Asia/Shanghai")


def test_deployment_parameters_are_absolute_paths(tmp_path):
    deployment = nightly_deployment("sites/registry.toml", "warehouse/fzzf.duckdb", "exports")
    assert all(value.startswith("/") for value in deployment.parameters.values())
    assert deployment.concurrency_limit == 1


def test_deployment_registers_on_a_real_prefect_server(tmp_path, monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    monkeypatch.setenv("PREFECT_SERVER_DATABASE_CONNECTION_URL",
                       f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}")
    with prefect_server(_free_port()) as api_url, temporary_settings(updates={PREFECT_API_URL: api_url}):
        deployment_id = nightly_deployment("sites/registry.toml", "f.duckdb", "exports").apply()

        async def read():
            async with get_client() as client:
                return await client.read_deployment(deployment_id)

        stored = asyncio.run(read())
    assert stored.name == DEPLOYMENT_NAME
    assert [(s.schedule.cron, s.schedule.timezone) for s in stored.schedules] == [("0 2 * * *", "Asia/Shanghai")]
