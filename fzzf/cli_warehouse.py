"""Analyst commands on the published warehouse: compare, indicators, districts, schema, chart."""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from fzzf.warehouse import db, query
from fzzf.warehouse.charts import plot_comparison
from fzzf.warehouse.export import write_csv

DEFAULT_DB = db.DEFAULT_DB
FORMATS = ("csv", "parquet", "md")
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
    compare.add_argument("--format", choices=FORMATS, default="csv",
                         help="csv (UTF-8 with BOM when written to a file, for Excel), parquet (needs --out) "
                              "or md (a Markdown table); default csv")
    compare.add_argument("--out", type=Path, metavar="FILE",
                         help="write to FILE instead of standard output")
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
        sub.set_defaults(handler=handler)

    schema = subparsers.add_parser(
        "schema", help="print the documented schema (tables, marts and columns, in Chinese and English)",
        description="Print every table and view with its grain and every column with its comment.")
    _db_option(schema)
    schema.add_argument("--table", help="only this table or view (e.g. reports, mart_indicator_matrix)")
    schema.set_defaults(handler=_cmd_schema)


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


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, metavar="FILE",
                        help=f"published warehouse file, opened read-only (default {DEFAULT_DB})")


def _open(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    try:
        return db.connect_read(args.db)
    except FileNotFoundError as exc:
        raise query.QueryError(str(exc)) from None


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
    if args.format == "parquet" and args.out is None:
        print("fzzf compare: --format parquet needs --out FILE (Parquet is binary)", file=sys.stderr)
        return EXIT_BAD_INPUT

    def body(con: duckdb.DuckDBPyConnection) -> int:
        result = _comparison(con, args, args.by)
        table = pa.table({name: pa.array([row[i] for row in result.rows]) for i, name in enumerate(result.header)}) \
            if result.rows else pa.table({name: pa.array([], pa.string()) for name in result.header})
        if args.format == "parquet":
            pq.write_table(table, args.out)
        elif args.format == "csv" and args.out is not None:
            write_csv(table, args.out)
        else:
            text = _markdown(result) if args.format == "md" else _csv_text(result)
            if args.out is not None:
                args.out.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        if not result.rows:
            print(f"fzzf compare: no values of {result.indicator} match the selection", file=sys.stderr)
        return 0

    return _run(args, body)


def _cmd_chart(args: argparse.Namespace) -> int:
    def body(con: duckdb.DuckDBPyConnection) -> int:
        result = _comparison(con, args, "district")
        plot_comparison(result, args.out, title=args.title)
        print(f"wrote {args.out} ({len(result.rows)} districts)")
        return 0

    return _run(args, body)


def _cmd_indicators(args: argparse.Namespace) -> int:
    header = ["indicator", "name_zh", "unit", "districts_n", "values_n", "first_year", "last_year"]
    return _run(args, lambda con: _print_rows(header, query.list_indicators(con), args.format))


def _cmd_districts(args: argparse.Namespace) -> int:
    header = ["district_id", "district", "province", "city", "level", "reports_n", "first_year", "last_year",
              "values_n"]
    return _run(args, lambda con: _print_rows(header, query.list_districts(con), args.format))


def _cmd_schema(args: argparse.Namespace) -> int:
    def body(con: duckdb.DuckDBPyConnection) -> int:
        relations = con.execute(
            """
            with relations as (
                select table_name as name, 'table' as type, comment from duckdb_tables()
                where schema_name = 'main' and database_name = current_database()
                union all
                select view_name, 'view', comment from duckdb_views()
                where not internal and schema_name = 'main' and database_name = current_database()
            ),
            final as (
                select * from relations where $table is null or name = $table order by type, name
            )
            select * from final
            """, {"table": args.table}).fetchall()
        if not relations:
            raise query.QueryError(f"no table or view named {args.table!r}")
        for name, kind, comment in relations:
            print(f"{name} ({kind}): {comment or ''}")
            columns = con.execute(
                "select column_name, data_type, comment from duckdb_columns() "
                "where table_name = ? and database_name = current_database() order by column_index", [name]
            ).fetchall()
            width = max(len(c[0]) for c in columns)
            for column, data_type, note in columns:
                print(f"  {column.ljust(width)}  {data_type.lower():<12} {note or ''}")
            print()
        return 0

    return _run(args, body)


def _print_rows(header: list[str], rows: list[tuple], fmt: str) -> int:
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(rows)
        return 0
    cells = [header] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    for row in cells:
        print("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip())
    return 0


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _csv_text(result: query.Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(result.header)
    writer.writerows([["" if v is None else _num(v) for v in row] for row in result.rows])
    return buffer.getvalue()


def _markdown(result: query.Comparison) -> str:
    lines = [f"**{result.indicator_name}** ({result.indicator}, {result.unit})", "",
             "| " + " | ".join(result.header) + " |", "|" + "---|" * len(result.header)]
    for row in result.rows:
        lines.append("| " + " | ".join("" if v is None else str(_num(v)) for v in row) + " |")
    return "\n".join(lines) + "\n"


def _num(value):
    """845.0 prints as 845; 91.5 stays 91.5."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
