"""Shared pieces of the list-page adapters: the ListPage record, link harvesting, dates, next-page links."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

# Item-level helpers live in items.py; parse_list_date is re-exported for the guangdong adapter.
from fzzf.scrapers.families.items import (  # noqa: F401 - parse_list_date is a re-export
    MIN_TITLE_CHARS, MORE_TEXT, PAGER_WORD, SKIP_HREF, best_title, date_beside, item_target, parse_list_date,
    title_beside,
)
from fzzf.scrapers.families.scripted import written_anchors

CJK = re.compile(r"[\u4e00-\u9fff]")
CHROME_HINT = re.compile(
    r"(^|[\s_])(nav\w*|menu|footer|foot|header|head|top|banner|\w*crumbs?|position|location|dqwz|bottom|copyright|sitemap|share)"
    r"(?=[\s_-]|\d|$)",
    re.I,
)
# 「下一页」 as templates write it: bare, 「[下一页]」, 「下一页>>」, 「下一页 »」, or just an arrow.
NEXT_TEXT = re.compile(r"^[\[【(（<«‹\s]*(下一页|下页|后一页|后页|next)[\s\]】)）>»›]*$|^(>|›|»)$", re.I)
PAGER_HINT = re.compile(r"page|pag|fenye|fy|pg", re.I)
PAGE_NUMBER = re.compile(r"^\d{1,4}$")
LIST_CONTAINERS = ("li", "tr", "dd", "dt", "p")
# A pager that declares millions of pages (hostile or broken) must not make millions of URLs: page URLs
# are generated up to this ceiling, and the crawl trims them again to the site's own page cap.
MAX_PAGE_URLS = 500


class ListedLink(NamedTuple):
    """One link on a list page: absolute URL, full title, and the date printed beside it."""

    url: str
    title: str
    listed_date: date | None


@dataclass
class ListPage:
    """What a list page yields: its links (deduplicated) and further list pages to visit."""

    links: list[ListedLink] = field(default_factory=list)
    next_urls: list[str] = field(default_factory=list)
    family: str = "generic"


def page_count(declared: int) -> int:
    """A declared number of list pages, bounded by MAX_PAGE_URLS."""
    return max(0, min(declared, MAX_PAGE_URLS))


def soup_of(html: str) -> BeautifulSoup:
    """Parse HTML with lxml."""
    return BeautifulSoup(html, "lxml")


def harvest_links(root: Tag, base_url: str, *, require_container: bool = True) -> list[ListedLink]:
    """Links in list items (li/tr/dd) outside the page chrome, with their best title and listed date.

    Templates that lay lists out as bare `<div><a/><span>date</span></div>` have no list items; when
    the strict pass finds nothing, anchors anywhere count, each dated from its parent element. When it
    finds only undated items (a sidebar `<ul>` of sibling columns beside a `<div>` list), the dated
    anchors outside list items are added: a dated anchor is a list entry wherever it sits.
    """
    found = _harvest(root, base_url, require_container)
    if not require_container:
        return found
    if not found:
        return _harvest(root, base_url, False)
    if any(link.listed_date for link in found):
        return found
    known = {link.url for link in found}
    return found + [link for link in _harvest(root, base_url, False)
                    if link.listed_date and link.url not in known]


def dedupe(links: list[ListedLink]) -> list[ListedLink]:
    """One entry per URL (keeping the longest title and any date), in first-seen order."""
    merged: dict[str, ListedLink] = {}
    for link in links:
        key = _url_key(link.url)
        old = merged.get(key)
        if old is None:
            merged[key] = link
            continue
        title = link.title if len(link.title) > len(old.title) else old.title
        merged[key] = ListedLink(old.url, title, old.listed_date or link.listed_date)
    return list(merged.values())


def next_page_links(soup: BeautifulSoup, base_url: str) -> list[str]:
    """'下一页' links and numbered links inside a pager, as absolute URLs on the same host."""
    host = urlsplit(base_url).netloc
    urls: list[str] = []
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"].strip()
        if SKIP_HREF.match(href):
            continue
        text = anchor.get_text(strip=True)
        in_pager = any(PAGER_HINT.search(" ".join(p.get("class", [])) + " " + (p.get("id") or ""))
                       for p in anchor.parents if isinstance(p, Tag) and p.name in ("div", "ul", "p", "span", "td"))
        if NEXT_TEXT.match(text) or (in_pager and PAGE_NUMBER.match(text)):
            url = urldefrag(urljoin(base_url, href)).url
            if urlsplit(url).netloc == host and _url_key(url) != _url_key(base_url):
                urls.append(url)
    return list(dict.fromkeys(urls))[:MAX_PAGE_URLS]


def _in_chrome(anchor: Tag) -> bool:
    for parent in anchor.parents:
        if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
            continue
        if parent.name in ("nav", "header", "footer"):
            return True
        marks = " ".join(parent.get("class", [])) + " " + (parent.get("id") or "")
        if marks.strip() and CHROME_HINT.search(marks):
            return True
    return False


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{parts.path}?{parts.query}"


def _anchors(root: Tag) -> list[tuple[Tag, Tag]]:
    """(anchor, where it sits in the page): real anchors, then anchors written by inline scripts."""
    pairs = [(anchor, anchor) for anchor in root.find_all("a") if anchor.get("href") or anchor.get("onclick")]
    for script in root.find_all("script"):
        pairs += [(anchor, script) for anchor in written_anchors(script)]
    return pairs


def _harvest(root: Tag, base_url: str, require_container: bool) -> list[ListedLink]:
    found: list[ListedLink] = []
    chrome: list[ListedLink] = []
    for anchor, placed in _anchors(root):
        href = item_target(anchor)
        if not href:
            continue
        container = placed.find_parent(LIST_CONTAINERS)
        if container is None:
            if require_container:
                continue
            container = placed.parent
        title = best_title(anchor)
        if MORE_TEXT.match(title) and container is not None:
            title = title_beside(container, anchor) or title
        if len(title) < MIN_TITLE_CHARS or not CJK.search(title) or PAGER_WORD.match(title):
            continue
        url = urldefrag(urljoin(base_url, href)).url
        link = ListedLink(url, title, date_beside(container, anchor) if container else None)
        (chrome if _in_chrome(placed) else found).append(link)
    # A template whose wrapper happens to carry a chrome-like class must not lose its whole list.
    return found or chrome
