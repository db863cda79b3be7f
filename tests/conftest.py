"""Shared fixtures: the Prefect test harness (once per session) and the demo sites on loopback."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The seed: text of a real published report (襄阳高新区 2023), copied from shared/seed so tests run anywhere.
SEED_TEXT = REPO / "tests" / "fixtures" / "seed" / "000_461943bee37e8ec1.txt"

# Tests must never reach a real Prefect API or the internet.
os.environ.pop("PREFECT_API_URL", None)
# The same Prefect defaults as every `fzzf` command (telemetry off, a patient first start), set before import.
from fzzf import runtime  # noqa: E402

runtime.configure()


@pytest.fixture(scope="session")
def prefect_harness():
    """A throw-away Prefect API for flow runs (about 12 s, paid once per session)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def demo_sites():
    """Every demo site folder served on its own 127.0.0.1 port."""
    from fzzf.demo import demo_servers

    with demo_servers() as servers:
        yield servers
