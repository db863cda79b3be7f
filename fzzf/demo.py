"""The embedded demo: fictional government sites (plus one real report) served on loopback and crawled."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from fzzf.loopback import SiteServer, serve_sites
from sites.registry import DEMO_DIR

DEMO_REGISTRY = DEMO_DIR / "registry.toml"
# Loopback answers in microseconds; the demo still goes through the per-host throttle, just a short one.
DEMO_MIN_INTERVAL_S = 0.02


@contextmanager
def demo_servers(root: Path = DEMO_DIR) -> Iterator[dict[str, SiteServer]]:
    """Serve every demo site folder on its own 127.0.0.1 port for the duration of the block."""
    servers = serve_sites(root)
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def substitutions(servers: dict[str, SiteServer]) -> dict[str, str]:
    """Registry placeholders: `{folder}` → `http://127.0.0.1:PORT`."""
    return {name: server.base_url for name, server in servers.items()}
