"""Hanweb (大汉) lists: records inside `<script type="text/xml"><datastore>` as CDATA `<li>` fragments."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from fzzf.scrapers.families.base import ListPage, dedupe, harvest_links, next_page_links, page_count, soup_of

NAME = "hanweb"
DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.S | re.I)
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
TOTAL_PAGES = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I)
TOTAL_RECORDS = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
PER_PAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)|<perpage>\s*(\d+)\s*</perpage>", re.I)
UNIT_ID = re.compile(r"unitid\s*[=:]\s*['\"]?(\d+)", re.I)
# Without a `unitid=` anywhere, the unit is the numeric id of the element wrapping the datastore, or a
# `uid=` already used in a page link.
WRAPPER_ID = re.compile(r"<div[^>]*\bid\s*=\s*['\"]?(\d+)['\"]?[^>]*>\s*<script[^>]*>\s*<datastore>", re.I)
UID_PARAM = re.compile(r"[?&]uid=(\d+)", re.I)
COLUMN_URL = re.compile(r"/col/col\d+/")
PAGE_NUM = re.compile(r"pageNum=(\d+)", re.I)
# The jpaas/Hanweb list proxy answers one window of records per request:
# `/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15&columnid=C&unitid=U&webid=W...`
# (some sites drop the `web/`); its XML answer is the same <datastore> with a <totalrecord>.
DATAPROXY = re.compile(r"/module/(web/)?jpage/dataproxy\.jsp$", re.I)


def detect(url: str, html: str) -> bool:
    """A datastore block or a Hanweb column URL."""
    return "<datastore>" in html.lower() or bool(COLUMN_URL.search(url))


def parse(html: str, url: str) -> ListPage:
    """Records from the datastore (falling back to plain list markup) and the `pageNum` pages."""
    links = []
    shown = 0
    for block in DATASTORE.findall(html):
        for fragment in RECORD.findall(block):
            shown += 1
            links += harvest_links(soup_of(fragment), url, require_container=False)
    if not links:
        links = harvest_links(soup_of(html), url)
    pages = proxy_windows(html, url) if DATAPROXY.search(urlsplit(url).path) else page_urls(html, url, shown)
    pages += [u for u in next_page_links(soup_of(html), url) if u not in pages]
    return ListPage(dedupe(links), pages, NAME)


def page_urls(html: str, url: str, shown: int = 0) -> list[str]:
    """Hanweb columns answer `index.html?uid=UNIT&pageNum=N` with the N-th page of the same datastore.

    `shown` is the number of records on this page: on the first page, the page size when the template
    does not state one (a later page, the last one especially, may be shorter).
    """
    current = PAGE_NUM.search(urlsplit(url).query)
    this_page = int(current.group(1)) if current else 1
    pages = page_count(_total_pages(html, shown if this_page == 1 else 0))
    unit = UNIT_ID.search(html) or WRAPPER_ID.search(html) or UID_PARAM.search(html)
    if pages <= 1 or not unit:
        return []
    base = urljoin(url, urlsplit(url).path)
    # Page 1 is the column's own index.html, so the crawler's seen-set recognises it.
    return [base if n == 1 else f"{base}?{urlencode({'uid': unit.group(1), 'pageNum': n})}"
            for n in range(1, pages + 1) if n != this_page]


def proxy_windows(html: str, url: str) -> list[str]:
    """Every other `startrecord..endrecord` window of a dataproxy.jsp list, up to its <totalrecord>."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    records = TOTAL_RECORDS.search(html)
    try:
        start, end = int(query["startrecord"]), int(query["endrecord"])
    except (KeyError, ValueError):
        return []
    if not records or end < start:
        return []
    total, window = int(records.group(1) or records.group(2)), end - start + 1
    firsts = range(1, total + 1, window)
    urls = []
    for first in firsts[:page_count(len(firsts))]:
        if first != start:
            query.update(startrecord=str(first), endrecord=str(first + window - 1))
            urls.append(urlunsplit(parts._replace(query=urlencode(query))))
    return urls


def _total_pages(html: str, shown: int) -> int:
    match = TOTAL_PAGES.search(html)
    if match:
        return int(match.group(1))
    records, per = TOTAL_RECORDS.search(html), PER_PAGE.search(html)
    size = int(per.group(1) or per.group(2)) if per else shown
    if records and size:
        return -(-int(records.group(1) or records.group(2)) // size)
    return 1
