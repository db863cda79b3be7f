"""HTML structure helpers for extraction on lxml's tree: the article container, block text, 索引号 tables, attachments.

The tree is libxml2's (the one BeautifulSoup's "lxml" builder is fed by), read through lxml directly: the same
elements and text, without a Python object per node. Comments and processing instructions are nodes whose own
text is never page text (their tails are); `parse_html` clears ruby annotations (<rt>, <rp>) for the same reason.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import etree

from fzzf.scrapers.records import Attachment

# Article containers of the common CMS families, most specific first.
BODY_SELECTORS = (
    ".TRS_Editor", ".TRS_UEDITOR", ".trs_editor_view", "#UCAP-CONTENT",  # TRS WCM
    "#zoom", "#Zoom", ".bt_content", "#ivs_content", ".main-txt", ".wzcon",  # Hanweb and Anhui
    ".article-content", ".zw", "#zoomcon", ".content-text", ".j-fontContent", ".gzk-article",  # Guangdong, Anhui
    "article", "#article", ".article", "#content", ".detail-content", ".news_content", ".content",
)
_NO_RANK = len(BODY_SELECTORS)
_RANK_BY_CLASS = {sel[1:]: i for i, sel in reversed(list(enumerate(BODY_SELECTORS))) if sel.startswith(".")}
_RANK_BY_ID = {sel[1:]: i for i, sel in reversed(list(enumerate(BODY_SELECTORS))) if sel.startswith("#")}
_RANK_BY_TAG = {sel: i for i, sel in reversed(list(enumerate(BODY_SELECTORS))) if sel[0] not in ".#"}
MIN_CONTAINER_CHARS = 30
BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
              "section", "article", "blockquote", "pre", "dd", "dt", "center", "header", "footer", "nav"}
SPACE = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u200b\ufeff]+")
INFO_LABELS = ("索引号", "发布机构", "成文日期", "发布日期", "发文日期", "文号", "主题分类", "公开方式", "生成日期")
# Short labels are spaced out to line up with the long ones: 「索 引 号」, 「文　　号」 (spaces, nbsp, ideographic).
_SPACED_LABELS = "|".join(r"\s*".join(label) for label in INFO_LABELS)
INFO_LABEL = re.compile(rf"^({_SPACED_LABELS})\s*[:：]?\s*(.*)$")
_ANY_INFO_LABEL = re.compile(_SPACED_LABELS)
_LABEL_FIRSTS = frozenset(label[0] for label in INFO_LABELS)
_LABEL_SPACE = re.compile(r"\s+")
_INFO_CELLS = ("td", "th", "span", "li", "div", "p", "b", "strong", "label")
_CELL_BLOCKS = ("td", "div", "li", "table")
ATTACHMENT_EXT = ("pdf", "docx", "doc", "wps", "xlsx", "xls", "ofd")
ATTACHMENT_IN_URL = re.compile(rf"\.({'|'.join(ATTACHMENT_EXT)})(?:$|[?&#])", re.I)
# Download handlers (jeecms `attachment.jspx?cid=…`, `download.do?id=…`) hide the extension; the link's
# text or title then carries the file name: 「…工作报告.pdf」.
ATTACHMENT_NAME = re.compile(rf"\.({'|'.join(ATTACHMENT_EXT)})\s*$", re.I)
SKIP_REF = re.compile(r"^(javascript:|mailto:|#)", re.I)
# Embedded viewers name the file in a query parameter: `/pdfjs/web/viewer.html?file=/upload/x.pdf`.
VIEWER_PARAMS = ("file", "url", "src", "path")
JUNK_TAGS = ("script", "style", "noscript", "template")
RUBY_TAGS = ("rt", "rp")


@dataclass
class InfoTable:
    """The 索引号 | 发布机构 | 成文日期 | 发布日期 block: its fields and the elements that hold them."""

    fields: dict[str, str] = field(default_factory=dict)
    blocks: list[etree._Element] = field(default_factory=list)


def parse_html(html: str) -> etree._Element:
    """The page's tree (root <html>), with scripts, styles, templates and ruby annotations removed."""
    # Fed as text (as BeautifulSoup feeds it), so a page's own encoding declaration cannot fight the decoded
    # text. huge_tree: without it libxml2 silently drops what lies deeper than 256 levels (2,048 with it).
    # One parser per page: parsers are not shared between the crawl's threads.
    # etree's own parser, not lxml.html's: its element classes cost a Python call per node touched.
    parser = etree.HTMLParser(huge_tree=True)
    parser.feed(html)
    root = parser.close()
    if root is None:  # nothing to parse
        return etree.Element("html")
    for junk in list(root.iter(JUNK_TAGS + RUBY_TAGS)):
        if junk.tag in RUBY_TAGS:
            tail = junk.tail
            junk.clear()  # the annotation's text is not page text; what follows it is
            junk.tail = tail
        else:
            drop(junk)
    return root


