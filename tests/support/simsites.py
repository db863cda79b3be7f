"""Simulated government sites for benches and scale tests: one folder served by N loopback hosts (fictional)."""
from __future__ import annotations

import re
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from fzzf.loopback import SiteServer
from fzzf.sites.registry import DEMO_DIR, Site

TEMPLATE = DEMO_DIR / "luting" / "zwgk" / "fzzfjsndbg" / "202403" / "t20240328_1000123.html"
LIST_PATH = "/col/index.html"
_ITEM = '<li><span class="date">2024-03-{day:02d}</span><a href="./{path}" title="{title}">{title}</a></li>'


def build_site(root: Path, reports: int = 10) -> Path:
    """A fictional TRS-style site: robots.txt, one list page and `reports` report pages (requests = reports + 2)."""
    template = TEMPLATE.read_text(encoding="utf-8")
    items = []
    for i in range(reports):
        path = f"202403/t202403{1 + i % 28:02d}_{200000 + i}.html"
        # One figure differs per page so every page is its own report version.
        body = re.sub(r"排查矛盾纠纷(\d+)", lambda m, i=i: f"排查矛盾纠纷{int(m.group(1)) + i}", template, count=1)
        target = root / "col" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        items.append(_ITEM.format(day=1 + i % 28, path=path, title=f"模拟区{2000 + i}年法治政府建设年度报告"))
    (root / "col" / "index.html").write_text(
        "<html><head><meta charset='utf-8'><title>法治政府建设年度报告</title></head><body><ul>"
        + "".join(items) + "</ul></body></html>", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return root


@contextmanager
def serve_hosts(root: Path, hosts: int) -> Iterator[list[SiteServer]]:
    """`hosts` loopback servers (distinct host:port) over the same folder."""
    servers = [SiteServer(root).start() for _ in range(hosts)]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


def sites_for(servers: list[SiteServer] | list[str]) -> list[Site]:
    """One fictional district site per server (or base URL)."""
    bases = [s if isinstance(s, str) else s.base_url for s in servers]
    return [Site(id=f"sim{i:05d}", name=f"模拟区{i}（虚构）", province="岚川省", level="district", family="trs",
                 start_urls=(base + LIST_PATH,)) for i, base in enumerate(bases)]


def _serve_forever(root: str, hosts: int, ready) -> None:
    import threading

    servers = [SiteServer(Path(root), keep_alive=True).start() for _ in range(hosts)]
    ready.send([s.base_url for s in servers])
    threading.Event().wait()


@contextmanager
def serve_hosts_in_process(root: Path, hosts: int) -> Iterator[list[str]]:
    """`hosts` loopback servers in a child process (so their CPU is not the crawler's); yields base URLs."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve_forever, args=(str(root), hosts, child), daemon=True)
    proc.start()
    try:
        yield parent.recv()
    finally:
        proc.terminate()
        proc.join(5)
