"""Generated docs, each from the one source of what it describes: docs/indicators.md (parsers/indicators.toml) and
the CSV header table of docs/data_dictionary.md (sql/seeds/column_docs.csv).

`make docs` (`python -m fzzf.warehouse.docgen [ROOT]`) rewrites them in the source tree at ROOT (default: the
working folder); tests/meta/test_docgen.py fails when a committed file differs from what this would write.
"""
from __future__ import annotations

import csv
import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

from fzzf.parsers.indicators import INDICATORS_FILE
from fzzf.warehouse.headers import COLUMN_DOCS


def csv_headers_table() -> str:
    """Markdown table: each column's English key, its Chinese CSV header and its meaning."""
    with COLUMN_DOCS.open(encoding="utf-8", newline="") as handle:
        rows = sorted((row["column"], *row["comment"].split(" / ", 1)) for row in csv.DictReader(handle))
    lines = ["| key (`--lang en`) | CSV 表头 (default) | meaning |", "|---|---|---|"]
    lines += [f"| `{key}` | {zh} | {en.replace('|', '/')} |" for key, zh, en in rows]
    return "\n".join(lines) + "\n"


def indicators_doc() -> str:
    """docs/indicators.md: every canonical indicator's names, unit, what counts and what does not."""
    data = tomllib.loads(INDICATORS_FILE.read_text(encoding="utf-8"))["indicator"]
    names = {row["key"]: row["name"] for row in data}
    lines = ["# Indicators / 指标", "",
             "<!-- generated from parsers/indicators.toml by `make docs`: edit the TOML, not this file -->", "",
             f"The {len(data)} canonical indicators fzzf reads from the reports, in the order of",
             "`parsers/indicators.toml`, the one source of indicators (keys, names, units, the phrases that name",
             "them and these definitions). Values are in the base unit: counts, 元 for money, 0–100 for %; in the",
             "marts a value is a level (no change, bound or range), the year's own figure first",
             "([data dictionary](data_dictionary.md)). 本文件由 `parsers/indicators.toml` 生成。", "",
             "| key | 中文名称 | English name | unit |", "|---|---|---|---|"]
    lines += [f"| [`{row['key']}`](#{row['key']}) | {row['name']} | {row['name_en']} | {row['unit']} |"
              for row in data]
    for row in data:
        lines += ["", f"## {row['key']}", "",
                  f"**{row['name']}** · {row['name_en']} · 单位 / unit: {row['unit']} "
                  f"(as written: {'、'.join(row['units'])})", "",
                  f"- **计入**: {row['definition']}<br>", f"  **Counts**: {row['definition_en']}",
                  f"- **不计入**: {row['not_included']}<br>", f"  **Does not count**: {row['not_included_en']}"]
        if "rate_of" in row:
            part, whole = row["rate_of"]
            lines += [f"- **核对 / checked against**: {names[part]} ÷ {names[whole]} (`{part}` / `{whole}`)"]
    return "\n".join(lines) + "\n"


# Whole files (relative to the source tree) and the function writing each.
FILES: dict[str, Callable[[], str]] = {"docs/indicators.md": indicators_doc}
# Blocks inside hand-written files: file -> marker name -> what goes between its markers.
BLOCKS: dict[str, dict[str, Callable[[], str]]] = {
    "docs/data_dictionary.md": {"csv-headers": csv_headers_table},
}


def _span(marker: str) -> re.Pattern:
    return re.compile(rf"(<!-- generated: {marker}\b.*?-->\n)(.*?)(<!-- end: {marker} -->)", re.S)


def generated(root: Path) -> dict[Path, str]:
    """Each generated file's full text as it should be (files with blocks: their text, every block regenerated)."""
    result = {Path(root) / name: render() for name, render in FILES.items()}
    for name, blocks in BLOCKS.items():
        path = Path(root) / name
        text = path.read_text(encoding="utf-8")
        for marker, render in blocks.items():
            match = _span(marker).search(text)
            if match is None:
                raise ValueError(f"{path}: no '<!-- generated: {marker} -->' … '<!-- end: {marker} -->' block")
            # Spliced by position: the generated text goes in as is, backslashes and all.
            text = text[:match.start(2)] + render() + text[match.end(2):]
        result[path] = text
    return result


def main(argv: list[str] | None = None) -> int:
    """Rewrite every generated file under ROOT that is stale; print which."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    for path, text in generated(root).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"rewrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
