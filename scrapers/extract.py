"""Report page bytes → Page: metadata, title, publish date, source, body text, chrome and attachments."""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date, timedelta

from lxml import etree

from fzzf.scrapers import dates
from fzzf.scrapers.depth import flatten_deep
from fzzf.scrapers.encoding import decode_html
from fzzf.scrapers.pagetext import (BULLETS, BYLINE_LINE, CHROME_LINE, attachments_in, block_text, body_of, drop,
                                    find_body,
                                    first, footer_start, heading_in, info_table, is_element, parse_html,
                                    text_of)
from fzzf.scrapers.records import Page
from fzzf.scrapers.script import to_simplified

_log = logging.getLogger(__name__)

META_KEYS = ("sitename", "sitedomain", "siteidcode", "columnname", "columntype", "articletitle", "pubdate",
             "contentsource", "keywords", "description", "author")
SOURCE_BYLINE = re.compile(
    r"(?:信息来源|文章来源|来源|发布机构|来源单位)\s*[:：]\s*(.{2,40}?)(?=\s|发布|时间|日期|作者|浏览|点击|字号|阅读|【|\||丨|$)",
    re.M,
)
SITE_ID_CODE = re.compile(r"(?:政府网站标识码|网站标识码)\s*[:：]?\s*([0-9A-Za-z]{10})")
# 「标题_站点」, 「标题 | 站点」, and the bare hyphen of 「标题-站点」 when it joins two words (not 2021-2025).
TITLE_SPLIT = re.compile(r"\s*[_|｜—–]+\s*|\s+-\s+|(?<=[\u4e00-\u9fff）)])-(?=[\u4e00-\u9fff])")
SITE_WORDS = re.compile(r"(人民政府|政府网|门户网|网站|官网|首页)$")
HEADING_HINT = re.compile(r"(^|[\s_-])(title|tit|bt|arti_?title|xl_?title|detail_?title|article-title|sp_title)(?=[\s_-]|$)", re.I)
# A heading broken over two lines (「朔岭县人民政府<br>关于…的报告」) is one title: no space between CJK.
CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
SHORT_BODY = 200
BYLINE_LINES = 4
INFO_VALUE_CHARS = 30
MARKER = "\u2063fzzf-body\u2063"
TAG = re.compile(r"<[^>]*>")
# Below the article, a generic 「时间：」 on a footer line (「网站更新时间」, copyright years) is not the byline.
FOOTER_DATE_LINE = re.compile(r"更新|版权|主办|ICP|标识码|Copyright|©")


def extract_page(body: bytes, url: str, content_type: str | None = None) -> Page:
    """Extract everything parsing needs from one report page's bytes; no network.

    A page whose markup breaks extraction is not an error for its site: it comes back with the tag-stripped
    text as its body and the flag `extract_error`. Thousands of nested elements (hostile or broken) are
    flattened and the page extracted again, flagged `deep_markup_flattened`.
    """
    try:
        return _extract_page(body, url, content_type)
    except RecursionError:
        html = flatten_deep(decode_html(body, content_type).text)
        try:
            page = _extract_page(html.encode("utf-8"), url, "text/html; charset=utf-8")
        except Exception as exc:  # noqa: BLE001 - one odd page must not stop the site's other reports
            return _tag_stripped(body, url, content_type, exc)
        return replace(page, flags=sorted(set(page.flags) | {"deep_markup_flattened"}))
    except Exception as exc:  # noqa: BLE001 - one odd page must not stop the site's other reports
        return _tag_stripped(body, url, content_type, exc)


