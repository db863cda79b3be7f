"""Indicator mapping from the noun phrase a figure quantifies and its context (indicators.toml)."""
from __future__ import annotations

import pytest

from fzzf.parsers.figures import extract_figures
from fzzf.parsers.indicators import assign_indicators, load_indicators


def _keys(text: str) -> list[str | None]:
    metrics = extract_figures(text)
    assign_indicators(text, metrics)
    return [m.indicator for m in metrics]


def _labels(text: str) -> list[str]:
    metrics = extract_figures(text)
    assign_indicators(text, metrics)
    return [m.label for m in metrics]


def test_table_covers_every_design_key():
    keys = {ind.key for ind in load_indicators()}
    assert len(keys) == 35 and {"disputes_screened", "head_court_appearance_rate", "wage_arrears_amount"} <= keys


def test_screened_resolved_rate_in_one_sentence():
    assert _keys("2023年,全区共排查矛盾纠纷845件,化解769件,化解率91%。") == [
        "disputes_screened", "disputes_resolved", "dispute_resolution_rate"]


def test_topical_screening_is_not_disputes():
    assert _keys("共排查“平安五小”1845起,调处1833起,调处率99%。") == [None, None, None]


def test_accepted_versus_closed():
    assert _keys("收到行政复议申请274件,依法受理251件,不予受理23件;审结238件,纠错率13.2%。") == [
        "reconsideration_applications", "reconsideration_accepted", None, "reconsideration_closed",
        "reconsideration_correction_rate"]


def test_court_appearance_rate_versus_litigation_cases():
    assert _keys("全县一审行政诉讼案件86件,行政机关负责人出庭应诉率100%,败诉率4.7%。") == [
        "admin_litigation_cases", "head_court_appearance_rate", "admin_litigation_loss_rate"]


def test_elided_subject_taken_from_an_earlier_sentence_of_the_paragraph():
    assert _keys("全省各级行政复议机构收到行政复议申请6.21万件;受理5.47万件,审结4.98万件。") == [
        "reconsideration_applications", "reconsideration_accepted", "reconsideration_closed"]


def test_mediation_cases_and_success():
    assert _keys("10个调解组织共受理案件1.375万件,调解成功6075件,调解成功率98.1%。") == [
        None, "mediation_cases", "mediation_success", "mediation_success_rate"]


def test_noun_after_the_figure():
    assert _keys("实现政务服务事项912项跨域通办") == ["cross_region_services"]


def test_per_item_list_shares_the_noun_after_the_last_item():
    assert _keys("并分别实现83项、10项、42项、12项政务服务事项“跨省通办”。") == ["cross_province_services"] * 4


def test_subset_of_the_same_indicator_is_null():
    assert _keys("共发起73条监管抽查任务,其中应用信用分类监管抽查任务59条,占比约81%。") == [
        "random_inspection_tasks", None, None]


def test_subset_of_another_indicator_keeps_its_key():
    assert _keys("进行合法性审查173件,其中合同协议97件。") == ["legality_reviews", "contracts_reviewed"]


def test_noun_in_the_previous_clause():
    assert _keys("梳理公布区级行政许可事项清单,共203项。") == ["administrative_license_items"]


def test_target_of_a_measure_is_not_the_stock():
    assert _keys("对46项涉企经营许可事项实行告知承诺。") == [None]


def test_change_has_no_indicator():
    assert _keys("行政复议申请同比增长63.4%") == [None]


def test_unit_must_fit_the_indicator():
    assert _keys("开展矛盾纠纷排查1.2万次") == [None]


def test_money_indicator():
    assert _keys("全年罚没款41.73亿元") == ["penalty_amount"]


def test_wage_arrears_people_and_money():
    assert _keys("为1758人解决拖欠工资1656.8万元") == ["wage_arrears_workers", "wage_arrears_amount"]


def test_leadership_study_versus_staff_training():
    assert _keys("县委理论学习中心组开展专题学法4次,组织全县执法人员培训3次。") == [
        "leader_law_study_sessions", None]


def test_publicity_events_versus_materials():
    assert _keys("开展法治宣传活动331次,发放宣传资料1.2万份。") == ["law_publicity_events", None]


def test_unmapped_figure_keeps_its_label():
    assert _labels("检查各类企业1000余家次") == ["检查各类企业"]


def test_label_of_an_elided_subject_is_its_verb():
    assert _labels("排查矛盾纠纷845件,化解769件")[1] == "化解"


def test_custom_table_is_used(tmp_path):
    table = tmp_path / "ind.toml"
    table.write_text('[[indicator]]\nkey = "trees"\nname = "植树"\nunits = ["株"]\nphrases = ["植树"]\n',
                     encoding="utf-8")
    metrics = extract_figures("全年植树1200株")
    assign_indicators("全年植树1200株", metrics, load_indicators(table))
    assert metrics[0].indicator == "trees"


