"""TRS WCM lists: `createPageHTML(n, i, "index", "html")` pagination (page 0 index.html, page i index_i.html)."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from fzzf.scrapers.families.base import ListPage, dedupe, harvest_links, next_page_links, page_count, soup_of

NAME = "trs"
# The classic call is `createPageHTML(total, current, "index", "html")`; newer templates wrap it as
# `createPageHTML('page_div', total, current, 'index', 'shtml', records)`. In both, the two numbers
# are the arguments just before the quoted prefix and extension, so anchor on those.
CREATE_PAGE = re.compile(
    r"createPageHTML\((?:[^;)]*?,)?\s*([\w.]+)\s*,\s*([\w.]+)\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
# TRS templates often pass variables: `var countPage = 7; var currentPage = 0; createPageHTML(countPage, ...)`.
VAR_ASSIGN = re.compile(r"\b([A-Za-z_$][\w$]*)\s*=\s*['\"]?(\d+)")
DETAIL_URL = re.compile(r"/t\d{8}_\d+\.s?html?")


def detect(url: str, html: str) -> bool:
    """TRS pagination script, or TRS-style detail links."""
    return "createPageHTML" in html or bool(DETAIL_URL.search(html))


def parse(html: str, url: str) -> ListPage:
    """Links from the list, and every other page the pager script announces."""
    soup = soup_of(html)
    links = dedupe(harvest_links(soup, url))
    pages = list(page_urls(html, url))
    pages += [u for u in next_page_links(soup, url) if u not in pages]
    return ListPage(links, pages, NAME)


def page_urls(html: str, url: str) -> list[str]:
    """All pages of `createPageHTML(total, current, prefix, ext)` except the current one."""
    match = CREATE_PAGE.search(html)
    if not match:
        return []
    total = _resolve(match.group(1), html)
    current = _resolve(match.group(2), html)
    prefix, ext = match.group(3), match.group(4)
    if total is None:
        return []
    urls = []
    for i in range(page_count(total)):
        if i == current:
            continue
        name = f"{prefix}.{ext}" if i == 0 else f"{prefix}_{i}.{ext}"
        urls.append(urljoin(url, name))
    return urls


def _resolve(token: str, html: str) -> int | None:
    if token.isdigit():
        return int(token)
    for name, value in VAR_ASSIGN.findall(html):
        if name == token:
            return int(value)
    return None
