"""Markup nested deeper than any real page: flattened so tree walks stay within Python's recursion limit."""
from __future__ import annotations

import re

MAX_DEPTH = 200  # real government templates nest 20-40 deep; Python's recursion limit is 1000
TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)\b[^>]*>")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr"})


def flatten_deep(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` with the tags nested below `max_depth` dropped (their text kept), in one linear pass."""
    out: list[str] = []
    depth = 0
    last = 0
    for match in TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in VOID or match.group(0).endswith("/>"):
            continue
        keep = depth < max_depth if not closing else depth <= max_depth
        depth = depth + 1 if not closing else max(0, depth - 1)
        if not keep:
            out.append(html[last:match.start()])
            last = match.end()
    out.append(html[last:])
    return "".join(out)
