"""Process defaults for Prefect, set before it is imported: one home, no telemetry, a patient first start."""
from __future__ import annotations

import os
import sys
from pathlib import Path

# Prefect keeps its state in the working directory's .prefect/, the same folder `make` uses, so a direct
# `.venv/bin/fzzf ...` and `make run` from the checkout see the same runs and deployments.
PREFECT_HOME_DIR = ".prefect"
# Offline servers (and many government networks) cannot reach Prefect's analytics endpoint; every run
# then logged `Failed to send telemetry`. Off unless the operator turns it on.
# A fresh PREFECT_HOME takes 17-19 s (2 cores) to migrate the temporary server's database, close to
# Prefect's 20 s default, and a first run then died with a traceback.
DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def configure(cwd: Path | None = None) -> dict[str, str]:
    """Set every default the environment does not already set; returns those set.

    Only before Prefect is imported: it reads its settings then, and a later change would apply only in part.
    """
    if "prefect" in sys.modules:
        return {}
    chosen = dict(DEFAULTS, PREFECT_HOME=str((cwd or Path.cwd()).resolve() / PREFECT_HOME_DIR))
    applied = {key: value for key, value in chosen.items() if key not in os.environ}
    os.environ.update(applied)
    return applied