def drop(el: etree._Element) -> None:
    """Remove `el` and everything inside it, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def is_element(node) -> bool:
    """True for elements, False for comments and processing instructions."""
    return isinstance(node.tag, str)


def text_of(el: etree._Element) -> str:
    """`el`'s text nodes, stripped, non-empty ones joined by a space, whitespace runs collapsed to one space."""
    return " ".join(" ".join(el.itertext()).split())


def stripped_len(el: etree._Element) -> int:
    """Characters of `el`'s text with every text node stripped."""
    return sum(map(len, map(str.strip, el.itertext())))


def first(el: etree._Element, *tags: str) -> etree._Element | None:
    """The first descendant of `el` with one of these tags."""
    return next(el.iterdescendants(*tags), None)


def body_of(root: etree._Element) -> etree._Element | None:
    """The page's first <body>."""
    return root if root.tag == "body" else first(root, "body")


def find_body(root: etree._Element) -> etree._Element | None:
    """The article container: a known CMS selector, else the densest block of paragraph text."""
    same: list[etree._Element] = []
    best_rank = None
    for rank, tag in _containers_by_rank(root):
        if best_rank is not None and rank != best_rank:
            break  # only the best qualifying selector's matches count
        if stripped_len(tag) >= MIN_CONTAINER_CHARS or first(tag, "a", "iframe", "embed") is not None:
            best_rank = rank
            same.append(tag)
    if same:
        # Generic classes repeat (a `.content` layout wrapper around the nav, then the article's `.content`):
        # among the best selector's matches, the one with the most text outside links is the article.
        return same[0] if len(same) == 1 else max(same, key=_unlinked_chars)
    best, best_score = None, 0
    for tag in root.iterdescendants("div", "td", "section", "main"):
        score = sum(stripped_len(child) for child in tag.iterchildren("p"))
        score += sum(len(s.strip()) for s in _own_strings(tag))
        if score > best_score:
            best, best_score = tag, score
    return best if best_score >= MIN_CONTAINER_CHARS else body_of(root)


def _own_strings(tag: etree._Element) -> Iterator[str]:
    """`tag`'s direct text nodes, comments' text included."""
    if tag.text:
        yield tag.text
    for child in tag:
        if not is_element(child) and child.text:
            yield child.text
        if child.tail:
            yield child.tail


def _unlinked_chars(tag: etree._Element) -> int:
    return stripped_len(tag) - sum(stripped_len(a) for a in tag.iterdescendants("a"))


def _containers_by_rank(root: etree._Element) -> list[tuple[int, etree._Element]]:
    """(rank, tag) for tags matching BODY_SELECTORS, in selector order then document order, found in one pass.

    Equivalent to running a CSS select once per selector, without ~25 passes over the page.
    """
    ranked: list[tuple[int, int, etree._Element]] = []
    for order, tag in enumerate(root.iter(etree.Element)):
        rank = _RANK_BY_TAG.get(tag.tag, _NO_RANK)
        attrs = tag.attrib
        if attrs:
            rank = min(rank, _RANK_BY_ID.get(attrs.get("id"), _NO_RANK))
            classes = attrs.get("class")
            if classes:
                rank = min(rank, *(_RANK_BY_CLASS.get(c, _NO_RANK) for c in classes.split()), _NO_RANK)
        if rank < _NO_RANK:
            ranked.append((rank, order, tag))
    return [(rank, tag) for rank, _, tag in sorted(ranked, key=lambda item: item[:2])]


def block_text(root: etree._Element | None, replaced: etree._Element | None = None, marker: str = "") -> str:
    """Text with one line per paragraph/block, whitespace normalised, empty lines dropped; `replaced` (an element
    inside `root`) stands as `marker`."""
    if root is None:
        return ""
    pieces: list[str] = []
    _walk(root, pieces, replaced, marker)
    # SPACE holds no newline: one substitution over the whole text equals one per line.
    lines = (line.strip() for line in SPACE.sub(" ", "".join(pieces)).split("\n"))
    return "\n".join(line for line in lines if line)


