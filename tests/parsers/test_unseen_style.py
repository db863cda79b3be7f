"""A paragraph in a style the corpus does not use (full-width digits and commas), written for this test;
the place and its figures are fictional. Every figure, its unit, qualifier and indicator, hand-checked."""
from __future__ import annotations

from fzzf.parsers.figures import extract_figures
from fzzf.parsers.indicators import assign_indicators

TEXT = """（一）深化“放管服”改革。全面推行证明事项告知承诺制，涉及事项１２６项。政务服务事项网上可办率达９８．６％，较上年提高３．２个百分点。
（二）加强行政执法监督。办理行政处罚案件２，３５６件，同比下降１２．４％；罚没款１８６５．３万元。组织执法人员培训１２期，培训１５００余人次。
（三）化解行政争议。收到行政复议申请１４２件，受理１３０件，审结１２８件，纠错率为１６．４％。行政诉讼案件应诉２１５件，出庭应诉率９７．２％。
（四）法治宣传。组织“宪法进万家”活动８６场次，发放宣传资料５万余份。县政府常务会议学法１０次。为４２０名农民工追讨欠薪６３０万元。"""

EXPECTED = [
    (126, "项", None, None),
    (98.6, "%", None, None),
    (3.2, "百分点", "change", None),
    (2356, "件", None, "enforcement_cases"),
    (-12.4, "%", "change", None),
    (18653000, "元", None, "penalty_amount"),
    (12, "期", None, None),
    (1500, "人次", None, None),
    (142, "件", None, "reconsideration_applications"),
    (130, "件", None, "reconsideration_accepted"),
    (128, "件", None, "reconsideration_closed"),
    (16.4, "%", None, "reconsideration_correction_rate"),
    (215, "件", None, "admin_litigation_cases"),
    (97.2, "%", None, "head_court_appearance_rate"),
    (86, "场次", None, "law_publicity_events"),
    (50000, "份", None, None),
    (10, "次", None, "leader_law_study_sessions"),
    (420, "名", None, "wage_arrears_workers"),
    (6300000, "元", None, "wage_arrears_amount"),
]


def test_every_figure_with_its_indicator():
    metrics = extract_figures(TEXT)
    assign_indicators(TEXT, metrics)
    assert [(m.value, m.unit, m.qualifier, m.indicator) for m in metrics] == EXPECTED
