"""Plain text is a first-class input: heading, byline, body and footer of saved reports (fictional places).

Every page here is written for the suite; the places (白鹭县, 青禾市, 云岭州) are fictional. Each reproduces a
pattern met on real published report pages: breadcrumbs above the heading, a heading broken over two lines,
an addressee line instead of a heading, index-table lines with the value below the label, a footer naming
a gambling brand, traditional script with pinyin notes.
"""
from __future__ import annotations

from datetime import date

from fzzf.parsers.report import parse_text
from fzzf.scrapers.extract import text_page
from fzzf.scrapers.script import to_simplified

URL = "http://www.bailu.example.gov.cn/art/index.html"

BREADCRUMB_PAGE = """当前位置:首页 > 政务公开 > 法治政府建设 > 法治政府建设年度报告

白鹭县2023年法治政府建设年度报告

时间:2024-03-12       作者:

2023年,白鹭县坚持以习近平法治思想为指导,扎实推进法治政府建设。现将有关情况报告如下:
一、主要工作
全年开展法治宣传活动31次,办理行政复议案件12件。
二、存在的问题
基层法治力量仍然薄弱。
三、下一步工作安排
持续推进法治政府建设。

主办单位:乐鱼体育官网入口(中国)官方网站
承办单位:白鹭县融媒体中心
版权所有 更新时间:2026-11-30
政府网站标识码:9990010001
"""


def test_heading_byline_body_footer():
    page = text_page(BREADCRUMB_PAGE, URL)
    assert page.title == "白鹭县2023年法治政府建设年度报告"
    assert page.published == date(2024, 3, 12)
    assert page.body.startswith("2023年,白鹭县")
    assert "主办单位" in page.chrome and "主办单位" not in page.body
    assert page.site_id_code == "9990010001"
    assert page.body_source == "text"


def test_text_report_metadata_and_footer_spam():
    report = parse_text(BREADCRUMB_PAGE, URL)
    assert (report.district, report.year, report.kind) == ("白鹭县", 2023, "annual_report")
    assert "spam_injection" in report.flags
    assert any(m.value == 31 and m.unit == "次" for m in report.metrics)


def test_heading_over_two_lines_and_repeated_heading():
    text = ("青禾市人民政府\n2022年度法治政府建设情况报告\n2023-03-29 17:13:17 来源: 青禾市司法局 打印\n"
            "青禾市人民政府\n2022年,我市法治政府建设深入推进。现将有关情况报告如下。\n")
    page = text_page(text, URL)
    assert page.title == "青禾市人民政府2022年度法治政府建设情况报告"
    assert page.published == date(2023, 3, 29)


def test_addressee_line_is_not_a_heading_and_the_opening_decides_the_kind():
    text = "县人大常委会:\n2023年,我县法治政府建设取得新成效,现将有关情况报告如下:\n一、主要做法\n"
    report = parse_text(text, URL)
    assert report.title is None
    assert report.kind == "annual_report"
    assert report.year == 2023


def test_index_lines_with_values_below_labels():
    text = ("返回顶部\n白鹭县人民政府工作规则\n• 索引号:\n9990010001/2024-001\n• 发文字号:\n白政发〔2024〕7号\n"
            "• 发布日期:\n2024年04月06日 16:34\n第一章 总则\n一、为规范县政府工作,制定本规则。\n")
    page = text_page(text, URL)
    assert page.title == "白鹭县人民政府工作规则"
    assert page.published == date(2024, 4, 6)


def test_chrome_date_of_footer_is_never_the_publish_date():
    text = "白鹭县2023年法治政府建设年度报告\n2023年,我县推进法治政府建设。\n版权所有 更新时间:2026-11-30\n"
    assert text_page(text, "http://www.bailu.example.gov.cn/a.html").published is None


def test_traditional_mirror_is_simplified_flagged_and_keeps_figures():
    text = ("雲嶺州2023年度法治政府建設情況報告\n"
            "2023年,全州(zhōu)各級政府堅持依法行政,現將有關情況報告如下。"
            "清理規範性文件236項,建成公共法律服務站點12個,化解矛盾糾紛1.5萬件,開展培訓3期。\n")
    report = parse_text(text, URL)
    assert report.title == "云岭州2023年度法治政府建设情况报告"
    assert "traditional_script" in report.flags
    assert "(zhōu)" not in text_page(text, URL).body
    values = {(m.value, m.unit) for m in report.metrics}
    assert {(236, "项"), (12, "个"), (3, "期")} <= values
    assert any(m.unit == "件" and m.value == 15000 for m in report.metrics)
    assert report.kind == "annual_report"


def test_pinyin_notes_go_only_after_a_chinese_character():
    assert to_simplified("全區(qū)依法(fa) and f(x) (ab)")[0] == "全區依法 and f(x) (ab)"
