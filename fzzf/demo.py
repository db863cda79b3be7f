"""The embedded demo: fictional government sites (plus one real report) served on loopback and crawled."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fzzf.loopback import SiteServer, serve_sites
from fzzf.sites.registry import DEMO_DIR

DEMO_REGISTRY = DEMO_DIR / "registry.toml"
DEMO_DEPLOYMENT = "fzzf-demo"
# Loopback answers in microseconds; the demo still goes through the per-host throttle, just a short one.
DEMO_MIN_INTERVAL_S = 0.02
# Each demo site has a stable address, http://127.0.0.1:(18400 + i), and report URLs always use it, so
# a second run finds its archive. The site is served there when the port is free, else on any free port,
# and the crawler's connections are sent there (PoliteSession aliases): the identity never changes.
DEMO_BASE_PORT = int(os.environ.get("FZZF_DEMO_PORT", "18400"))


def demo_folders(root: Path = DEMO_DIR) -> list[str]:
    """The demo site folders, in the order that gives each its stable port."""
    return sorted(p.name for p in root.iterdir() if p.is_dir())


def stable_substitutions(root: Path = DEMO_DIR, base_port: int = DEMO_BASE_PORT) -> dict[str, str]:
    """Registry placeholders: `{folder}` -> the site's stable `http://127.0.0.1:PORT`."""
    return {name: f"http://127.0.0.1:{base_port + i}" for i, name in enumerate(demo_folders(root))}


@contextmanager
def demo_servers(root: Path = DEMO_DIR, base_port: int = DEMO_BASE_PORT) -> Iterator[dict[str, SiteServer]]:
    """Serve every demo site folder on its own 127.0.0.1 port (its stable one when free) for the block."""
    servers = serve_sites(root, base_port=base_port)
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def substitutions(servers: dict[str, SiteServer], base_port: int = DEMO_BASE_PORT) -> dict[str, str]:
    """Registry placeholders for the running servers: their stable addresses (the same on every run)."""
    stable = stable_substitutions(base_port=base_port)
    return {name: stable[name] for name in servers}


def aliases(servers: dict[str, SiteServer], base_port: int = DEMO_BASE_PORT) -> dict[str, str]:
    """Stable address -> where the site is served now, for the crawler's connections."""
    stable = stable_substitutions(base_port=base_port)
    return {stable[name]: server.base_url for name, server in servers.items()}


def nightly_parameters(servers: dict[str, SiteServer]) -> dict[str, Any]:
    """The nightly flow's demo-specific parameters: registry, placeholders, aliases, a short throttle."""
    return {"registry": str(DEMO_REGISTRY), "substitutions": substitutions(servers), "aliases": aliases(servers),
            "min_interval_s": DEMO_MIN_INTERVAL_S}


def run_demo(db: Path, export: Path, options: dict[str, Any] | None = None):
    """Serve the demo sites and run the nightly flow once against them (with `options`); returns its RunSummary."""
    from fzzf.flows.nightly import nightly

    with demo_servers() as servers:
        return nightly(db_path=str(db), export_dir=str(export), **(options or {}), **nightly_parameters(servers))


def serve_demo(db: Path, export: Path, port: int = 4200, options: dict[str, Any] | None = None) -> None:
    """Keep the demo sites up and serve the nightly deployment against them until interrupted."""
    from fzzf.flows.serve import serve_deployment

    with demo_servers() as servers:
        params = {**(options or {}), **nightly_parameters(servers)}
        sites = ", ".join(f"{name} {server.base_url}" for name, server in servers.items())
        serve_deployment(name=DEMO_DEPLOYMENT, db_path=str(db), export_dir=str(export), port=port,
                         parameters=params, note=f"demo sites up ({len(servers)}): {sites}")
