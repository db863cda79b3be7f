"""Run ids, written once: a UTC stamp plus 6 random hex digits (`reparse-` runs carry a prefix)."""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timezone

STAMP = "%Y%m%dT%H%M%SZ"
RUN_ID_RE = re.compile(r"^(?:[a-z]+-)?\d{8}T\d{6}Z-[0-9a-f]{6}$")


def new_run_id(prefix: str = "", now: datetime | None = None) -> str:
    """A new run id, e.g. `20261201T230000Z-1a2b3c` or `reparse-20261201T230000Z-1a2b3c`."""
    stamp = (now or datetime.now(timezone.utc)).strftime(STAMP)
    return f"{prefix}{'-' if prefix else ''}{stamp}-{secrets.token_hex(3)}"
