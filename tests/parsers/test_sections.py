"""Section tree and the required parts of 厅字〔2019〕28号, whatever their order or wording."""
from __future__ import annotations

import pytest

from fzzf.parsers.sections import classify_heading, parse_outline, split_items

# Fictional report bodies written for these tests.
LEADER_FIRST = """2022年,本县法治政府建设取得新进展。
一、党政主要负责人履行推进法治建设第一责任人职责情况
县长带头学法,主持常务会议学法6次。
二、主要举措和成效
(一)深化放管服改革
1.推进政务服务标准化。梳理事项1200项。
2.推进证明事项清理。
(二)严格规范执法
三、存在的问题和下一步工作打算
(一)存在的问题
一是执法力量不足;二是普法针对性不强。
(二)2023年工作安排
一是加强队伍建设;二是深化普法;三是推进数字法治。
四、其他需要报告的事项
无。"""

ODD_WORDING = """一、2021年度法治政府建设工作开展情况
全年工作总体平稳。
二、短板弱项
我市仍存在一些短板:一是区域发展不平衡;二是执法规范化水平仍需提升。
三、下步打算
推进行政执法体制改革。"""


def test_paths():
    paths = [s.path for s in parse_outline(LEADER_FIRST).sections]
    assert paths[:6] == ["一", "二", "二/(一)", "二/(一)/1", "二/(一)/2", "二/(二)"]


def test_levels():
    sections = parse_outline(LEADER_FIRST).sections
    assert [s.level for s in sections[:4]] == [1, 1, 2, 3]


def test_heading_text():
    assert parse_outline(LEADER_FIRST).sections[3].heading == "推进政务服务标准化"


def test_section_spans_nest():
    sections = parse_outline(LEADER_FIRST).sections
    parent, child = sections[1], sections[2]
    assert parent.start < child.start < child.end <= parent.end


def test_path_at_offset():
    outline = parse_outline(LEADER_FIRST)
    assert outline.path_at(LEADER_FIRST.find("1200项")) == "二/(一)/1"


def test_path_before_first_heading_is_none():
    assert parse_outline(LEADER_FIRST).path_at(0) is None


def test_parts_in_any_order():
    assert set(parse_outline(LEADER_FIRST).parts) == {"measures", "problems", "leadership_duty", "plans", "other"}


def test_leadership_part_first_in_page():
    assert parse_outline(LEADER_FIRST).sections[0].part == "leadership_duty"


def test_child_inherits_part():
    sections = {s.path: s for s in parse_outline(LEADER_FIRST).sections}
    assert sections["二/(一)/1"].part == "measures"


def test_problems_items_from_yishi_erhshi():
    assert parse_outline(LEADER_FIRST).problems == ["执法力量不足", "普法针对性不强"]


def test_plans_items():
    assert parse_outline(LEADER_FIRST).plans == ["加强队伍建设", "深化普法", "推进数字法治"]


def test_odd_wording_parts():
    assert parse_outline(ODD_WORDING).parts == ["measures", "problems", "plans"]


def test_missing_leadership_part():
    assert "leadership_duty" not in parse_outline(ODD_WORDING).parts


def test_problems_items_when_heading_has_no_children():
    assert parse_outline(ODD_WORDING).problems == ["区域发展不平衡", "执法规范化水平仍需提升"]


def test_plans_from_plain_paragraph():
    assert parse_outline(ODD_WORDING).plans == ["推进行政执法体制改革。"]


@pytest.mark.parametrize(("heading", "parts"), [
    ("工作开展情况", ("measures",)),
    ("2023年法治政府建设主要举措和成效", ("measures",)),
    ("党政主要负责人履行推进法治建设第一责任人职责情况", ("leadership_duty",)),
    ("存在的不足及原因", ("problems",)),
    ("主要问题", ("problems",)),
    ("下一步工作打算", ("plans",)),
    ("2024年工作思路", ("plans",)),
    ("存在问题和下一步打算", ("problems", "plans")),
    ("其他需要报告的事项", ("other",)),
])
def test_classify_heading(heading, parts):
    assert classify_heading(heading) == parts


def test_decimal_is_not_a_heading():
    assert parse_outline("1.5万件案件已办结。\n一、工作情况").sections[0].path == "一"


def test_split_items():
    assert split_items("一是强化领导;二是压实责任。三是加强督察") == ["强化领导", "压实责任", "加强督察"]


def test_single_item_is_not_a_list():
    assert split_items("一是强化领导") == []


@pytest.mark.parametrize(("line", "path"), [("第一部分 工作成效", "一"), ("（一）全角括号", "(一)"),
                                            ("1、顿号编号", "1"), ("(1)阿拉伯括号", "(1)")])
def test_heading_styles(line, path):
    assert parse_outline(line).sections[0].number == path


UNNUMBERED = """2023年,本镇认真贯彻落实法治政府建设各项部署。
主要工作成效
全年办理行政复议案件3件。
存在的不足
普法形式较为单一,基层法治力量薄弱。
下一步工作计划
继续加强法治宣传。"""


def test_parts_from_unnumbered_headings():
    assert parse_outline(UNNUMBERED).parts == ["measures", "problems", "plans"]


def test_long_sentence_is_not_an_unnumbered_heading():
    assert parse_outline("我们将在下一步工作中持续加强法治宣传教育,努力提升群众满意度。").parts == []
