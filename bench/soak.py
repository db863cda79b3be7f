"""`make soak`: two nights of the real flow over the demo sites plus hostile ones, with readers; one table.

Every attack of issue #9 is a site (or a page of one) served on loopback: an SSRF link through userinfo,
robots.txt that is large, gzip-encoded or redirected, a formula title, the same report under three URLs and
reposted on another host, pagers declaring ten million pages, a trickling body, headers sent one a second,
10,000 nested divs, a gzip bomb, a 5,000-digit numeral and a page in the wrong encoding. A second process
opens the published warehouse read-only over and over while both nights run, as analysts do.

The table says what a night must never do: rows lost (demo reports missing), duplicates (one report
counted twice), readers that saw an error, publishes torn (a table of the published file that fails a full
scan), plus the time and peak memory of the worst page when parsed on its own.
"""
from __future__ import annotations

import gzip
import multiprocessing
import resource
import sys
import tempfile
import time
import tomllib
import tracemalloc
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import duckdb

from fzzf.loopback import serve_sites
from fzzf.sites.registry import DEMO_DIR
from tests.support.hostile import HostileServer, Reply, slow_headers, trickle

# The soak's own whole-fetch deadline: a trickling page then costs seconds, not the nightly default's minutes.
FETCH_DEADLINE_S = 4.0
NIGHTS = 2
READER_PAUSE_S = 0.05
SECRET = b"<html><body><p>internal-admin-secret-token</p></body></html>"
FORMULA = '=HYPERLINK("http://evil.example/steal","x")'
LIST = ("<html><head><meta charset='utf-8'><title>法治政府建设(虚构示例)</title></head><body><ul class='list'>"
        "{items}</ul></body></html>")
ITEM = '<li><a href="{href}">{title}</a><span>2024-03-2{d}</span></li>'
REPORT = ("<html><head><meta charset='utf-8'><title>{title}</title></head><body><div class='article'>"
          "<h1>{title}</h1><p>发布日期:2024-03-2{d}</p><p>{title}(虚构示例,soak)。{body}</p></div></body></html>")
HANWEB_HUGE = ("<html><body><div id='4001'><script type='text/xml'><datastore><nextgroup></nextgroup><recordset>"
               "<record><![CDATA[<li><a href='/r/a.html'>虚构县2023年法治政府建设年度报告</a>"
               "<span>2024-03-20</span></li>]]></record></recordset></datastore></script></div>"
               "<script>var unitid=4001; totalRecord=10000000; perpage=15;</script>"
               "<totalrecord>10000000</totalrecord></body></html>")
TRS_HUGE = ("<html><body><ul><li><a href='./r/a.html'>虚构县2023年法治政府建设年度报告</a><span>2024-03-20</span></li>"
            "</ul><script>var countPage = 10000000; var currentPage = 0; "
            "createPageHTML(countPage, currentPage, 'index', 'html');</script></body></html>")


@dataclass
class Attack:
    """One hostile site: its routes, the family its list is read with, and what it tries."""

    site_id: str
    tries: str
    routes: dict
    family: str = "generic"
    start: str = "/list/index.html"


def _title(n: int) -> str:
    return f"虚构{n}县{2023}年法治政府建设年度报告"


def _report(n: int, body: str = "全年办理行政复议案件35件。", title: str | None = None) -> bytes:
    return REPORT.format(title=title or _title(n), d=n % 10, body=body).encode()


def _list(*links: tuple[str, str]) -> bytes:
    return LIST.format(items="".join(ITEM.format(href=h, title=t, d=i % 10)
                                     for i, (h, t) in enumerate(links))).encode()


