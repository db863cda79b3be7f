"""Simulated government sites for benches and scale tests: one folder served by N loopback hosts (fictional).

Each host serves the folder as its own fictional district's site: the template's district (鹭汀区) becomes the
host's (模拟甲乙区, from its number), so no two sites carry the same report and a second night over unchanged
sites is unchanged (conditional GETs answered 304, nothing parsed again) rather than a night of reposts.
Within a site, report i reports on year 2023 - i, so its reports are not near-duplicates of each other either.
"""
from __future__ import annotations

import hashlib
import re
from contextlib import ExitStack, contextmanager
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from fzzf.loopback import ServedFile, SiteServer
from fzzf.sites.registry import DEMO_DIR, Site

TEMPLATE = DEMO_DIR / "luting" / "zwgk" / "fzzfjsndbg" / "202403" / "t20240328_1000123.html"
LIST_PATH = "/col/index.html"
# The template's district, replaced on the fly by each host's own.
TEMPLATE_DISTRICT = "鹭汀区"
_ITEM = '<li><span class="date">2024-03-{day:02d}</span><a href="./{path}" title="{title}">{title}</a></li>'
_DIGITS = "甲乙丙丁戊己庚辛壬癸"


def district(number: int) -> str:
    """The fictional district of simulated site `number`: 模拟 + its digits as 甲乙丙… + 区."""
    return "模拟" + "".join(_DIGITS[int(d)] for d in str(number)) + "区"


def build_site(root: Path, reports: int = 10) -> Path:
    """A fictional TRS-style site: robots.txt, one list page and `reports` report pages (requests = reports + 2)."""
    template = TEMPLATE.read_text(encoding="utf-8")
    items = []
    for i in range(reports):
        path = f"202403/t202403{1 + i % 28:02d}_{200000 + i}.html"
        # One figure and the year differ per page so every page is its own report, of its own year.
        body = re.sub(r"排查矛盾纠纷(\d+)", lambda m, i=i: f"排查矛盾纠纷{int(m.group(1)) + i}", template, count=1)
        body = body.replace("2023", str(2023 - i))
        target = root / "col" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        items.append(_ITEM.format(day=1 + i % 28, path=path, title=f"模拟区{2023 - i}年法治政府建设年度报告"))
    (root / "col" / "index.html").write_text(
        "<html><head><meta charset='utf-8'><title>法治政府建设年度报告</title></head><body><ul>"
        + "".join(items) + "</ul></body></html>", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return root


@dataclass
class SimSiteServer(SiteServer):
    """The shared folder served as simulated site `number`: its pages name that site's own district."""

    number: int = 0

    def lookup(self, path: str) -> ServedFile | None:
        """The folder's file with the template's district replaced by this site's (validators of the result)."""
        served = super().lookup(path)
        if served is None or not served.content_type.startswith("text/html"):
            return served
        body = served.body.replace(TEMPLATE_DISTRICT.encode(), district(self.number).encode())
        return replace(served, body=body, etag='"' + hashlib.sha256(body).hexdigest()[:16] + '"')


@contextmanager
def serve_hosts(root: Path, hosts: int, first: int = 0) -> Iterator[list[SiteServer]]:
    """`hosts` loopback servers (distinct host:port) over the same folder, as sites first, first + 1, ..."""
    with ExitStack() as stack:
        servers: list[SiteServer] = []
        for n in range(first, first + hosts):
            servers.append(SimSiteServer(root, number=n).start())
            stack.callback(servers[-1].stop)
        yield servers


def sites_for(servers: list[SiteServer] | list[str], first: int = 0) -> list[Site]:
    """One fictional district site per server (or base URL), numbered from `first` as the servers are."""
    bases = [s if isinstance(s, str) else s.base_url for s in servers]
    return [Site(id=f"sim{i:05d}", name=f"{district(i)}人民政府（虚构）", province="岚川省", district=district(i),
                 level="district", family="trs", start_urls=(base + LIST_PATH,))
            for i, base in enumerate(bases, first)]


def registry_toml(sites: list[Site]) -> str:
    """The sites as a registry file's `[[site]]` entries (what `fzzf run --registry` reads)."""
    return "".join(f'[[site]]\nid = "{s.id}"\nname = "{s.name}"\nprovince = "{s.province}"\n'
                   + (f'district = "{s.district}"\n' if s.district else "")
                   + f'level = "{s.level}"\nfamily = "{s.family}"\nstart_urls = ["{s.start_urls[0]}"]\n\n'
                   for s in sites)


def _serve_forever(root: str, hosts: int, first: int, ready) -> None:
    import asyncio

    # Every host's responses built once, from SimSiteServer's own lookup (same bodies and validators), and
    # served by one asyncio loop: the benches measure the crawler, not http.server's ~0.4 ms of CPU a request
    # on the cores the crawler shares (real sites' CPU is on their own machines).
    paths = ["/" + p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.is_file()]

    async def serve() -> None:
        bases = []
        for n in range(first, first + hosts):
            site = SimSiteServer(Path(root), number=n)
            responses = {path: _responses(served) for path in paths if (served := site.lookup(path)) is not None}
            server = await asyncio.start_server(lambda r, w, responses=responses: _answer(r, w, responses),
                                                "127.0.0.1", 0)
            bases.append(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}")
        ready.send(bases)
        await asyncio.Event().wait()

    asyncio.run(serve())


_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


def _responses(served: ServedFile) -> tuple[bytes, bytes, bytes]:
    """(etag, the 200 response, the 304 response) of one file, as whole HTTP/1.1 messages."""
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: {served.content_type}\r\nContent-Length: {len(served.body)}\r\n"
            f"ETag: {served.etag}\r\nLast-Modified: {served.last_modified}\r\n\r\n").encode()
    return served.etag.encode(), head + served.body, f"HTTP/1.1 304 Not Modified\r\nETag: {served.etag}\r\n\r\n".encode()


async def _answer(reader, writer, responses: dict[str, tuple[bytes, bytes, bytes]]) -> None:
    """Answer GETs on one kept-alive connection until the client closes it."""
    import asyncio

    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            target = lines[0].split(b" ")[1].decode("latin-1")
            fields = dict(line.split(b":", 1) for line in lines[1:] if b":" in line)
            headers = {k.strip().lower(): v.strip() for k, v in fields.items()}
            path = unquote(urlsplit(target).path)
            found = responses.get(path + "index.html" if path.endswith("/") else path)
            if found is None:
                writer.write(_NOT_FOUND)
            else:
                etag, full, not_modified = found
                writer.write(not_modified if headers.get(b"if-none-match") == etag else full)
            await writer.drain()
            if headers.get(b"connection", b"").lower() == b"close":
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, IndexError, ValueError):
        pass
    finally:
        writer.close()


@contextmanager
def serve_hosts_in_process(root: Path, hosts: int, first: int = 0) -> Iterator[list[str]]:
    """`hosts` loopback servers in a child process (so their CPU is not the crawler's); yields base URLs.

    The servers are sites first, first + 1, ... (see `sites_for`).
    """
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve_forever, args=(str(root), hosts, first, child), daemon=True)
    proc.start()
    try:
        yield parent.recv()
    finally:
        proc.terminate()
        proc.join(5)