def info_table(root: etree._Element) -> InfoTable:
    """Fields of the government-information table (label cell followed by value cell, or 「标签:值」)."""
    table = InfoTable()
    # Most pages have no such table: one search over the text nodes (comments too) saves a text per element.
    # NUL never occurs in parsed text and is no label character, so no match spans two nodes.
    nodes = [*root.itertext(), *(c.text or "" for c in root.iter(etree.Comment))]
    if _ANY_INFO_LABEL.search("\x00".join(nodes)) is None:
        return table
    for cell in root.iterdescendants(_INFO_CELLS):
        # A label opens its cell's text: other cells (the article's paragraphs among them) are not read whole.
        if _first_char(cell) not in _LABEL_FIRSTS or first(cell, *_CELL_BLOCKS) is not None:
            continue
        match = INFO_LABEL.match(text_of(cell))
        if not match:
            continue
        value = match.group(2).strip()
        if not value:
            sibling = _next_element(cell)
            value = text_of(sibling) if sibling is not None else ""
        if not value:
            value = _next_string(cell)
        table.fields.setdefault(_LABEL_SPACE.sub("", match.group(1)), value)
        holder = next(cell.iterancestors("table"), None)
        if holder is None:
            holder = cell.getparent()
        if "索引号" in table.fields and holder is not None and all(holder is not b for b in table.blocks):
            table.blocks.append(holder)
    if "索引号" not in table.fields:
        table.blocks.clear()  # labels alone (e.g. a byline's 发布日期) are not the information table
    return table


def _first_char(el: etree._Element) -> str:
    """The first non-space character of `el`'s text (that of `text_of(el)`), or ""."""
    for string in el.itertext():
        string = string.lstrip()
        if string:
            return string[0]
    return ""


def _next_element(el: etree._Element) -> etree._Element | None:
    sibling = el.getnext()
    while sibling is not None and not is_element(sibling):
        sibling = sibling.getnext()
    return sibling


def _next_string(el: etree._Element) -> str:
    """The text node right after `el` (its tail, or a comment that follows it), stripped; else ""."""
    if el.tail:
        return el.tail.strip()
    sibling = el.getnext()
    if sibling is not None and not is_element(sibling):
        return (sibling.text or "").strip()
    return ""


def attachments_in(root: etree._Element, base_url: str) -> list[Attachment]:
    """Links, iframes, embeds and objects pointing at PDF/DOC/DOCX/WPS/XLS(X)/OFD files."""
    found: dict[str, Attachment] = {}
    for tag in root.iterdescendants("a", "iframe", "embed", "object"):
        ref = tag.get("href") or tag.get("src") or tag.get("data")
        if not ref:
            continue
        ref = _viewer_target(ref.strip())
        match = ATTACHMENT_IN_URL.search(ref)
        text = None
        if not match and tag.tag == "a" and not SKIP_REF.match(ref):
            text = text_of(tag)
            match = ATTACHMENT_NAME.search(text) or ATTACHMENT_NAME.search(tag.get("title") or "")
        if not match:
            continue
        url = urljoin(base_url, ref)
        if text is None:
            text = text_of(tag)
        name = text or tag.get("title") or _file_name(url)
        found.setdefault(url, Attachment(url=url, name=name, kind=match.group(1).lower()))
    return list(found.values())


def _viewer_target(ref: str) -> str:
    """The file a viewer page shows (its `file=` parameter), else `ref` itself.

    Fetching `viewer.html?file=x.pdf` returns the viewer's HTML, not the PDF the page embeds.
    """
    parts = urlsplit(ref)
    if ATTACHMENT_IN_URL.search(parts.path):
        return ref
    for key, value in parse_qsl(parts.query):
        if key.lower() in VIEWER_PARAMS and ATTACHMENT_IN_URL.search(value):
            return urljoin(ref, value.strip())
    return ref


def _walk(node: etree._Element, out: list[str], replaced: etree._Element | None, marker: str) -> None:
    # Recursive on purpose: markup nested past Python's recursion limit raises RecursionError, and
    # extract_page flattens such a page (libxml2 would silently drop what lies deeper than it keeps).
    if node.text:
        out.append(node.text.replace("\n", " ").replace("\r", " "))
    for child in node:
        tag = child.tag
        if isinstance(tag, str):
            if child is replaced:
                out.append(marker)
            else:
                block = tag in BLOCK_TAGS
                if block:
                    out.append("\n")
                if tag in ("td", "th"):
                    out.append(" ")
                _walk(child, out, replaced, marker)
                if block:
                    out.append("\n")
        if child.tail:
            out.append(child.tail.replace("\n", " ").replace("\r", " "))


def _file_name(url: str) -> str:
    return unquote(PurePosixPath(urlsplit(url).path).name)


# ---- Plain-text pages: heading, byline and footer lines (a saved report, an attachment's text) ----

