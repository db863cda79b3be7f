"""Generated docs: the CSV header table of docs/data_dictionary.md, from the one place columns are named.

`make docs` (`python -m fzzf.warehouse.docgen [ROOT]`) rewrites them in the source tree at ROOT (default: the
working folder); tests/meta/test_docgen.py fails when a committed file differs from what this would write.
"""
from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable
from pathlib import Path

from fzzf.warehouse.headers import COLUMN_DOCS


def csv_headers_table() -> str:
    """Markdown table: each column's English key, its Chinese CSV header and its meaning."""
    with COLUMN_DOCS.open(encoding="utf-8", newline="") as handle:
        rows = sorted((row["column"], *row["comment"].split(" / ", 1)) for row in csv.DictReader(handle))
    lines = ["| key (`--lang en`) | CSV 表头 (default) | meaning |", "|---|---|---|"]
    lines += [f"| `{key}` | {zh} | {en.replace('|', '/')} |" for key, zh, en in rows]
    return "\n".join(lines) + "\n"


# file (relative to the source tree) -> marker name -> what goes between its markers.
BLOCKS: dict[str, dict[str, Callable[[], str]]] = {
    "docs/data_dictionary.md": {"csv-headers": csv_headers_table},
}


def _span(marker: str) -> re.Pattern:
    return re.compile(rf"(<!-- generated: {marker}\b.*?-->\n)(.*?)(<!-- end: {marker} -->)", re.S)


def generated(root: Path) -> dict[Path, str]:
    """Each generated file's full text as it should be: its current text with every block regenerated."""
    result = {}
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
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"rewrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
