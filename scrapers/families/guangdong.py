"""Guangdong's 政务公开 platform: `content/post_NNN.html` pages, `gkmlpt` lists and their JSON API."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone, timedelta
from urllib.parse import urljoin

from fzzf.scrapers.families.base import (
    ListedLink, ListPage, dedupe, harvest_links, next_page_links, page_count, parse_list_date, soup_of,
)

NAME = "guangdong"
POST_URL = re.compile(r"/(content/(\d+/)*)?post_\d+\.html")
GKMLPT = re.compile(r"/gkmlpt/")
CHINA_TZ = timezone(timedelta(hours=8))


def detect(url: str, html: str) -> bool:
    """A gkmlpt URL, a gkmlpt JSON answer, or `post_NNN.html` links."""
    return bool(GKMLPT.search(url) or POST_URL.search(html) or html.lstrip().startswith("{"))


def parse(body: str, url: str) -> ListPage:
    """JSON from `/gkmlpt/api/...`, else the HTML list; pagination from the JSON totals or the pager."""
    if body.lstrip().startswith("{"):
        return _parse_json(body, url)
    soup = soup_of(body)
    links = harvest_links(soup, url)
    posts = [link for link in links if POST_URL.search(link.url)]
    # On these sites the column also links to sibling columns; keep only posts when there are any.
    return ListPage(dedupe(posts or links), next_page_links(soup, url), NAME)


def _parse_json(body: str, url: str) -> ListPage:
    try:
        data = json.loads(body)
    except ValueError:
        return ListPage([], [], NAME)
    links = []
    for item in data.get("articles") or []:
        if not isinstance(item, dict) or not item.get("url") or not item.get("title"):
            continue
        links.append(ListedLink(urljoin(url, item["url"]), str(item["title"]).strip(), _item_date(item)))
    pages = []
    total, size, page = data.get("total"), data.get("page_size") or len(links), data.get("page") or 1
    if isinstance(total, int) and size:
        last = page_count(-(-total // size))
        base = url.split("?")[0]
        pages = [f"{base}?page={n}" for n in range(1, last + 1) if n != page]
    return ListPage(dedupe(links), pages, NAME)


def _item_date(item: dict):
    for key in ("first_publish_time", "publish_time", "date"):
        value = item.get(key)
        if isinstance(value, (int, float)) and value > 0:
            # The API gives Unix seconds; the date printed on the site is Beijing time.
            return datetime.fromtimestamp(value, CHINA_TZ).date()
        if isinstance(value, str):
            parsed = parse_list_date(value)
            if parsed:
                return parsed
    return None
