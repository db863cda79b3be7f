"""Consistency checks: a rate against its parts, and an indicator repeated with different values."""
from __future__ import annotations

from fzzf.parsers.checks import consistency_checks
from fzzf.parsers.figures import extract_figures
from fzzf.parsers.indicators import assign_indicators


def _checks(text: str):
    metrics = extract_figures(text)
    assign_indicators(text, metrics)
    return consistency_checks(metrics)


def test_rate_matching_its_parts_passes():
    assert _checks("全区共排查矛盾纠纷845件,化解769件,化解率91%。") == []


def test_rate_mismatch_flagged():
    assert [c.kind for c in _checks("全区共排查矛盾纠纷845件,化解769件,化解率95%。")] == ["rate_mismatch"]


def test_rate_mismatch_detail_shows_the_arithmetic():
    assert "769/845 = 91.0%" in _checks("排查矛盾纠纷845件,化解769件,化解率95%。")[0].detail


def test_decimal_rate_uses_a_tighter_tolerance():
    text = "人民调解委员会共受理矛盾纠纷9,836件,调解成功9,672件,成功率97.9%。"  # 9672/9836 = 98.3%
    assert [c.kind for c in _checks(text)] == ["rate_mismatch"]


def test_rate_named_by_the_bare_verb_before_it():
    assert [c.kind for c in _checks("共排查“平安五小”1845起,调处1533起,调处率99%。")] == ["rate_mismatch"]


def test_rate_of_something_else_is_not_checked():
    # 纠错率 is corrected/closed cases; the two counts before it are accepted and closed.
    assert _checks("收到行政复议申请1,168件,受理1,027件,审结986件,直接纠错率13.2%。") == []


def test_rate_beside_unrelated_counts_is_not_checked():
    assert _checks("废止规范性文件27件,报备规范性文件11件,报备率100%。") == []


def test_rate_in_another_sentence_is_not_checked():
    assert _checks("排查矛盾纠纷845件,化解769件。全年群众满意率95%。") == []


def test_conflicting_values_flagged():
    text = "全年罚没款41.73亿元。……重申:全年罚没款38.2亿元。"
    assert [c.kind for c in _checks(text)] == ["conflicting_values"]


def test_same_value_repeated_is_not_a_conflict():
    assert _checks("全年罚没款41.73亿元。重申:全年罚没款41.73亿元。") == []


def test_per_item_list_is_not_a_conflict():
    assert _checks("分别实现83项、10项、42项、12项政务服务事项“跨省通办”。") == []


def test_different_noun_phrases_are_not_a_conflict():
    assert _checks("县政府常务会议学法12次。县委理论学习中心组学法4次。") == []
