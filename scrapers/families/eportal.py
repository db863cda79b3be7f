"""The eportal CMS of national ministries: a hidden pager input and `{module}-{n}.html` list pages.

Page 1 carries `<input name="article_paging_list_hidden" moduleid="M" totalpage="N">`; its 「下一页」 is a
`javascript:` link whose `tagname` attribute (and onclick argument) names page 2 as `…/M-2.html`. Page n
is a plain GET of the same path with `-n`. The path prefix is read from `tagname`, not rebuilt from
`moduleid`, because some modules use a long id of which the path keeps only part.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from fzzf.scrapers.families.base import ListPage, dedupe, harvest_links, next_page_links, page_count, soup_of

NAME = "eportal"
PAGER_INPUT = re.compile(r"<input[^>]*\bname\s*=\s*['\"]article_paging_list_hidden['\"][^>]*>", re.I)
TOTAL_PAGE = re.compile(r"\btotalpage\s*=\s*['\"]?(\d+)", re.I)
MODULE_ID = re.compile(r"\bmoduleid\s*=\s*['\"]?([\w-]+)", re.I)
TAGNAME = re.compile(r"\btagname\s*=\s*['\"]([^'\"]+?)-(\d+)\.html['\"]", re.I)
PAGE_SUFFIX = re.compile(r"-(\d+)\.html$")
COMMENT = re.compile(r"<!--.*?-->", re.S)


def detect(url: str, html: str) -> bool:
    """The hidden pager input."""
    return "article_paging_list_hidden" in html


def parse(html: str, url: str) -> ListPage:
    """List links, and every page `totalpage` announces as `{prefix}-{n}.html`."""
    soup = soup_of(html)
    links = dedupe(harvest_links(soup, url))
    pages = page_urls(html, url)
    pages += [u for u in next_page_links(soup, url) if u not in pages]
    return ListPage(links, pages, NAME)


def page_urls(html: str, url: str) -> list[str]:
    """Pages 1..totalpage except the current one; page 1 is the column's own first page."""
    html = COMMENT.sub("", html)  # a commented-out pager from an old template is not the live one
    pager = PAGER_INPUT.search(html)
    if not pager:
        return []
    total = TOTAL_PAGE.search(pager.group(0))
    if not total:
        return []
    prefix = _prefix(html, pager.group(0), url)
    if prefix is None:
        return []
    current = PAGE_SUFFIX.search(urlsplit(url).path)
    this_page = int(current.group(1)) if current else 1
    first = url if this_page == 1 else urljoin(url, "./")
    return [first if n == 1 else f"{prefix}-{n}.html"
            for n in range(1, page_count(int(total.group(1))) + 1) if n != this_page]


def _prefix(html: str, pager: str, url: str) -> str | None:
    named = TAGNAME.search(html)
    if named:
        return urljoin(url, named.group(1))
    module = MODULE_ID.search(pager)
    return urljoin(url, module.group(1)) if module else None
