"""Fuzzing (hypothesis): no page, however odd, crashes extraction or the parser."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fzzf.parsers.report import parse_report_or_flag, parse_text
from fzzf.scrapers.extract import extract_page

URL = "http://www.example.gov.cn/art/2024/2/22/art_1_1.html"
# Fragments real report pages are made of: containers, info labels, bylines, headings, numbers, chrome.
TAGS = ["div", "p", "span", "td", "tr", "table", "h1", "h2", "article", "section", "li", "ul", "br", "a", "title",
        "meta", "script", "iframe", "img"]
ATTRS = ['', ' class="article"', ' class="TRS_Editor"', ' id="zoom"', ' class="title"', ' class="content"',
         ' name="ArticleTitle" content="白鹭县2023年法治政府建设年度报告"', ' href="/a.pdf"', ' src="x.doc"']
WORDS = ["索引号:", "发布日期:", "2024-02-22", "时间:2024年2月22日 10:00", "当前位置:首页 > 正文", "白鹭县",
         "2023年法治政府建设年度报告", "全年开展培训12次。", "一、主要工作", "(一)", "办理案件1.5万件", "附件:",
         "主办单位:", "网站标识码:9990010001", "國區縣", "今天是2026年12月1日 星期二", "<", ">", "&gt;", "&", "\n",
         "　", "％", "XX区", "*次"]
fragment = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=20),
    st.builds(lambda t, a, inner: f"<{t}{a}>{inner}</{t}>", st.sampled_from(TAGS), st.sampled_from(ATTRS),
              st.sampled_from(WORDS)),
    st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(TAGS), st.sampled_from(ATTRS)),
    st.builds(lambda t: f"</{t}>", st.sampled_from(TAGS)),
)
page = st.lists(fragment, max_size=40).map("".join)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(page)
def test_extraction_and_parsing_never_crash(html):
    extracted = extract_page(html.encode("utf-8"), URL)
    report = parse_report_or_flag(extracted)
    assert report.url == URL


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_extract(data):
    extract_page(data, URL)


@FUZZ
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=30), max_size=30).map("\n".join))
def test_text_pages_never_crash(text):
    report = parse_text(text, URL)
    assert report.body_chars >= 0
