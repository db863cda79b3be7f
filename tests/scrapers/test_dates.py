"""Publish dates against the chrome's clock: labelled, weekday-stamped and publish-labelled dates."""
from __future__ import annotations

from datetime import date

from fzzf.scrapers.dates import byline_date, strip_chrome_dates

HEADER = "日期：2024年5月8日 星期三 首页 | 无障碍 | 政务公开"


def test_weekday_clock_in_the_header_is_not_a_byline():
    assert byline_date(HEADER + "\n时间：2022-03-31") == date(2022, 3, 31)


def test_weekday_clock_alone_gives_no_date():
    assert byline_date(HEADER) is None


def test_publish_label_with_a_weekday_is_kept():
    assert byline_date(HEADER + "\n发布时间：2023年03月28日 星期二") == date(2023, 3, 28)


def test_today_clock_in_any_case_is_not_a_byline():
    assert strip_chrome_dates("TODAY: 2024年5月8日 时间：2022-03-31").strip() == "时间：2022-03-31"
    assert byline_date("今天是2024年5月8日 时间：2022-03-31") == date(2022, 3, 31)


def test_a_date_without_clock_words_is_left_alone():
    assert strip_chrome_dates("发布日期：2024年5月8日") == "发布日期：2024年5月8日"
