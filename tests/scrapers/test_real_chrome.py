"""Real chrome around and inside the article (fictional sites): no crash, title from the body's heading,
chrome dates never the publish date, a page that breaks extraction flagged while its text is kept."""
from __future__ import annotations

from datetime import date

import pytest

from fzzf.scrapers import extract
from fzzf.scrapers.extract import extract_page

URL = "http://www.qinghe.example.gov.cn/zwgk/content_1.html"


def test_info_label_inside_the_article_container_does_not_crash():
    page = extract_page('<div class="article"><p>索引号:123</p><p>全年开展培训12次。</p></div>'.encode(), URL)
    assert "全年开展培训12次" in page.body
    assert "extract_error" not in page.flags


def test_page_that_breaks_extraction_is_flagged_and_keeps_its_text(monkeypatch):
    def broken(soup):
        raise ValueError("odd markup")

    monkeypatch.setattr(extract, "find_body", broken)
    page = extract_page("<html><body><p>青禾市2023年法治政府建设年度报告</p><p>全年开展培训12次。</p></body></html>".encode(), URL)
    assert "extract_error" in page.flags
    assert "全年开展培训12次" in page.body
    assert page.title == "青禾市2023年法治政府建设年度报告"


CHROME_PAGE = """<html><head><meta charset="utf-8"><title>青禾市人民政府门户网站</title></head><body>
<div class="top">今天是2026年12月1日 星期二 <a href="/">首页</a> 无障碍 长者模式</div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<div class="article">
<div>字号：[ 大 中 小 ] 打印本页 关闭窗口</div>
<p>青禾市2023年度法治政府建设工作情况</p>
<p>2023年，青禾市深入推进法治政府建设，现将有关情况报告如下。</p>
<p>全年开展法治培训12次。</p>
<div>扫一扫在手机打开当前页</div>
</div>
<div class="footer">主办单位：青禾市人民政府办公室 版权所有 更新时间：2026-11-30</div>
</body></html>"""


def test_title_from_body_heading_when_title_tag_is_the_site_name():
    page = extract_page(CHROME_PAGE.encode(), URL)
    assert page.title == "青禾市2023年度法治政府建设工作情况"


def test_footer_update_time_and_today_are_not_the_publish_date():
    assert extract_page(CHROME_PAGE.encode(), URL).published is None
    dated = CHROME_PAGE.replace("<p>2023年，", "<p>发布时间：2024-02-20</p><p>2023年，")
    assert extract_page(dated.encode(), URL).published == date(2024, 2, 20)


@pytest.mark.parametrize("url, day", [
    ("http://www.qinghe.example.gov.cn/columns/abc/202502/05/x.html", date(2025, 2, 5)),
    ("http://news.example.cn/content/2022-02/21/content_1.html", date(2022, 2, 21)),
])
def test_url_dates_with_the_day_as_a_folder(url, day):
    from fzzf.scrapers.dates import url_date
    assert url_date(url) == day
