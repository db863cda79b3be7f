"""Analyst commands on the published warehouse: compare, indicators, districts, schema, chart."""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import duckdb

from fzzf.cli_inputs import EXPORT_FORMATS, SUFFIX_FORMATS, out_problem
from fzzf.warehouse import catalogue, csvsafe, db, query, status
from fzzf.warehouse.headers import DEFAULT_LANG, LANGS

DEFAULT_DB = db.DEFAULT_DB
FORMATS = EXPORT_FORMATS
# How many runs `fzzf status` shows, and after how many failed nights in a row a site is called out.
STATUS_RUNS = 10
STATUS_FAILING_NIGHTS = 3
EXIT_BAD_INPUT = 2
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–~:]\s*(\d{4}))?\s*$")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `compare`, `indicators`, `districts`, `schema` and `chart` to the `fzzf` command."""
    compare = subparsers.add_parser(
        "compare", help="compare one indicator across districts and years",
        description="Print or write one indicator as a district × year table, from the published warehouse.")
    _selection_options(compare)
    compare.add_argument("--by", choices=query.BY_CHOICES, default="district",
                         help="what the rows are: one row per district with a column per year (default), "
                              "or one row per year with a column per district")
    compare.add_argument("--format", choices=FORMATS,
                         help="csv (UTF-8 with BOM when written to a file, for Excel), parquet (needs --out) "
                              "or md (a Markdown table); default: from the --out suffix, else csv. A suffix "
                              "that names another format is an error")
    compare.add_argument("--out", type=Path, metavar="FILE",
                         help="write to FILE instead of standard output")
    _lang_option(compare)
    compare.set_defaults(handler=_cmd_compare)

    chart = subparsers.add_parser(
        "chart", help="draw one indicator across districts and years as a PNG",
        description="Draw one line per district over the years (the 12 largest), with Chinese labels.")
    _selection_options(chart)
    chart.add_argument("--out", type=Path, metavar="FILE.png", required=True, help="PNG file to write")
    chart.add_argument("--title", help="chart title (default: the indicator's Chinese name, unit and key)")
    chart.set_defaults(handler=_cmd_chart)

    for name, helptext, handler in (
        ("indicators", "list canonical indicators with how many districts and values report them", _cmd_indicators),
        ("districts", "list districts with their reports, years and figures", _cmd_districts),
    ):
        sub = subparsers.add_parser(name, help=helptext, description=helptext[0].upper() + helptext[1:] + ".")
        _db_option(sub)
        sub.add_argument("--format", choices=("text", "csv"), default="text",
                         help="text (aligned columns, default) or csv")
        _lang_option(sub)
        sub.set_defaults(handler=handler)

    status_ = subparsers.add_parser(
        "status", help="the last runs, each site's outcomes over them, and sites failing night after night",
        description="Read the published warehouse and print the last runs, the typed outcome of every site in "
                    "each of them (newest first), and the sites that failed several runs in a row.")
    _db_option(status_)
    status_.add_argument("--runs", type=_positive, default=STATUS_RUNS, metavar="N",
                         help=f"how many recent runs to show (default {STATUS_RUNS})")
    status_.add_argument("--failing-nights", type=_positive, default=STATUS_FAILING_NIGHTS, metavar="N",
                         help=f"call out sites failing this many runs in a row (default {STATUS_FAILING_NIGHTS})")
    status_.set_defaults(handler=_cmd_status)

    schema = subparsers.add_parser(
        "schema", help="print the documented schema (tables, marts and columns, in Chinese and English)",
        description="Print every table and view with its grain and every column with its comment.")
    _db_option(schema)
    schema.add_argument("--table", help="only this table or view (e.g. reports, mart_indicator_matrix)")
    schema.set_defaults(handler=_cmd_schema)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def years_range(text: str) -> tuple[int, int]:
    """Parse `2021` or `2020-2023` into an inclusive (first, last) pair of years reported on."""
    match = _YEARS.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"years must look like 2021 or 2020-2023, got {text!r}")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first > last:
        raise argparse.ArgumentTypeError(f"years {text!r}: the first year is after the last")
    if not 2000 <= first <= 2100:
        raise argparse.ArgumentTypeError(f"years {text!r}: outside 2000-2100")
    return first, last


