"""One list item: its address (href or click handler), its full title and the date printed with it."""
from __future__ import annotations

import re
from datetime import date

from bs4 import Tag

LIST_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
TRUNCATED = re.compile(r"(…|\.\.\.|。。。|──)$")
SKIP_HREF = re.compile(r"^(javascript:|mailto:|tel:|#)", re.I)
# Pager controls are links too, but never list entries: 「[首页] [上一页] [下一页] [尾页]」.
PAGER_WORD = re.compile(r"^[\[【(（<«‹\s]*(首页|尾页|末页|上一页|上页|前一页|下一页|下页|后一页|后页)[\s\]】)）>»›]*$")
MIN_TITLE_CHARS = 4
# Card-style items put the title, a summary and the date inside one anchor:
# `<a><h4 class="tit">标题</h4><p>摘要…</p><span class="date">2023-03-30</span></a>`.
TITLE_PART = re.compile(r"(^|[\s_-])(title|tit|bt|name)(?=[\s_-]|$)", re.I)
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
EDGE_DATE = re.compile(
    r"^\s*[\[【(（]?\s*" + LIST_DATE.pattern + r"\s*日?\s*[\]】)）]?\s*|\s*[\[【(（]?\s*" + LIST_DATE.pattern
    + r"\s*日?\s*[\]】)）]?\s*$"
)
# 「查看详情」-style anchors: the item's title is printed beside the link, not in it.
MORE_TEXT = re.compile(
    r"^[\[【(（<«‹\s]*(查看详情|查看全文|阅读全文|点击查看|详细内容|查看|详情|详细|全文|更多|more|read more)[\s\]】)）>»›.…]*$", re.I
)
# `<a href="javascript:void(0)" onclick="window.open('./202303/t20230320_1.html')">`: the target is the
# first quoted string in the handler that looks like a page address.
SCRIPTED_TARGET = re.compile(
    r"""['"]((?:https?://|\.{0,2}/)[^'"\s]+|[^'"\s/]+\.(?:s?html?|jhtml|jsp|aspx?|php)(?:\?[^'"\s]*)?)['"]""", re.I
)


def best_title(anchor: Tag) -> str:
    """The anchor's full title: the `title` attribute when the text is truncated or shorter.

    When the anchor wraps a title element (heading or a title class), only that element's text counts;
    a date printed inside the anchor is never part of the title.
    """
    part = anchor.find(lambda t: t.name in HEADING_TAGS or any(TITLE_PART.search(c) for c in t.get("class") or ()))
    if part is not None and len(part.get_text(strip=True)) < MIN_TITLE_CHARS:
        part = None  # an icon or an empty badge, not the title
    text = " ".join((part or anchor).get_text(" ", strip=True).split())
    text = EDGE_DATE.sub("", text).strip()
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


def item_target(anchor: Tag) -> str | None:
    """The address an anchor opens: its href, else a page address in a javascript: href or onclick."""
    href = (anchor.get("href") or "").strip()
    if href and not SKIP_HREF.match(href):
        return href
    scripts = [href] if href.lower().startswith("javascript:") else []
    for script in scripts + [anchor.get("onclick") or ""]:
        match = SCRIPTED_TARGET.search(script)
        if match:
            return match.group(1)
    return None


def title_beside(container: Tag, anchor: Tag) -> str:
    """The title an item prints next to its 「查看详情」 link: a title element, else the item's other text."""
    part = container.find(lambda t: t is not anchor and (
        t.name in HEADING_TAGS or any(TITLE_PART.search(c) for c in t.get("class") or ())))
    if part is not None and not any(parent is part for parent in anchor.parents):
        text = part.get_text(" ", strip=True)
    else:
        text = container.get_text(" ", strip=True).replace(anchor.get_text(" ", strip=True), " ", 1)
    return EDGE_DATE.sub("", " ".join(text.split())).strip()


def date_beside(container: Tag, anchor: Tag) -> date | None:
    """The date printed with the item: beside the anchor first; card items print it inside the anchor."""
    text = container.get_text(" ", strip=True)
    anchor_text = anchor.get_text(" ", strip=True)
    if not anchor_text:
        return parse_list_date(text)
    return parse_list_date(text.replace(anchor_text, " ", 1)) or parse_list_date(anchor_text)