def _attacks(secret: HostileServer) -> list[Attack]:
    disallow = b"User-agent: *\nDisallow: /\n"
    deep = ("<html><head><meta charset='utf-8'><title>" + _title(7) + "</title></head><body>" + "<div>" * 10_000
            + "<p>全年办理行政复议案件35件(虚构示例)。</p>" + "</div>" * 10_000 + "</body></html>").encode()
    bomb = gzip.compress(b"<p>" + b"0" * 100_000_000 + b"</p>", compresslevel=9)
    one = [("/r/a.html", _title(1))]
    return [
        Attack("ssrf", "link through userinfo to an internal service",
               {"/list/index.html": Reply(body=_list((f"http://127.0.0.9:x@{secret.netloc}/admin/secret", _title(2))))}),
        Attack("robots_gzip", "gzip-encoded robots.txt with Disallow: /",
               {"/robots.txt": Reply(body=gzip.compress(disallow), headers={"Content-Encoding": "gzip",
                                                                            "Content-Type": "text/plain"}),
                "/list/index.html": Reply(body=_list(*one)), "/r/a.html": Reply(body=_report(1))}),
        Attack("robots_large", "1.1 MB robots.txt with Disallow: / first",
               {"/robots.txt": Reply(body=disallow + b"# padding\n" * 110_000, headers={"Content-Type": "text/plain"}),
                "/list/index.html": Reply(body=_list(*one)), "/r/a.html": Reply(body=_report(1))}),
        Attack("robots_redirect", "robots.txt redirected twice",
               {"/robots.txt": Reply(301, headers={"Location": "/r1"}), "/r1": Reply(302, headers={"Location": "/r2"}),
                "/r2": Reply(body=disallow), "/list/index.html": Reply(body=_list(*one)),
                "/r/a.html": Reply(body=_report(1))}),
        Attack("formula", "a title that is a spreadsheet formula",
               {"/list/index.html": Reply(body=_list(("/r/f.html", FORMULA + _title(3)))),
                "/r/f.html": Reply(body=_report(3, title=FORMULA.replace('"', "&quot;") + _title(3)))}),
        Attack("dupes", "one report under three URLs (query, fragment) and reposted on another host",
               {"/list/index.html": Reply(body=_list(("/r/d.html", _title(4)), ("/r/d.html?from=list", _title(4)),
                                                     ("/r/d.html#top", _title(4)))),
                "/r/d.html": Reply(body=_report(4))}),
        Attack("pager_hanweb", "a Hanweb list declaring 10,000,000 records", {"/list/index.html": Reply(body=HANWEB_HUGE.encode()),
                                                                              "/r/a.html": Reply(body=_report(5))},
               family="hanweb"),
        Attack("pager_trs", "a TRS list declaring 10,000,000 pages", {"/list/index.html": Reply(body=TRS_HUGE.encode()),
                                                                      "/list/r/a.html": Reply(body=_report(6))},
               family="trs"),
        Attack("trickle", "a report body sent one byte at a time",
               {"/list/index.html": Reply(body=_list(("/r/slow.html", _title(8)), ("/r/ok.html", _title(9)))),
                "/r/slow.html": trickle(_report(8), every_s=0.05, limit_s=60), "/r/ok.html": Reply(body=_report(9))}),
        Attack("slow_headers", "response headers sent one every half second",
               {"/list/index.html": Reply(body=_list(("/r/slowh.html", _title(10)), ("/r/ok.html", _title(11)))),
                "/r/slowh.html": slow_headers(lines=120, every_s=0.5), "/r/ok.html": Reply(body=_report(11))}),
        Attack("deep", "10,000 nested <div>s",
               {"/list/index.html": Reply(body=_list(("/r/deep.html", _title(7)))), "/r/deep.html": Reply(body=deep)}),
        Attack("gzip_bomb", "a 100 MB page gzip-compressed to 100 KB",
               {"/list/index.html": Reply(body=_list(("/r/bomb.html", _title(12)))),
                "/r/bomb.html": Reply(body=bomb, headers={"Content-Encoding": "gzip"})}),
        Attack("numeral", "a 5,000-digit numeral",
               {"/list/index.html": Reply(body=_list(("/r/n.html", _title(13)))),
                "/r/n.html": Reply(body=_report(13, body="全年办理行政复议案件" + "9" * 5000 + "件。"))}),
        Attack("encoding", "GBK bytes declared UTF-8",
               {"/list/index.html": Reply(body=_list(("/r/g.html", _title(14)))),
                "/r/g.html": Reply(body=_report(14).decode().encode("gbk"))}),
    ]


def _registry(path: Path, demo: dict, attacks: list[Attack], servers: dict[str, HostileServer],
              repost: HostileServer) -> None:
    text = (DEMO_DIR / "registry.toml").read_text(encoding="utf-8")
    for name, server in demo.items():
        text = text.replace("{" + name + "}", server.base_url)
    for attack in attacks:
        text += (f'\n[[site]]\nid = "{attack.site_id}"\nname = "虚构{attack.site_id}县人民政府（虚构，soak）"\n'
                 f'province = "岚川省"\nlevel = "county"\nfamily = "{attack.family}"\n'
                 f'start_urls = ["{servers[attack.site_id].base_url}{attack.start}"]\n')
    # The repost: 虚构四县's report again on its justice bureau's site (same subject district, another host).
    text = text.replace('id = "dupes"', 'id = "dupes"\ndistrict = "虚构四县"')
    text += (f'\n[[site]]\nid = "repost"\nname = "虚构四县司法局（虚构，soak）"\nprovince = "岚川省"\nlevel = "county"\n'
             f'district = "虚构四县"\nstart_urls = ["{repost.base_url}/list/index.html"]\n')
    path.write_text(text, encoding="utf-8")


