"""Scopes: figures that cover a span other than the year reported on (issue #8, item 9). Sentences are fictional."""
from __future__ import annotations

import pytest

from fzzf.parsers.figures import extract_figures


def _scopes(text: str, year: int | None = 2023) -> list[tuple[float, str | None]]:
    return [(m.value, m.scope) for m in extract_figures(text, year=year)]


def test_since_a_start_is_cumulative_until_the_sentence_ends():
    text = ("自“五大行动”启动以来,法律服务团共服务企业584家,提供法律咨询服务7760人次,开展法治宣传活动331次。"
            "2023年,提供法律咨询服务760人次,开展法治宣传活动31次。")
    assert _scopes(text) == [(584, "cumulative"), (7760, "cumulative"), (331, "cumulative"), (760, None), (31, None)]


def test_since_the_year_reported_on_is_that_year():
    assert _scopes("2023年以来开展专题讲座36期,今年以来办理案件12件。") == [(36, None), (12, None)]
    assert _scopes("2021年以来开展专题讲座36期。") == [(36, "cumulative")]


def test_since_a_year_is_cumulative_when_the_year_reported_on_is_unknown():
    assert _scopes("2023年以来开展专题讲座36期。", year=None) == [(36, "cumulative")]


def test_running_total_covers_its_own_clause_and_list():
    assert _scopes("依法新增339项,累计调整规范3864项、删减17项,取消9项。") == [
        (339, None), (3864, "cumulative"), (17, "cumulative"), (9, None)]


@pytest.mark.parametrize(("text", "scope"), [
    ("近三年共审结复议案件1890件。", "multi_year"), ("五年来化解矛盾纠纷3.2万件。", "multi_year"),
    ("近年来办理法律援助案件1.56万件。", "multi_year"), ("截至目前,全县共有法律顾问68名。", "as_of"),
    ("截至2023年底,建成调解组织260个。", "as_of"), ("党的十九大以来,办理法律援助案件8000余件。", "cumulative"),
])
def test_span_wordings(text, scope):
    assert [s for _, s in _scopes(text)] == [scope]


def test_a_sentence_span_wins_over_a_running_total():
    assert _scopes("五年,全省累计调解纠纷超过14万件;") == [(140000, "multi_year")]
    assert _scopes("截至目前,累计受理行政复议案件2310件。") == [(2310, "as_of")]


def test_the_year_reported_on_takes_over_again_inside_a_span():
    assert _scopes("近三年共审结复议案件1890件,其中2023年审结620件。") == [(1890, "multi_year"), (620, None)]


def test_a_line_opening_with_a_number_of_years():
    assert _scopes("五年,修改地方性法规24部、省政府规章16部;\n2023年,修改规章3部。") == [
        (24, "multi_year"), (16, "multi_year"), (3, None)]


def test_always_is_not_a_span():
    assert _scopes("一直以来,我县全年开展普法活动30场。") == [(30, None)]


def test_a_running_total_within_the_year_reported_on_is_that_year():
    assert _scopes("2023年,全县开展普法活动,累计培训15万余人次、建成阵地583个。") == [(150000, None), (583, None)]
    assert _scopes("2021年以来,累计培训15万余人次。") == [(150000, "cumulative")]


def test_a_running_total_after_a_semicolon_is_not_the_years():
    assert _scopes("2023年,网上办件达6011件;累计精简申报材料288项。") == [(6011, None), (288, "cumulative")]

