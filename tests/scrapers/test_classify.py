"""Title classifier: the real annual reports against every look-alike docs/domain.md names."""
from __future__ import annotations

import pytest

from fzzf.scrapers.classify import classify_page, classify_title

REPORTS = [
    "XX区2023年法治政府建设年度报告",
    "XX区2023年度法治政府建设情况报告",
    "XX县人民政府关于2022年法治政府建设情况的报告",
    "XX市司法局2021年法治政府建设工作报告",
    "XX市教育局2022年度法治政府建设工作情况报告",
    "【置顶】 青禾区2023年法治政府建设年度报告",
    "松岭县2023年法治政府建设年度报告 ",
    "ＸＸ区２０２３年法治政府建设年度报告",
    "XX镇2019年法治政府建设工作总结",
]
LOOKALIKES = [
    ("XX区人民政府2023年政府信息公开工作年度报告", "disclosure_report"),
    ("XX区2023年政府信息公开年报", "disclosure_report"),
    ("XX区2024年法治政府建设工作要点", "work_plan"),
    ("XX区法治政府建设实施方案(2021-2025年)", "implementation_plan"),
    ("XX市法治政府建设实施纲要", "implementation_plan"),
    ("关于2021年度法治政府建设考核结果的公示", "assessment_result"),
    ("XX区法治政府建设第三方评估报告(2022)", "evaluation"),
    ("XX县2023年度领导干部述法报告汇编", "shufa_report"),
    ("2023年法治政府建设年度报告范文(精选5篇)", "template"),
    ("法治政府建设年度报告模板", "template"),
    ("图解:XX区2023年法治政府建设年度报告", "interpretation"),
    ("关于报送2023年度法治政府建设年度报告的通知", "notice"),
    ("XX区召开法治政府建设推进会", "unrelated"),
    ("关于开展2024年春季植树活动的通知", "notice"),
    ("区长带队调研乡村振兴工作", "unrelated"),
    ("峤山区2023年法治政府建设群众满意度调查报告", "evaluation"),
    ("关于峤山区法治政府建设情况的调研报告", "unrelated"),
]


@pytest.mark.parametrize("title", REPORTS)
def test_real_reports_are_reports(title):
    verdict = classify_title(title)
    assert verdict.is_report, verdict
    assert verdict.kind == "annual_report"


@pytest.mark.parametrize(("title", "kind"), LOOKALIKES)
def test_lookalikes_are_not_reports(title, kind):
    verdict = classify_title(title)
    assert not verdict.is_report
    assert verdict.kind == kind, verdict.reason


def test_reason_names_the_rule_that_decided():
    assert "工作要点" in classify_title("XX区2024年法治政府建设工作要点").reason
    assert "法治政府建设" in classify_title("XX区2023年法治政府建设年度报告").reason


def test_empty_title_is_unrelated():
    assert classify_title("").kind == "unrelated"


# A Hanweb column (frozen fixture) whose titles name next year's plan, cite a plan by name, or report a meeting.
@pytest.fixture
def column_verdicts(fixtures_dir):
    from fzzf.scrapers.discovery import parse_list_page
    body = (fixtures_dir / "hanweb_titles/col/col2871/index.html").read_bytes()
    page = parse_list_page(body, "http://gov.example/col/col2871/index.html")
    return [classify_title(link.title) for link in page.links]


def test_report_with_next_years_plan_after_ji_is_a_report(column_verdicts):
    assert column_verdicts[0].is_report


def test_work_summary_with_next_years_plan_is_a_report(column_verdicts):
    assert column_verdicts[1].is_report


def test_report_citing_the_outline_by_name_is_a_report(column_verdicts):
    assert column_verdicts[2].is_report


def test_meeting_news_naming_the_report_is_not_a_report(column_verdicts):
    assert (column_verdicts[3].is_report, column_verdicts[3].kind) == (False, "unrelated")


def test_work_points_with_task_division_stay_a_work_plan(column_verdicts):
    assert column_verdicts[4].kind == "work_plan"


def test_notice_issuing_a_cited_plan_stays_not_a_report(column_verdicts):
    assert not column_verdicts[5].is_report


def test_satisfaction_survey_report_is_an_evaluation(column_verdicts):
    assert (column_verdicts[6].is_report, column_verdicts[6].kind) == (False, "evaluation")


def test_report_with_an_adoption_note_is_still_a_report(column_verdicts):
    assert column_verdicts[7].is_report


# Kinds as real titles and openings write them (fictional places).
@pytest.mark.parametrize("title, kind", [
    ("青禾市2023年度法治政府建设情况", "annual_report"),
    ("白鹭县2023年度法治政府建设工作", "annual_report"),
    ("关于《白鹭县2023年度法治政府建设情况报告》的政策解读", "interpretation"),
])
def test_real_title_forms(title, kind):
    assert classify_title(title).kind == kind


@pytest.mark.parametrize("opening, kind", [
    ("2023年,白鹭县深入推进法治政府建设,现将有关情况报告如下:", "annual_report"),
    ("市委、市政府:\n2022年,青禾市坚持以习近平法治思想为指导,全面推进法治政府建设。", "annual_report"),
    ("本年度报告根据《中华人民共和国政府信息公开条例》编制。", "disclosure_report"),
    ("青禾网讯(记者 李明)2021年,白鹭县政府全面推进法治政府建设。", "unrelated"),
    ("8日,县司法局举办法治宣传活动。", "unrelated"),
    ("依据20xx年度xx县法治政府建设考评指标,现报告如下:", "template"),
    ("某县2025年度法治政府建设情况报告2025年,全县坚持依法行政。", "template"),
    ("为贯彻落实《法治政府建设实施纲要》,结合本县实际,制定本方案。", "implementation_plan"),
])
def test_opening_decides_when_there_is_no_title(opening, kind):
    assert classify_page(None, opening).kind == kind


def test_title_verdict_wins_over_the_opening():
    assert classify_page("白鹭县召开法治政府建设推进会", "2023年,白鹭县…现将有关情况报告如下").kind == "unrelated"


def test_report_formula_after_a_long_first_sentence():
    opening = "2024年," + "各级政府依法全面履行政府职能," * 30 + "深入学习贯彻习近平法治思想。现将有关情况报告如下。"
    assert classify_page(None, opening).kind == "annual_report"


def test_preface_of_a_report():
    assert classify_page(None, "前 言\n2022年是极不平凡的一年。这一年,青禾市持续加强法治政府建设。").kind == "annual_report"


def test_sample_titled_like_a_report_is_a_template():
    assert classify_page("某县2025年度法治政府建设情况报告", "某县2025年度法治政府建设情况报告2025年,全县…").kind == "template"
    assert classify_page("白鹭县2023年法治政府建设年度报告", "2023年,白鹭县坚持依法行政。").kind == "annual_report"
