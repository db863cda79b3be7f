"""List items a template writes with `document.write`, e.g. TRS's 外链 switch:

    var str_1 = "./202103/t20210330_1.html"; var str_2 = ""; var str_3 = "标题";
    if (str_2 != "") {document.write("<a href='" + str_2 + "'>" + str_3 + "</a>");}
    else {document.write("<a href='" + str_1 + "'>" + str_3 + "</a>");}

The anchors exist only after the script runs, so each written string is rebuilt from its literals and the
script's own string variables (no JavaScript is executed) and parsed as HTML.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

ASSIGN = re.compile(r"""\b(?:var\s+|let\s+|const\s+)?([A-Za-z_$][\w$]*)\s*=\s*(["'])(.*?)(?<!\\)\2\s*[;\n]""")
WRITE = re.compile(r"document\.write(?:ln)?\s*\(")
# One operand of the written expression: a quoted literal or a variable name, then `+` or the closing `)`.
TOKEN = re.compile(r"""\s*(?:(["'])(.*?)(?<!\\)\1|([A-Za-z_$][\w$]*))\s*([+)])""", re.S)
HAS_ANCHOR = re.compile(r"<a\s", re.I)


def written_anchors(script: Tag) -> list[Tag]:
    """Anchors (with a non-empty href) that the script's document.write calls would produce."""
    code = script.string or ""
    if "document.write" not in code or not HAS_ANCHOR.search(code):
        return []
    values = {name: value for name, _, value in ASSIGN.findall(code)}
    anchors: list[Tag] = []
    for call in WRITE.finditer(code):
        html = _concatenate(code, call.end(), values)
        if html is None:
            continue
        for anchor in BeautifulSoup(html, "lxml").find_all("a", href=True):
            if anchor["href"].strip():
                anchors.append(anchor)
    return anchors


def _concatenate(code: str, position: int, values: dict[str, str]) -> str | None:
    """`"<a href='" + str_1 + "'>")` from `position` → the joined string; None when an operand is not a
    literal or a known string variable (a call, a ternary…)."""
    parts: list[str] = []
    while True:
        match = TOKEN.match(code, position)
        if not match:
            return None
        literal, name = match.group(2), match.group(3)
        if name is not None and name not in values:
            return None
        parts.append(literal if name is None else values[name])
        position = match.end()
        if match.group(4) == ")":
            return "".join(parts)
