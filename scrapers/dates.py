"""Publish dates from bylines, 索引号 tables and URLs, never from the chrome's 「今天是…」."""
from __future__ import annotations

import re
from datetime import date

YMD = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
# Labelled bylines, strongest first. 「日期:2022/03/30 11:13来源:」 has no separator after the time,
# so nothing may be required after the date.
BYLINE_LABELS = (
    ("发布时间|发布日期|发表时间|发文日期|公开日期|上传时间", "byline"),
    ("(?<!当前)(?<!现在)(?:时间|日期)", "byline"),
)
BYLINE = tuple(
    (re.compile(rf"(?:{labels})\s*[:：]?\s*{YMD}"), source) for labels, source in BYLINE_LABELS
)
# 「2025年03月19日 09时07分」: an unlabelled date with a clock time is a byline; a chrome date has none.
DATETIME_CN = re.compile(rf"{YMD}\s*日?\s*\d{{1,2}}\s*[时:]\s*\d{{1,2}}\s*分?")
CHROME_TODAY = re.compile(rf"(今天是|今日|当前时间|现在时间|Today)\s*[:：]?\s*{YMD}\s*日?(\s*星期.)?", re.I)
# Headers also print the clock as 「日期：2024年5月8日 星期三」: a date with its weekday is chrome, unless a
# publish label names it (「发布时间：2023年03月28日 星期二」).
CHROME_WEEKDAY = re.compile(rf"(?:(?:当前|今天|今日)?(?:日期|时间)\s*[:：]?\s*)?{YMD}\s*日?\s*(?:星期|周|礼拜)[一二三四五六日天]")
PUBLISH_LABEL = re.compile(r"(发布|发表|发文|公开|成文|印发|更新)\s*(时间|日期)?\s*[:：]?\s*$")
URL_TRS = re.compile(r"/(20\d{2})(\d{2})/t(20\d{2})(\d{2})(\d{2})_\d+")
URL_HANWEB = re.compile(r"/art/(20\d{2})/(\d{1,2})/(\d{1,2})/")
URL_PLAIN = re.compile(r"/(20\d{2})-?(\d{2})-?(\d{2})/")
# 「/202502/05/…」 and 「/content/2022-02/21/content_…」: year and month, then the day as its own folder.
URL_MONTH_DAY = re.compile(r"/(20\d{2})-?(\d{2})/(\d{2})/")
YMD_ANYWHERE = re.compile(YMD)
EARLIEST_YEAR = 2000


# Words every CHROME_TODAY / CHROME_WEEKDAY match holds (Today in any case): a text without them is left as it is
# without a scan (neither pattern opens with a fixed character, so a scan tries every position).
_TODAY_WORDS = ("今天是", "今日", "当前时间", "现在时间")
_WEEKDAY_WORDS = ("星期", "周", "礼拜")


def strip_chrome_dates(text: str) -> str:
    """Remove 「今天是:2019年10月31日 星期四」-style strings so they cannot be read as a publish date."""
    if any(w in text for w in _TODAY_WORDS) or "today" in text.lower():
        text = CHROME_TODAY.sub(" ", text)
    if any(w in text for w in _WEEKDAY_WORDS):
        text = CHROME_WEEKDAY.sub(_unless_published, text)
    return text


def _unless_published(match: re.Match[str]) -> str:
    before = match.string[max(0, match.start() - 8):match.start()]
    return match.group(0) if PUBLISH_LABEL.search(before) else " "


def byline_date(text: str, *, latest: date | None = None, publish_labels_only: bool = False) -> date | None:
    """The first labelled byline date, then an unlabelled date-with-clock, in `text`.

    `publish_labels_only` keeps only 「发布时间/发布日期…」 labels: below an article, a bare 「时间」 or a
    clock is as likely the footer's 「网站更新时间」 as the byline.
    """
    text = strip_chrome_dates(text)
    for pattern, _source in BYLINE[:1] if publish_labels_only else BYLINE:
        for match in pattern.finditer(text):
            found = make_date(match.group(1), match.group(2), match.group(3), latest)
            if found:
                return found
    if publish_labels_only:
        return None
    for match in DATETIME_CN.finditer(text):
        found = make_date(match.group(1), match.group(2), match.group(3), latest)
        if found:
            return found
    return None


def first_date(text: str, *, latest: date | None = None) -> date | None:
    """The first plausible Y-M-D date anywhere in `text` (for meta values and table cells)."""
    for match in YMD_ANYWHERE.finditer(text or ""):
        found = make_date(match.group(1), match.group(2), match.group(3), latest)
        if found:
            return found
    return None


def url_date(url: str) -> date | None:
    """The date a CMS wrote into the URL: TRS `/202403/t20240328_…`, Hanweb `/art/2022/2/23/…`."""
    for pattern in (URL_TRS, URL_HANWEB, URL_PLAIN, URL_MONTH_DAY):
        match = pattern.search(url)
        if not match:
            continue
        groups = match.groups()
        y, m, d = (groups[2], groups[3], groups[4]) if pattern is URL_TRS else groups
        found = make_date(y, m, d, None)
        if found:
            return found
    return None


def make_date(year: str, month: str, day: str, latest: date | None) -> date | None:
    """A valid date between 2000 and `latest` (inclusive), else None."""
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if value.year < EARLIEST_YEAR or (latest and value > latest):
        return None
    return value