def _reader(live: str, stop, out) -> None:
    """Open the published warehouse read-only again and again, scanning every table, until told to stop."""
    opened = errors = 0
    messages: list[str] = []
    while not stop.is_set():
        if Path(live).exists():
            try:
                con = duckdb.connect(live, read_only=True)
                try:
                    _scan(con)
                finally:
                    con.close()
                opened += 1
            except duckdb.Error as exc:
                errors += 1
                messages.append(str(exc).splitlines()[0][:200])
        time.sleep(READER_PAUSE_S)
    out.send((opened, errors, messages[:5]))


def _scan(con: duckdb.DuckDBPyConnection) -> None:
    """Read every column of every table (a torn file fails here, not on a count)."""
    for (table,) in con.execute("select table_name from duckdb_tables() where schema_name = 'main'").fetchall():
        con.execute(f'select bit_xor(hash(columns(*))) from "{table}"').fetchall()


def _torn(live: Path) -> int:
    try:
        con = duckdb.connect(str(live), read_only=True)
        try:
            _scan(con)
        finally:
            con.close()
        return 0
    except duckdb.Error:
        return 1


def _expected_reports() -> set[str]:
    truth = tomllib.loads((DEMO_DIR / "expected.toml").read_text(encoding="utf-8"))
    return {r["path"] for r in truth["report"]}


def _outcomes(live: Path, secret: HostileServer, attacks: list[Attack], servers: dict) -> dict:
    con = duckdb.connect(str(live), read_only=True)
    try:
        current = con.execute("select site_id, url, text_sha, district, year from reports "
                              "where is_current and duplicate_of is null and kind = 'annual_report'").fetchall()
        statuses = dict(con.execute("select site_id, status from run_sites where run_id = "
                                    "(select run_id from runs order by started_at desc limit 1)").fetchall())
        leaked = con.execute("select count(*) from raw_pages where contains(decode(body, 'replace'), 'internal-admin-secret')"
                             ).fetchone()[0]
    finally:
        con.close()
    found = {"/" + url.split("/", 3)[3] for _site, url, *_ in current if url.count("/") >= 3}
    lost = len(_expected_reports() - found)
    texts = [sha for _s, _u, sha, *_ in current if sha]
    robots_pages = sum(servers[a.site_id].hits["/r/a.html"] for a in attacks if a.site_id.startswith("robots"))
    return {"lost": lost, "duplicates": len(texts) - len(set(texts)), "statuses": statuses,
            "secret_hits": sum(secret.hits.values()), "secret_stored": leaked, "robots_fetched": robots_pages}


def _formula_cells(export: Path) -> int:
    import csv

    cells = 0
    for path in (export / "latest").glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            cells += sum(1 for row in csv.reader(handle) for c in row if c[:1] in ("=", "+", "@", "\t", "\r"))
    return cells


