"""Integrity flags: injected spam, template placeholders, mojibake, traditional script."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fzzf.parsers.flags import _CJK_RUN_RE, _count, integrity_flags, load_rules

BODY = "2023年,全区共排查矛盾纠纷845件,化解769件,化解率91%。" * 5


@pytest.mark.parametrize("chrome", [
    "主办单位:开运体育网页版(中国)官方网站", "凯发k8官网", "bet365体育在线", "皇冠娱乐城", "澳门赌场",
    "博彩平台", "棋牌游戏", "XX体育app官网下载", "世界杯买球", "竞猜平台",
])
def test_spam_in_chrome(chrome):
    assert integrity_flags("某区2023年法治政府建设年度报告", BODY, chrome) == ["spam_injection"]


def test_spam_in_title():
    assert "spam_injection" in integrity_flags("某区2023年法治政府建设年度报告-凯发娱乐", BODY)


def test_government_sports_centre_is_not_spam():
    assert integrity_flags("某区2023年法治政府建设年度报告", BODY, "承办单位:新媒体与文化旅游体育中心") == []


def test_spam_words_in_body_do_not_flag():
    # A report may describe a crackdown on gambling; only title, header and footer are checked for spam.
    assert integrity_flags("报告", BODY + "依法打击赌场、博彩等违法犯罪。", "") == []


@pytest.mark.parametrize("body", ["XX区2023年法治政府建设年度报告", "共开展执法检查*次", "20XX年工作安排"])
def test_template_placeholder(body):
    assert "template_placeholder" in integrity_flags("报告", body)


def test_mojibake():
    garbled = "鍙戝竷鏃堕棿锛屾硶娌绘斂搴滃缓璁惧勾搴︽姤鍛婂伐浣滃紑灞曟儏鍐碉紝鍔犲己娉曟不鏀垮簻寤鸿" * 3
    assert "mojibake" in integrity_flags("报告", BODY + garbled)


def test_replacement_characters_are_mojibake():
    assert "mojibake" in integrity_flags("报告", BODY + "\ufffd\ufffd\ufffd")


def test_traditional_script():
    trad = "全區共排查矛盾糾紛845件,化解769件。國家機關與人民團體協同推進法治政府建設,縣鄉兩級實現全覆蓋,會議審議議題。" * 3
    assert "traditional_script" in integrity_flags("報告", trad)


def test_clean_page_has_no_flags():
    assert integrity_flags("某区2023年法治政府建设年度报告", BODY, "主办单位:某区人民政府办公室") == []


def test_character_shares_count_every_character_once():
    # The shares are counted over runs of characters; a per-character count is the reference.
    rules = load_rules()
    text = "皇冠" + "这是一个正常的报告内容" * 3 + "锟斤拷" + "甯傛斂搴" * 4 + "區縣發" * 5
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    assert _count(_CJK_RUN_RE, text) == len(cjk)
    assert _count(rules.gbk_re, text) == sum(ch in rules.gbk_chars for ch in cjk)
    assert _count(rules.traditional_re, text) == sum(ch in rules.traditional_chars for ch in cjk)


_EVERY_CHAR = "".join(map(chr, range(0x110000)))


def _rules_with_needs():
    rules = load_rules()
    return [rule for rule in (*rules.spam, *rules.spam_in_body, *rules.placeholder) if rule.needs]


def test_needs_hold_every_case_of_their_characters():
    # A case-insensitive match of a needed string's letter can be its other case: both must be listed.
    for rule in _rules_with_needs():
        listed = set("".join(rule.needs))
        either_case = re.compile("[" + "".join(re.escape(ch) for ch in sorted(listed)) + "]", re.I)
        assert set(either_case.findall(_EVERY_CHAR)) <= listed, rule.pattern.pattern


@given(st.lists(st.sampled_from(list("Xx×Ｘｘ○*＊aZ9 中国区县件次人项市体育真人官网") + ["365", "app", "网页版", "官方网站", "（", "(", "bet",
                                                         "手机版", "下载", "av", "AV", "在线", "网站"]),
                max_size=12))
@settings(max_examples=500, deadline=None)
def test_every_match_holds_a_needed_string(pieces):
    text = "".join(pieces)
    for rule in _rules_with_needs():
        match = rule.pattern.search(text)
        if match:
            assert any(n in match.group() for n in rule.needs), (rule.pattern.pattern, match.group())