# Lines of site chrome met on real pages: breadcrumbs (当前位置, 首页 > … > 正文), accessibility and login
# links, font-size / print / share / QR lines.
CHROME_LINE = re.compile(
    r"当前位置|您所在的位置|您现在的位置|^\s*(?:首[页頁]|[主学院]*首[页頁])\s*(?:[>»→]|&gt;)|\S\s*(?:[>»]|&gt;)\s*\S.*(?:[>»]|&gt;)"
    r"|^[\s•·]*(?:返回|打印|关闭|字号|字体|【字体|【\s*字号|分享|扫一扫|登录|注册|无障碍|长者模式|关怀版|本网站支持|网站支持"
    r"|今天是|简体|繁体|English)"
)
# Byline lines: source, publish time, author, hit counters; a bare date with its clock.
BYLINE_LINE = re.compile(
    r"(?:信息来源|文章来源|来源|发布机构|发布时间|发布日期|更新时间|时间|日期|作者|浏览次数|点击数|访问量|阅读|索引号|"
    r"主题分类|发文机构|发文字号|发文日期|成文日期|有效性|内容概述|文号)\s*[:：]"
    r"|发布时间\s*\d|^\s*【?\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*(?:\d{1,2}\s*[:时]\s*\d{1,2}.*)?$"
)
# Footer lines: who runs the site, licences, the government site code, copyright.
FOOTER_LINE = re.compile(r"主办单位|承办单位|主办[:：]|版权所有|ICP备|ICP证|公网安备|网站标识码|网站地图|联系我们|技术支持|Copyright|©")
# A heading names a kind of document; body lines are sentences, numbered headings or addressees (「市人大常委会:」).
TITLE_WORDS = re.compile(r"报告|報告|总结|總結|情况|情況|年报|年報|方案|要点|要點|意见|意見|规则|規則|办法|辦法|通知|通报|解读|"
                         r"纲要|綱要|计划|計劃|公告|活动|活動|年度|范文|範文")
NOT_TITLE = re.compile(r"[。；;！!？?]|^[一二三四五六七八九十]+[、.]|^[(（][一二三四五六七八九十\d]+[)）]|^\d+[.、．]|[:：]$")
TITLE_CONTINUES = re.compile(r"^(?:关于|關於|(?:19|20)\d{2}\s*年|[〇○零一二]{4}年)")
HEADING_LINES = 14
MAX_TITLE_CHARS = 80
MIN_TITLE_CHARS = 6
FOOTER_LINES = 20
MAX_FOOTER_LINE = 80
BULLETS = "•·●◆■□ \t"


@dataclass(frozen=True)
class Heading:
    """The document heading found among a text's first lines: its text and the lines it spans."""

    text: str
    first: int
    last: int


def heading_in(lines: list[str]) -> Heading | None:
    """The first heading-like line (joined with a continuation line) before the body's first sentence."""
    for i, raw in enumerate(lines[:HEADING_LINES]):
        line = raw.strip(BULLETS)
        if not line or CHROME_LINE.search(line) or BYLINE_LINE.search(line) or FOOTER_LINE.search(line):
            continue
        if len(line) > MAX_TITLE_CHARS or "。" in line:
            return None  # the body has begun: this text has no heading of its own
        if NOT_TITLE.search(line):
            continue
        last, text = i, line
        following = lines[i + 1].strip(BULLETS) if i + 1 < len(lines) else ""
        if following and _continues(line, following):
            last, text = i + 1, line + following
        if len(text) >= MIN_TITLE_CHARS and TITLE_WORDS.search(text):
            return Heading(text, i, last)
    return None


def _continues(line: str, following: str) -> bool:
    """「海口市人民政府」 + 「2021年度…情况报告」, 「…建设工作」 + 「情况报告」: one heading over two lines."""
    if len(following) > MAX_TITLE_CHARS or NOT_TITLE.search(following) or line.endswith(("报告", "報告", "总结")):
        return False
    if TITLE_CONTINUES.search(following):
        return True
    return len(following) <= 8 and following.endswith(("报告", "報告", "总结", "情况", "情况的报告"))


def footer_start(lines: list[str]) -> int:
    """Index of the first footer line (主办单位, ICP备, 网站标识码 …) among the last lines, else len(lines)."""
    start = len(lines)
    for i in range(len(lines) - 1, max(-1, len(lines) - FOOTER_LINES - 1), -1):
        line = lines[i]
        if len(line) > MAX_FOOTER_LINE or "。" in line:
            break
        if FOOTER_LINE.search(line):
            start = i
    return start