@pytest.mark.parametrize(("text", "key"), [
    ("向市政府和区人大常委会报备规范性文件8件", "normative_documents_filed"),
    ("废止规范性文件7件", "normative_documents_repealed"),
    ("审议重大行政决策事项6件", "major_decisions"),
    ("开展专项执法检查132次", "enforcement_inspections"),
    ("全省行政机关办理行政处罚案件86.4万件", "enforcement_cases"),
    ("办理法律援助案件6,485件", "legal_aid_cases"),
    ("解答群众法律咨询8.7万人次", "legal_consultations"),
    ("聘请法律顾问58人", "legal_advisers"),
    ("全年收到依申请公开912件", "disclosure_requests"),
    ("审查政府合同218份", "contracts_reviewed"),
    ("规范性文件合法性审查率达到100%", "legality_review_rate"),
    ("备案审查乡镇规范性文件8件", "normative_documents_filed"),
    ("开展法治讲座进企业活动24场", "law_publicity_events"),
    ("开展“双随机、一公开”联合抽查86次", "random_inspection_tasks"),
    ("立案查处各类违法案件312件", "enforcement_cases"),
])
def test_synonyms(text, key):
    assert _keys(text) == [key]


# Indicators as real reports word them (issue #8, item 8). Every sentence is fictional.

@pytest.mark.parametrize("text", [
    "实现“跨省通办”事项126项", "推出“全国通办”事项30项"])
def test_cross_province_wordings(text):
    assert _keys(text) == ["cross_province_services"]


@pytest.mark.parametrize("text", [
    "实现“省内通办”事项88项", "推出“异地可办”事项56项", "实现“全域通办”事项40项", "实现“跨市域通办”事项35项",
    "推出“跨县通办”事项45项", "1064项政务服务事项实现“全城通办”", "300个高频事项实现“全市通办”",
    "梳理“异地代收代办”事项18项"])
def test_cross_region_wordings(text):
    assert _keys(text) == ["cross_region_services"]


def test_all_staff_study_is_not_leaders_study():
    assert _keys("组织全体干部职工学法12次,县政府常务会议学法6次,政府全体会议专题学法1次。") == [
        None, "leader_law_study_sessions", "leader_law_study_sessions"]


def test_meeting_and_study_on_either_side_of_the_figure():
    assert _keys("市政府常务会议先后4次对《虚构条例》《虚构法》等法律法规进行专题学习。") == [
        "leader_law_study_sessions"]
    assert _keys("召开市政府常务会议11次研究部署法治政府建设工作。") == [None]


def test_a_rule_for_every_government_is_not_a_count():
    assert _keys("各级政府常务会议全年至少举办法治专题讲座2期以上。") == [None]


def test_a_count_of_lists_is_not_a_count_of_items():
    assert _keys("梳理各类政务服务事项清单31个,保留政务服务事项1300项。") == [None, "government_service_items"]


def test_items_of_one_channel_are_not_the_catalogue():
    assert _keys("市本级1638项政务服务事项进驻中心,1148个政务服务事项网上可办,社区受理政务服务事项150项。") == [
        "government_service_items", None, None]
    assert _keys("依申请政务服务事项1486项全部实现网上可办。") == ["government_service_items"]


def test_the_noun_after_a_figure_belongs_to_it():
    assert _keys("局机关共有4名法律顾问、20名公职律师,聘请法律顾问6名。") == [
        "legal_advisers", None, "legal_advisers"]


def test_filings_of_inspections_are_not_inspections():
    assert _keys("推进行政检查执法备案7788次,开展执法检查32次。") == [None, "enforcement_inspections"]


def test_document_titles_do_not_name_a_figure():
    assert _keys("下发了《虚构县政务服务事项流程再造方案》等各类文件20余件。") == [None]


def test_a_repeal_takes_its_object_from_the_paragraph():
    assert _keys("制定政府规章1件,修订1件,废止6件。") == [None, None, None]
    assert _keys("开展规范性文件集中清理,废止五件。") == ["normative_documents_repealed"]


def test_one_groups_cases_are_a_part_of_the_count():
    assert _keys("办理农民工法律援助案件85件,化解涉农矛盾纠纷320件。") == [None, None]


def test_combined_counts_stay_null():
    assert _keys("涉行政复议、行政诉讼案件743件。") == [None]


def test_rate_after_a_link_word():
    assert _keys("全县人民调解组织调解纠纷1200件,成功率达99%以上。") == ["mediation_cases", "mediation_success_rate"]


def test_a_cadence_has_no_indicator():
    assert _keys("每季度集体学法不少于1次。") == [None]


def test_a_count_of_parts_is_not_an_indicator():
    assert _keys("报告包括收到和处理政府信息公开申请情况等六个方面。") == [None]


def test_a_court_appearance_heading_further_back_does_not_veto_litigation():
    assert _keys("履行出庭应诉义务虚构镇人民政府全年共有行政应诉案件2件,负责人出庭应诉2次。") == [
        "admin_litigation_cases", None]