def _selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--indicator", required=True, metavar="KEY",
                        help="canonical indicator key (e.g. disputes_resolved) or its Chinese name; "
                             "`fzzf indicators` lists them")
    parser.add_argument("--districts", nargs="+", metavar="NAME",
                        help="only these districts, by name (e.g. 甲区) or district id; "
                             "`fzzf districts` lists them")
    parser.add_argument("--province", help="only districts of this province (e.g. 湖北省)")
    parser.add_argument("--years", type=years_range, metavar="FIRST-LAST",
                        help="only these years reported on, e.g. 2020-2023 or 2022 (inclusive)")
    _db_option(parser)


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG,
                        help="CSV header row: zh, the Chinese column names Excel users read (default), or en, the "
                             "English keys of the SQL columns (docs/data_dictionary.md lists both)")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, metavar="FILE",
                        help=f"published warehouse file, opened read-only (default {DEFAULT_DB})")


def _open(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    try:
        return catalogue.open_warehouse(args.db)
    except catalogue.NotAWarehouse as exc:
        raise query.QueryError(f"--db {exc}" if args.db.exists() else str(exc)) from None



def _run(args: argparse.Namespace, body) -> int:
    """Open the warehouse, run `body(con)`, turn bad input into a message and exit code 2."""
    try:
        con = _open(args)
        try:
            return body(con) or 0
        finally:
            con.close()
    except query.QueryError as exc:
        print(f"fzzf {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # `fzzf districts | head`: the reader stopped listening, which is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _comparison(con: duckdb.DuckDBPyConnection, args: argparse.Namespace, by: str) -> query.Comparison:
    return query.compare(con, args.indicator, districts=args.districts, province=args.province,
                         years=args.years, by=by)


def _cmd_compare(args: argparse.Namespace) -> int:
    if args.format is None:
        args.format = _format_from_suffix(args.out)
    problem = out_problem(args.out, args.format)
    if problem:
        print(f"fzzf compare: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format == "parquet" and args.out is None:
        print("fzzf compare: --format parquet needs --out FILE (Parquet is binary)", file=sys.stderr)
        return EXIT_BAD_INPUT

    def body(con: duckdb.DuckDBPyConnection) -> int:
        result = _comparison(con, args, args.by)
        header, rows = labelled(result)
        if args.format == "parquet":
            _write_parquet(header, rows, args.out)
        else:
            # The same text on screen and in a file (845, not 845.0); a CSV starts with a BOM either way, so
            # `fzzf compare > x.csv` opens in Excel too.
            text = _markdown(result) if args.format == "md" else csvsafe.csv_text(header, rows, lang=args.lang)
            if args.out is not None:
                args.out.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        if not result.rows:
            print(f"fzzf compare: no values of {result.indicator} match the selection", file=sys.stderr)
        return 0

    return _run(args, body)


def _write_parquet(header: list[str], rows: list[list], out: Path) -> None:
    # pyarrow costs ~0.3 s to import: only the format that needs it loads it.
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({name: pa.array([row[i] for row in rows]) for i, name in enumerate(header)}) \
        if rows else pa.table({name: pa.array([], pa.string()) for name in header})
    pq.write_table(table, out)


def _format_from_suffix(out: Path | None) -> str:
    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    suffix = SUFFIX_FORMATS.get(suffix, suffix)
    return suffix if suffix in FORMATS else "csv"


def _cmd_chart(args: argparse.Namespace) -> int:
    problem = out_problem(args.out) or (None if args.out.suffix.lower() == ".png"
                                           else f"--out {args.out}: a chart is a PNG file (FILE.png)")
    if problem:
        print(f"fzzf chart: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT

    def body(con: duckdb.DuckDBPyConnection) -> int:
        from fzzf.warehouse.charts import plot_comparison  # matplotlib: ~0.6 s of imports, only for charts

        result = _comparison(con, args, "district")
        plot_comparison(result, args.out, title=args.title)
        print(f"wrote {args.out} ({len(result.rows)} districts)")
        return 0

    return _run(args, body)


def _cmd_indicators(args: argparse.Namespace) -> int:
    header = ["indicator", "name_zh", "unit", "districts_n", "values_n", "first_year", "last_year"]
    return _run(args, lambda con: _print_rows(header, query.list_indicators(con), args.format, args.lang))


def _cmd_districts(args: argparse.Namespace) -> int:
    header = ["district_id", "district", "province", "city", "level", "reports_n", "first_year", "last_year",
              "values_n"]
    return _run(args, lambda con: _print_rows(header, query.list_districts(con), args.format, args.lang))


def _cmd_schema(args: argparse.Namespace) -> int:
    def body(con: duckdb.DuckDBPyConnection) -> int:
        found = catalogue.relations(con, args.table)
        if not found:
            raise query.QueryError(f"no table or view named {args.table!r}")
        for relation in found:
            print(f"{relation.name} ({relation.kind}): {relation.comment}")
            width = max((len(c.name) for c in relation.columns), default=0)
            for column in relation.columns:
                print(f"  {column.name.ljust(width)}  {column.data_type:<12} {column.comment}")
            print()
        return 0

    return _run(args, body)


def _cmd_status(args: argparse.Namespace) -> int:
    def body(con: duckdb.DuckDBPyConnection) -> int:
        runs = status.recent_runs(con, args.runs)
        print(f"last {len(runs)} runs (newest first):")
        header = ["run_id", "started_at", "finished_at", "sites", "ok", "failed", "reports", "parsed"]
        _print_rows(header, [(r.run_id, _when(r.started_at), _when(r.finished_at) or "not finished", r.sites_n,
                              r.ok_n, r.failed_n, r.reports_found, r.pages_parsed) for r in runs], "text")
        histories = status.site_histories(con, args.runs)
        print("\nper site, newest run first:")
        _print_rows(["site_id", "outcomes", "last detail"],
                    [(h.site_id, " ".join(h.statuses), h.last_detail or "") for h in histories], "text")
        streaks = status.failing(histories, args.failing_nights)
        print(f"\nsites failing {args.failing_nights} or more runs in a row: {len(streaks) or 'none'}")
        for h in streaks:
            print(f"  ! {h.site_id}: {h.failing_streak} runs ({h.statuses[0]}: {h.last_detail or '-'})")
        return 0

    return _run(args, body)


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip() if moment is not None else ""


def _print_rows(header: list[str], rows: list[tuple], fmt: str, lang: str = DEFAULT_LANG) -> int:
    if fmt == "csv":
        sys.stdout.write(csvsafe.csv_text(header, rows, lang=lang))
        return 0
    cells = [header] + [["" if v is None else str(csvsafe.number(v)) for v in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    for row in cells:
        print("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip())
    return 0


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def labelled(result: query.Comparison) -> tuple[list[str], list[list]]:
    """The comparison with the indicator key, its Chinese name and unit on every row, as every export carries."""
    # Flagged values carry their checks in a trailing `quality` column (Comparison.with_quality).
    columns, rows = result.with_quality()
    header = ["indicator", "indicator_name", "unit", *columns]
    return header, [[result.indicator, result.indicator_name, result.unit, *row] for row in rows]


def _markdown(result: query.Comparison) -> str:
    lines = [f"**{result.indicator_name}** ({result.indicator}, {result.unit})", "",
             "| " + " | ".join(result.header) + " |", "|" + "---|" * len(result.header)]
    notes = {cell: n for n, cell in enumerate(sorted(result.quality), 1)}
    for i, row in enumerate(result.rows):
        # A flagged value keeps its number and gets a footnote mark: [1] below says which check touched it.
        lines.append("| " + " | ".join("" if v is None else str(csvsafe.number(v)) + (f" [{notes[(i, j)]}]" if (i, j) in notes
                                                                            else "")
                                       for j, v in enumerate(row)) + " |")
    if notes:
        lines.append("")
        lines += [f"[{n}] {result.rows[i][1] if result.header[0] == 'district_id' else result.rows[i][0]} "
                  f"{result.header[j]}: {result.quality[(i, j)]}" for (i, j), n in notes.items()]
    return "\n".join(lines) + "\n"

