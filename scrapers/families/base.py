"""Shared pieces of the list-page adapters: the ListPage record, link harvesting, dates, next-page links."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

LIST_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
CJK = re.compile(r"[\u4e00-\u9fff]")
TRUNCATED = re.compile(r"(…|\.\.\.|。。。|──)$")
SKIP_HREF = re.compile(r"^(javascript:|mailto:|tel:|#)", re.I)
CHROME_HINT = re.compile(
    r"(^|[\s_])(nav\w*|menu|footer|foot|header|head|top|banner|\w*crumbs?|position|location|dqwz|bottom|copyright|sitemap|share)"
    r"(?=[\s_-]|\d|$)",
    re.I,
)
NEXT_TEXT = re.compile(r"^(下一页|下页|后一页|后页|next|>|›|»)$", re.I)
PAGER_HINT = re.compile(r"page|pag|fenye|fy|pg", re.I)
PAGE_NUMBER = re.compile(r"^\d{1,4}$")
MIN_TITLE_CHARS = 4
LIST_CONTAINERS = ("li", "tr", "dd", "dt", "p")


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


def soup_of(html: str) -> BeautifulSoup:
    """Parse HTML with lxml."""
    return BeautifulSoup(html, "lxml")


def harvest_links(root: Tag, base_url: str, *, require_container: bool = True) -> list[ListedLink]:
    """Links in list items (li/tr/dd) outside the page chrome, with their best title and listed date.

    Templates that lay lists out as bare `<div><a/><span>date</span></div>` have no list items; when
    the strict pass finds nothing, anchors anywhere count, each dated from its parent element.
    """
    found = _harvest(root, base_url, require_container)
    return found if found or not require_container else _harvest(root, base_url, False)


def best_title(anchor: Tag) -> str:
    """The anchor's full title: the `title` attribute when the text is truncated or shorter."""
    text = " ".join(anchor.get_text(" ", strip=True).split())
    attr = " ".join((anchor.get("title") or "").split())
    if attr and (not text or TRUNCATED.search(text) or len(attr) > len(text)):
        return attr
    return TRUNCATED.sub("", text).strip() if not attr else text


def parse_list_date(text: str) -> date | None:
    """The first plausible Y-M-D date in `text`."""
    for match in LIST_DATE.finditer(text):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


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
    return list(dict.fromkeys(urls))


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


def _date_beside(container: Tag, anchor: Tag) -> date | None:
    text = container.get_text(" ", strip=True)
    anchor_text = anchor.get_text(" ", strip=True)
    return parse_list_date(text.replace(anchor_text, " ", 1)) if anchor_text else parse_list_date(text)


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{parts.path}?{parts.query}"


def _harvest(root: Tag, base_url: str, require_container: bool) -> list[ListedLink]:
    found: list[ListedLink] = []
    chrome: list[ListedLink] = []
    for anchor in root.find_all("a", href=True):
        href = anchor["href"].strip()
        if not href or SKIP_HREF.match(href):
            continue
        container = anchor.find_parent(LIST_CONTAINERS)
        if container is None:
            if require_container:
                continue
            container = anchor.parent
        title = best_title(anchor)
        if len(title) < MIN_TITLE_CHARS or not CJK.search(title):
            continue
        url = urldefrag(urljoin(base_url, href)).url
        link = ListedLink(url, title, _date_beside(container, anchor) if container else None)
        (chrome if _in_chrome(anchor) else found).append(link)
    # A template whose wrapper happens to carry a chrome-like class must not lose its whole list.
    return found or chrome
