"""The embedded demo: fictional government sites (plus one real report) served on loopback and crawled."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from fzzf.loopback import SiteServer, serve_sites
from fzzf.sites.registry import DEMO_DIR

DEMO_REGISTRY = DEMO_DIR / "registry.toml"
# Loopback answers in microseconds; the demo still goes through the per-host throttle, just a short one.
DEMO_MIN_INTERVAL_S = 0.02
# Report URLs include the port; fixed ports keep them stable, so a second `make run` finds its archive.
DEMO_BASE_PORT = int(os.environ.get("FZZF_DEMO_PORT", "18400"))


@contextmanager
def demo_servers(root: Path = DEMO_DIR, base_port: int = DEMO_BASE_PORT) -> Iterator[dict[str, SiteServer]]:
    """Serve every demo site folder on its own 127.0.0.1 port for the duration of the block."""
    servers = serve_sites(root, base_port=base_port)
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def substitutions(servers: dict[str, SiteServer]) -> dict[str, str]:
    """Registry placeholders: `{folder}` → `http://127.0.0.1:PORT`."""
    return {name: server.base_url for name, server in servers.items()}