def _tag_stripped(body: bytes, url: str, content_type: str | None, exc: Exception) -> Page:
    _log.warning("extraction failed for %s: %s: %s", url, type(exc).__name__, exc)
    text = TAG.sub("\n", decode_html(body, content_type).text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    page = text_page("\n".join(line for line in lines if line), url)
    return replace(page, flags=sorted(set(page.flags) | {"extract_error"}))


def text_page(text: str, url: str) -> Page:
    """A report saved as plain text (the seed's form, an attachment's text): heading, byline, body, footer."""
    text, traditional = to_simplified(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    heading = heading_in(lines)
    start = heading.last + 1 if heading else 0
    # The byline and chrome lines right below the heading (or at the top of a text without one).
    limit = (heading.last + 1 if heading else 0) + BYLINE_LINES
    while start < len(lines) and start < limit and _byline_or_chrome(lines, start, heading):
        if lines[start].endswith((":", "：")):
            limit += 1  # 「发布日期:」 with its value on the next line
        start += 1
    if heading is None:
        while start < len(lines) and CHROME_LINE.search(lines[start]):
            start += 1
    end = max(start, footer_start(lines))
    head, tail = "\n".join(lines[:start]), "\n".join(lines[end:])
    latest = date.today() + timedelta(days=1)
    published, published_from = _publish_date({}, head, _without_footer_dates(tail), {}, url, latest)
    chrome = "\n".join(part for part in (head, tail) if part)
    code_match = SITE_ID_CODE.search(chrome)
    return Page(
        url=url,
        title=heading.text if heading else None,
        published=published,
        published_from=published_from,
        body="\n".join(lines[start:end]),
        chrome=chrome,
        source=_source(head, {}),
        site_id_code=code_match.group(1) if code_match else None,
        body_source="text",
        flags=["traditional_script"] if traditional else [],
    )


def _without_leading_chrome(text: str) -> str:
    """The article text without the font-size / print / breadcrumb lines some templates put at its top."""
    lines = text.splitlines()
    start = 0
    while start < min(len(lines), BYLINE_LINES) and CHROME_LINE.search(lines[start]):
        start += 1
    return "\n".join(lines[start:])


def _byline_or_chrome(lines: list[str], i: int, heading) -> bool:
    line = lines[i].strip(BULLETS)
    if BYLINE_LINE.search(line) or CHROME_LINE.search(line) or (heading and line == heading.text):
        return True
    # The value of a label whose line ended with 「:」 (index tables spread over lines).
    return i > 0 and lines[i - 1].endswith((":", "：")) and len(line) <= INFO_VALUE_CHARS


def _without_footer_dates(tail: str) -> str:
    return "\n".join(line for line in tail.splitlines() if not FOOTER_DATE_LINE.search(line))


def _extract_page(body: bytes, url: str, content_type: str | None) -> Page:
    decoded = decode_html(body, content_type)
    html, traditional = to_simplified(decoded.text)
    root = parse_html(html)
    meta = _metas(root)
    latest = date.today() + timedelta(days=1)
    table = info_table(root)
    container = find_body(root)
    title = _title(meta, root, container)
    text = block_text(container)
    attachments = attachments_in(container if container is not None else root, url)
    if not attachments and container is not None:
        # TRS and others list 「附件:」 links just below the article container, not inside it.
        parent = container.getparent()
        attachments = attachments_in(parent if parent is not None else root, url)
    text = _without_leading_chrome(text)
    if not title or SITE_WORDS.search(title):
        # No heading in the markup, or only the site's name: the article's own first heading line.
        heading = heading_in(text.splitlines())
        title = heading.text if heading else title
    ancestors = set(container.iterancestors()) if container is not None else set()
    for block in table.blocks:
        # A layout table can hold the whole page; only drop blocks that neither are nor wrap the article.
        if container is None or (block is not container and block not in ancestors):
            drop(block)
    page_body = body_of(root)
    outer = page_body if page_body is not None else root
    # The article's place in the page's text, so what comes before it (heading, byline) and after it (footer)
    # can be told apart.
    replaced = container if container is not None and container is not page_body else None
    if replaced is outer:
        outside = MARKER
    else:
        outside = block_text(outer, replaced, MARKER)
    head, found, tail = outside.partition(MARKER)
    if not found:
        head, tail = "", outside
    # Some templates put the heading and byline inside the article container: look there too.
    body_lines = text.splitlines()
    heading = heading_in(body_lines)
    top = "\n".join(body_lines[:(heading.last + 1 if heading else 0) + BYLINE_LINES])
    published, published_from = _publish_date(meta, head + "\n" + top, _without_footer_dates(tail), table.fields,
                                              url, latest)
    flags = ["encoding_mislabelled"] if decoded.mislabelled else []
    if traditional:
        flags.append("traditional_script")
    if len(text) < SHORT_BODY and attachments:
        flags.append("body_is_attachment")
    elif len(text) < SHORT_BODY and container is not None and first(container, "img") is not None:
        flags.append("needs_ocr")  # a scanned report pasted in as images
    chrome = "\n".join(part for part in (head, tail) if part.strip())
    code_match = SITE_ID_CODE.search(chrome)
    return Page(
        url=url,
        title=title,
        published=published,
        published_from=published_from,
        body=text,
        chrome=chrome,
        source=meta.get("contentsource") or _source(head + "\n" + top, table.fields),
        site_name=meta.get("sitename"),
        site_id_code=meta.get("siteidcode") or (code_match.group(1) if code_match else None),
        column_name=meta.get("columnname"),
        encoding=decoded.encoding,
        attachments=attachments,
        flags=flags,
    )


def _metas(root: etree._Element) -> dict[str, str]:
    """Government meta tags by lower-cased name; the first non-empty value wins."""
    found: dict[str, str] = {}
    for tag in root.iter("meta"):
        name = (tag.get("name") or tag.get("property") or "").strip().lower()
        value = " ".join((tag.get("content") or "").split())
        if name in META_KEYS and value and name not in found:
            found[name] = value
    return found


def _publish_date(meta: dict, head: str, tail: str, fields: dict, url: str,
                  latest: date) -> tuple[date | None, str | None]:
    candidates = (
        (dates.first_date(meta.get("pubdate", ""), latest=latest), "meta"),
        (dates.byline_date(head, latest=latest), "byline"),
        # 发布日期 first; Anhui's platform prints only 生成日期, some tables only 发文日期.
        (dates.first_date(fields.get("发布日期") or fields.get("成文日期") or fields.get("发文日期")
                          or fields.get("生成日期") or "", latest=latest), "table"),
        (dates.byline_date(tail, latest=latest, publish_labels_only=True), "byline"),
        (dates.url_date(url), "url"),
        # A generic 「时间：」 after the article may be the footer's update time: weaker than the URL's date.
        (dates.byline_date(tail, latest=latest), "byline"),
    )
    for value, source in candidates:
        if value:
            return value, source
    return None, None


def _title(meta: dict, root: etree._Element, container: etree._Element | None) -> str | None:
    if meta.get("articletitle"):
        return meta["articletitle"]
    site = meta.get("sitename", "")
    from_tag = _title_tag(root, site)
    headings = [(tag, h) for tag, h in _headings(root) if h != site and not SITE_WORDS.search(h)]
    if from_tag and any(h == from_tag for _, h in headings):
        return from_tag
    if not headings:
        return from_tag
    # A column heading (「法治政府建设」 in a sidebar or above the list) is repeated as a link to that
    # column; the article's own heading is not a link elsewhere on the page.
    linked = _linked_texts(root, headings)
    own = [(tag, h) for tag, h in headings if h not in linked]
    if from_tag:
        # The longest heading that is part of the <title> (whose site suffix a separator did not
        # split off), else one that contains it.
        inside = [h for _, h in own if h in from_tag]
        if inside:
            return max(inside, key=len)
        around = [h for _, h in own if from_tag in h]
        if around:
            return around[0]
    if own:
        # No heading agrees with <title> (often only the site's name): the one next to the article text.
        return _nearest(own, container, root)
    return from_tag or headings[0][1]


def _linked_texts(root: etree._Element, headings: list[tuple[etree._Element, str]]) -> set[str]:
    """Texts of the page's links, except links inside the headings themselves."""
    heading_tags = {tag for tag, _ in headings}
    return {text_of(a) for a in root.iter("a") if not any(t in heading_tags for t in a.iterancestors())}


def _nearest(headings: list[tuple[etree._Element, str]], container: etree._Element | None, root: etree._Element) -> str:
    """The heading closest to the article container in document order (the first without a container)."""
    if container is None or len(headings) == 1:
        return headings[0][1]
    order = {tag: i for i, tag in enumerate(root.iter(etree.Element))}
    at = order.get(container, 0)
    return min(headings, key=lambda pair: abs(order.get(pair[0], 0) - at))[1]


def _headings(root: etree._Element) -> list[tuple[etree._Element, str]]:
    found = []
    for tag in root.iter("h1", "h2", "h3", "div", "td", "p", "span"):
        if tag.tag in ("div", "td", "p", "span"):
            marks = " ".join((tag.get("class") or "").split()) + " " + (tag.get("id") or "")
            if not HEADING_HINT.search(marks):
                continue
        text = CJK_GAP.sub("", text_of(tag))
        if 6 <= len(text) <= 120:
            found.append((tag, text))
    return found


def _title_tag(root: etree._Element, site: str) -> str | None:
    tag = next(root.iter("title"), None)
    string = _only_string(tag) if tag is not None else None
    if not string:
        return None
    parts = [p for p in TITLE_SPLIT.split(" ".join(string.split())) if p]
    kept = [p for p in parts if p != site and not SITE_WORDS.search(p)]
    return max(kept, key=len) if kept else (parts[0] if parts else None)


def _only_string(el: etree._Element) -> str | None:
    """The element's one text node when it holds nothing else (through single children), else None."""
    children = list(el)
    if not children:
        return el.text
    if el.text or len(children) > 1 or children[0].tail:
        return None
    child = children[0]
    return _only_string(child) if is_element(child) else child.text


def _source(head: str, fields: dict) -> str | None:
    match = SOURCE_BYLINE.search(head)
    if match:
        return match.group(1).strip()
    return fields.get("发布机构") or None

