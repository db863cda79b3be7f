"""Anhui's 信息公开 platform: `OpennessContent/show/NNN.html` detail pages listed in tables."""
from __future__ import annotations

import re

from fzzf.scrapers.families.base import ListPage, dedupe, harvest_links, next_page_links, soup_of

NAME = "anhui"
DETAIL_URL = re.compile(r"OpennessContent/show/\d+\.html|/public/\d+/\d+\.html", re.I)


def detect(url: str, html: str) -> bool:
    """Openness-platform URLs in the page or its address."""
    return bool(DETAIL_URL.search(html) or "OpennessInfo" in url or "/public/column/" in url)


def parse(html: str, url: str) -> ListPage:
    """Detail links (the platform's category tree is also made of links, so those are dropped)."""
    soup = soup_of(html)
    links = harvest_links(soup, url)
    details = [link for link in links if DETAIL_URL.search(link.url)]
    return ListPage(dedupe(details or links), next_page_links(soup, url), NAME)
