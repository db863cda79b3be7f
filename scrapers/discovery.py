"""List pages → report links and further list pages, through the matching CMS family adapter."""
from __future__ import annotations

from fzzf.scrapers.depth import flatten_deep
from fzzf.scrapers.encoding import decode_html
from fzzf.scrapers.families import adapter_for
from fzzf.scrapers.families.base import ListedLink, ListPage

__all__ = ["ListPage", "ListedLink", "parse_list_page"]


def parse_list_page(body: bytes | str, url: str, content_type: str | None = None,
                    family: str | None = None, max_pages: int | None = None) -> ListPage:
    """Links (url, title, listed_date) and at most `max_pages` next list-page URLs from one list page; no network."""
    html = body if isinstance(body, str) else decode_html(body, content_type).text
    adapter = adapter_for(url, html, family)
    try:
        page = adapter.parse(html, url)
    except RecursionError:  # thousands of nested elements: flatten the excess and parse again
        page = adapter.parse(flatten_deep(html), url)
    own = url.split("#")[0]
    page.next_urls = [u for u in page.next_urls if u != own][:max_pages]
    return page
