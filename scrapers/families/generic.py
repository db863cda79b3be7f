"""Fallback for any other CMS: list-item links outside the chrome, '下一页' and pager links."""
from __future__ import annotations

from fzzf.scrapers.families.base import ListPage, dedupe, harvest_links, next_page_links, soup_of

NAME = "generic"


def detect(url: str, html: str) -> bool:
    """Always applicable."""
    return True


def parse(html: str, url: str) -> ListPage:
    """Links in list items, plus next-page links."""
    soup = soup_of(html)
    return ListPage(dedupe(harvest_links(soup, url)), next_page_links(soup, url), NAME)