def _pages(live: Path) -> tuple[int, int, str, float, float]:
    """Parse every stored page on its own: pages, pages parsed without an exception, the slowest page's
    URL and seconds, and the highest traced peak of any page in MiB."""
    from fzzf.parsers.report import parse_page

    con = duckdb.connect(str(live), read_only=True)
    try:
        pages = con.execute("select first_url, body, content_type from raw_pages").fetchall()
    finally:
        con.close()
    survived, worst_url, worst_s, worst_mib = 0, "", 0.0, 0.0
    for url, body, ctype in pages:
        tracemalloc.start()
        t0 = time.perf_counter()
        try:
            parse_page(bytes(body), url or "http://127.0.0.1/", ctype)
            survived += 1
        except Exception:  # noqa: BLE001 - counted: a page must never break the parser
            pass
        took = time.perf_counter() - t0
        worst_mib = max(worst_mib, tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
        if took > worst_s:
            worst_url, worst_s = url or "", took
    return len(pages), survived, worst_url, worst_s, worst_mib


def _night(registry: Path, db: Path, export: Path) -> tuple[int, float]:
    from fzzf.cli import main as cli

    t0 = time.perf_counter()
    code = cli(["run", "--registry", str(registry), "--db", str(db), "--export", str(export), "--min-interval", "0.01"])
    return code, time.perf_counter() - t0


def soak(work: Path) -> dict:
    """Serve everything, run NIGHTS nights with a reader process alongside; the measured outcomes."""
    from fzzf.scrapers import session as session_module

    session_module.PoliteSession.__init__.__kwdefaults__["max_fetch_seconds"] = FETCH_DEADLINE_S
    live, export = work / "fzzf.duckdb", work / "exports"
    with ExitStack() as stack:
        demo = serve_sites(DEMO_DIR)
        stack.callback(lambda: [s.stop() for s in demo.values()])
        secret = HostileServer({"/admin/secret": Reply(body=SECRET)}).start()
        stack.callback(secret.stop)
        attacks = _attacks(secret)
        servers = {a.site_id: HostileServer(a.routes).start() for a in attacks}
        stack.callback(lambda: [s.stop() for s in servers.values()])
        dupes = servers["dupes"]
        repost = HostileServer({"/list/index.html": Reply(body=_list(("/r/d.html", _title(4)))),
                                "/r/d.html": dupes.routes["/r/d.html"]}).start()
        stack.callback(repost.stop)
        registry = work / "registry.toml"
        _registry(registry, demo, attacks, servers, repost)
        ctx = multiprocessing.get_context("spawn")
        stop, (parent, child) = ctx.Event(), ctx.Pipe()
        reader = ctx.Process(target=_reader, args=(str(live), stop, child), daemon=True)
        reader.start()
        nights, torn = [], 0
        for _ in range(NIGHTS):
            nights.append(_night(registry, live, export))
            torn += _torn(live)
        stop.set()
        opened, reader_errors, messages = parent.recv()
        reader.join(10)
        outcome = _outcomes(live, secret, attacks, servers)
    pages, pages_ok, url, worst_s, worst_mib = _pages(live)
    sites = len(outcome["statuses"])
    survived = sum(1 for s in outcome["statuses"].values() if s != "error")
    return {"attacks": len(attacks) + 1, "nights": nights, "sites": sites, "survived": survived,
            "torn": torn, "pages": pages, "pages_ok": pages_ok, "reader_opens": opened, "reader_errors": reader_errors, "reader_messages": messages,
            "formula_cells": _formula_cells(export), "worst_url": url, "worst_s": worst_s, "worst_mib": worst_mib,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **outcome}


def main() -> list[tuple[str, str, str, float]]:
    """Run the soak and print its one table; `make soak` fails when any must-be-zero figure is not zero."""
    with tempfile.TemporaryDirectory(prefix="fzzf-soak-") as tmp:
        r = soak(Path(tmp))
    rows = [
        ("attacks tried", str(r["attacks"]), ""),
        ("nights (exit code, seconds)", ", ".join(f"{c} / {s:.1f}" for c, s in r["nights"]), ""),
        ("pages parsed alone without an exception", f"{r['pages_ok']} of {r['pages']}", "all"),
        ("sites survived (not `error`)", f"{r['survived']} of {r['sites']}", "all"),
        ("rows lost (demo reports missing)", str(r["lost"]), "0"),
        ("duplicates (same text counted twice)", str(r["duplicates"]), "0"),
        ("readers that saw an error", f"{r['reader_errors']} of {r['reader_opens']} opens", "0"),
        ("publishes torn", str(r["torn"]), "0"),
        ("internal service requests (SSRF)", str(r["secret_hits"]), "0"),
        ("secret stored", str(r["secret_stored"]), "0"),
        ("pages fetched past robots Disallow", str(r["robots_fetched"]), "0"),
        ("formula cells in exports", str(r["formula_cells"]), "0"),
        ("slowest page parsed alone", f"{r['worst_s'] * 1000:.0f} ms", r["worst_url"].rsplit("/", 1)[-1]),
        ("highest peak memory of one page", f"{r['worst_mib']:.0f} MiB traced", ""),
        ("peak RSS of the soak process", f"{r['peak_rss_mib']:.0f} MiB", ""),
    ]
    width = max(len(w) for w, *_ in rows)
    print(f"\n=== soak: {NIGHTS} nights, demo + hostile sites, a reader process alongside ===")
    print(f"{'':{width}}  {'measured':>28}  must be")
    for where, got, want in rows:
        print(f"{where:{width}}  {got:>28}  {want}")
    for status in sorted(set(r["statuses"].values())):
        print(f"  sites ending {status}: " + ", ".join(sorted(s for s, v in r["statuses"].items() if v == status)))
    for message in r["reader_messages"]:
        print("  reader error:", message)
    bad = [w for w, got, want in rows if want == "0" and not got.startswith("0")]
    bad += ["sites"] if r["survived"] != r["sites"] else []
    bad += ["pages"] if r["pages_ok"] != r["pages"] else []
    if bad:
        print("soak FAILED: " + "; ".join(bad), file=sys.stderr)
        raise SystemExit(1)
    return []


if __name__ == "__main__":
    main()
