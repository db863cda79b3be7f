"""parse_report / parse_page end to end on pages written for these tests (fictional places and figures)."""
from __future__ import annotations

from datetime import date

from fzzf.parsers.report import parse_page, parse_report
from fzzf.scrapers.records import Page

# A fictional district's page in the TRS style, written for this test.
HTML = """<html><head><meta charset="utf-8"><title>青禾区2024年法治政府建设年度报告_青禾区人民政府（虚构）</title>
<meta name="SiteIDCode" content="9901090001"><meta name="PubDate" content="2025-03-18 09:00">
<meta name="ArticleTitle" content="青禾区2024年法治政府建设年度报告"></head><body>
<div class="header">首页 | 政务公开 | 今天是:2025年11月26日</div>
<div class="TRS_Editor"><p>2024年,青禾区(虚构)持续推进法治政府建设。</p>
<p>一、主要举措和成效</p><p>(一)化解矛盾纠纷。全区共排查矛盾纠纷1,200件,化解1,150件,化解率95.8%。</p>
<p>二、党政主要负责人履行推进法治建设第一责任人职责情况</p><p>区政府常务会议学法12次。</p>
<p>三、存在的不足</p><p>一是执法力量不足;二是普法形式单一。</p>
<p>四、2025年工作安排</p><p>深化行政执法体制改革。</p></div>
<div class="footer">主办单位:青禾区人民政府办公室 地址:青禾大道8号 电话:0999-1234567</div></body></html>"""


def test_parse_page_metadata():
    report = parse_page(HTML.encode("utf-8"), "http://www.qinghe-fict.gov.cn/zwgk/202503/t20250318_1.html")
    assert (report.title, report.year, report.district, report.admin_code) == (
        "青禾区2024年法治政府建设年度报告", 2024, "青禾区", "990109")


def test_parse_page_published():
    report = parse_page(HTML.encode("utf-8"), "http://www.qinghe-fict.gov.cn/zwgk/202503/t20250318_1.html")
    assert report.published == date(2025, 3, 18)


def test_parse_page_figures():
    report = parse_page(HTML.encode("utf-8"), "http://www.qinghe-fict.gov.cn/zwgk/202503/t20250318_1.html")
    assert [(m.value, m.indicator) for m in report.metrics] == [
        (1200, "disputes_screened"), (1150, "disputes_resolved"), (95.8, "dispute_resolution_rate"),
        (12, "leader_law_study_sessions")]


def test_parse_page_parts_and_clean_flags():
    report = parse_page(HTML.encode("utf-8"), "http://www.qinghe-fict.gov.cn/zwgk/202503/t20250318_1.html")
    assert (report.missing_parts, report.flags) == ([], [])


def test_parse_report_counts_body_chars(make_page):
    page = make_page("一、工作情况\n全年办理行政复议案件12件。", title="某县2023年法治政府建设年度报告")
    assert parse_report(page).body_chars == len(page.body)


def test_chrome_repeating_the_body_is_not_counted_twice(make_page):
    body = "一、工作情况\n全年办理行政复议案件12件。"
    page = make_page(body, title="某县2023年法治政府建设年度报告", chrome="首页\n" + body + "\n主办单位:某县政府")
    assert len(parse_report(page).metrics) == 1


def test_rate_mismatch_reaches_the_report(make_page):
    page = make_page("全区共排查矛盾纠纷845件,化解769件,化解率95%。", title="某区2023年法治政府建设年度报告")
    assert [c.kind for c in parse_report(page).checks] == ["rate_mismatch"]


def test_site_chrome_numbers_are_not_figures():
    html = ("<html><head><meta charset='utf-8'><title>某区2023年法治政府建设年度报告</title></head><body>"
            "<div class='top'>今天是：2024年5月8日 共有2000余家单位入驻本平台</div>"
            "<div class='TRS_Editor'><p>2023年，全区共排查矛盾纠纷845件，化解769件，化解率91%。</p></div>"
            "<div class='foot'>本站共发布信息3万余条 主办单位：某区人民政府办公室（虚构测试页）</div></body></html>")
    report = parse_page(html.encode(), "http://www.example-fict.gov.cn/col/202403/t20240301_1.html")
    assert [(m.value, m.unit) for m in report.metrics] == [(845, "件"), (769, "件"), (91, "%")]


def test_a_page_that_breaks_the_parser_is_flagged_not_raised(monkeypatch):
    import fzzf.parsers.report as report_module

    def broken(text, section_of=None, year=None, norm=None):
        raise ValueError("unexpected structure")

    monkeypatch.setattr(report_module, "extract_figures", broken)
    page = Page(url="http://www.example-fict.gov.cn/a/202403/t20240301_1.html", title="某区2023年法治政府建设年度报告",
                published=date(2024, 3, 1), published_from="meta", body="2023年，全区共排查矛盾纠纷845件。")
    report = report_module.parse_report_or_flag(page)
    assert (report.year, report.metrics, report.flags) == (2023, [], ["parse_error"])
    assert report.checks[0].kind == "parse_error" and "unexpected structure" in report.checks[0].detail
