"""Figure formats (docs/figures.md), one behaviour per test, and the numbers that are not figures."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fzzf.parsers.figures import _MASK_PATTERNS, _holds, extract_figures
from fzzf.parsers.scoring import corpus_pages


def _one(text: str):
    found = extract_figures(text)
    assert len(found) == 1, [m.raw for m in found]
    return found[0]


def _triples(text: str) -> list[tuple]:
    return [(m.value, m.unit, m.qualifier) for m in extract_figures(text)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("全区共排查矛盾纠纷845件", 845, "件"),
    ("排查矛盾纠纷８４５件", 845, "件"),
    ("共受理案件1.375万件", 13750, "件"),
    ("处罚金额共169.122万元", 1691220, "元"),
    ("减负1.28亿元", 128000000, "元"),
    ("办件31.5万件", 315000, "件"),
    ("召开常务会议三次", 3, "次"),
    ("参与群众两万人次", 20000, "人次"),
    ("参考人数1,682人", 1682, "人"),
    ("整治面积3200平方米", 3200, "平方米"),
    ("清理垃圾12.5吨", 12.5, "吨"),
    ("交易11.8万笔", 118000, "笔"),
    ("追回欠薪1,280余万元", 12800000, "元"),
])
def test_value_and_unit(text, value, unit):
    metric = _one(text)
    assert (metric.value, metric.unit) == (value, unit)


@pytest.mark.parametrize(("text", "value"), [
    ("化解率91%", 91), ("化解率９１％", 91), ("审查率达到百分之九十五", 95), ("出庭率达到百分之百", 100),
    ("参考率100%", 100), ("占比约81%", 81),
])
def test_percent(text, value):
    metric = _one(text)
    assert (metric.value, metric.unit) == (value, "%")


@pytest.mark.parametrize("text", ["提供法律意见建议4165余人次", "开展活动近300场", "占比约81%", "服务企业超500家",
                                  "惠及企业100多家", "建成站点30个以上", "办理一千二百余件", "惠及百余家企业",
                                  "服务群众逾千人", "培训200人左右"])
def test_approx(text):
    assert _one(text).approx is True


@pytest.mark.parametrize("text", ["排查矛盾纠纷845件", "召开会议三次", "达到百分之百"])
def test_exact_is_not_approx(text):
    assert _one(text).approx is False


@pytest.mark.parametrize("text", ["年度学法不少于4次", "培训不低于20人", "至少3次"])
def test_lower_bound(text):
    assert _one(text).qualifier == "lower_bound"


@pytest.mark.parametrize("text", ["每期培训30至50人", "每期培训30-50人", "每期培训30~50人", "每期30人至50人"])
def test_range(text):
    assert _triples(text) == [(30, "人", "range_low"), (50, "人", "range_high")]


def test_per_item_list():
    assert _triples("分别实现83项、10项、42项、12项政务服务事项") == [
        (83, "项", None), (10, "项", None), (42, "项", None), (12, "项", None)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("新登记市场主体5.8万户,同比增长12.5%", 12.5, "%"),
    ("案件同比下降8%", -8, "%"),
    ("败诉率下降3.2个百分点", -3.2, "百分点"),
    ("占比较上年提高2个百分点", 2, "百分点"),
    ("收案量较上年减少15件", -15, "件"),
])
def test_changes_are_not_levels(text, value, unit):
    change = [m for m in extract_figures(text) if m.qualifier == "change"]
    assert [(m.value, m.unit) for m in change] == [(value, unit)]


def test_rate_raised_to_a_level_is_not_a_change():
    assert _one("覆盖率提高到95%").qualifier is None


def test_raw_and_offsets():
    text = "全区共排查矛盾纠纷845件,化解769件"
    metric = extract_figures(text)[1]
    assert (metric.raw, text[metric.start:metric.end]) == ("769件", "769件")


def test_sentence_is_kept():
    text = "前一句话。全区共排查矛盾纠纷845件,化解769件。后一句话"
    assert extract_figures(text)[0].sentence == "全区共排查矛盾纠纷845件,化解769件。"


@pytest.mark.parametrize("text", [
    "2023年4月25日印发通知", "2023年,全区开展工作", "二〇二三年工作", "于2024-02-22发布", "时间:2024.02.22",
    "上午9:30召开", "处罚七日内公示", "3个工作日内办结", "24小时在线", "3个月内完成",
    "印发《关于2023年3项制度的通知》", "(襄高管办函〔2022〕7号)", "襄高法委[2023]1号",
    "推行“763”工作法", "开展“三安行动”", "第3批试点", "第一次会议", "数十家企业",
    "增强“四个意识”", "做到两个维护", "落实三个规定", "八五普法", "十四五规划", "一规划两纲要", "1+6+3工作机制",
    "平安五小", "两代表一委员", "两微一端", "法律七进", "三项制度", "五大行动",
    "一张综合许可证", "一批项目", "一个平台", "办成一件事", "最后一公里",
    "地址:湖北省襄阳高新区东风汽车大道15号", "邮编:441000", "Tel:0710-3691718", "鄂ICP备16022027号",
    "鄂公网安备 42069002000083号", "政府网站标识码:4206000055", "http://www.example.gov.cn/12件",
    "拨打12345热线", "一是强化领导", "各部门协同", "百人宣讲团",
])
def test_not_a_figure(text):
    assert extract_figures(text) == []


@pytest.mark.parametrize("text", ["1.加强组织领导3项", "(一)完成任务5件", "一、总体完成8件"])
def test_list_numbering_is_not_a_figure(text):
    assert len(extract_figures(text)) == 1


def test_numbers_in_a_garbled_quote_still_counted_outside_it():
    assert _triples("开展“法律进企业”活动12场") == [(12, "场", None)]


def test_full_width_number_with_thousands_separator():
    assert _triples("办理行政处罚案件２，３５６件") == [(2356, "件", None)]


def test_figures_around_a_chinese_comma_stay_apart():
    assert _triples("排查845件，769件") == [(845, "件", None), (769, "件", None)]


def test_chinese_decimal_percent():
    assert _triples("满意率达到百分之八十五点六") == [(85.6, "%", None)]


@pytest.mark.parametrize("text", ["浏览次数:1234次", "阅读量:5678次", "在线人数:12人", "坚持两个结合", "打赢三大攻坚战",
                                  "做到三个区分开来"])
def test_chrome_counters_and_more_set_phrases(text):
    assert extract_figures(text) == []


@pytest.mark.parametrize(("text", "value"), [("收案量同比增幅12%", 12), ("罚没款同比降幅为8.5%", -8.5)])
def test_change_by_growth_rate_words(text, value):
    assert _triples(text) == [(value, "%", "change")]


def test_change_raw_keeps_its_direction_word():
    assert [m.raw for m in extract_figures("败诉率同比下降3.2个百分点")] == ["下降3.2个百分点"]


# Units and wording met on real report pages (issue #8, item 7). Every sentence is fictional.

@pytest.mark.parametrize(("text", "value", "unit"), [
    ("梳理公布政务服务事项236 项", 236, "项"),
    ("其中136\u3000项实现全程网办", 136, "项"),
    ("共投出选票1.2万票", 12000, "票"),
    ("接听群众来电3650通", 3650, "通"),
    ("组织执法人员轮训6轮次", 6, "轮次"),
    ("举办法治讲座12堂次", 12, "堂次"),
    ("上法治课8堂", 8, "堂"),
    ("推送普法信息2.3万条次", 23000, "条次"),
    ("调整优化5个工作项目", 5, "个"),
])
def test_units_met_on_real_pages(text, value, unit):
    metric = _one(text)
    assert (metric.value, metric.unit) == (value, unit)


def test_foreign_currency_keeps_its_own_unit():
    assert _triples("引进外资2.3亿美元,实际到位4500万美元,罚款120万元") == [
        (230000000, "美元", None), (45000000, "美元", None), (1200000, "元", None)]


@pytest.mark.parametrize(("text", "value"), [
    ("涉企行政检查频次压降35%", -35), ("办事环节压减42.5%", -42.5), ("办理时限压缩60%", -60)])
def test_cuts_are_decreases(text, value):
    assert _triples(text) == [(value, "%", "change")]


def test_a_cut_count_is_a_level_and_a_cut_to_is_no_change():
    assert _triples("压减办事环节435个,审批时限压缩至3个工作日") == [(435, "个", None)]


@pytest.mark.parametrize("text", [
    "依据《条例》第二十条、二十一条规定处理", "适用第3条、5条", "适用第3至5条", "认真落实省委十届六次、七次全会部署",
    "省委召开十二届八次全会", "市政府十七届61次常务会议审议通过",
])
def test_ordinals_carry_across_a_list(text):
    assert extract_figures(text) == []


def test_an_ordinal_does_not_swallow_a_count_after_it():
    assert _triples("位列第一、3个项目获奖") == [(3, "个", None)]


def test_frequencies_are_cadences_not_work_done():
    found = extract_figures("坚持每两月1次召开联席会议,每季度集体学法不少于1次,全年开展专项检查4次")
    assert [(m.value, m.qualifier, m.scope) for m in found] == [
        (1, None, "per_period"), (1, "lower_bound", "per_period"), (4, None, None)]


@pytest.mark.parametrize("text", ["建立市四套班子成员法治建设联系点", "完成好两件大事", "推动法治政府建设十项重点任务落地"])
def test_named_programmes_are_not_figures(text):
    assert extract_figures(text) == []


def test_mask_patterns_hold_the_string_they_are_skipped_without():
    # nonfigure_mask skips a pattern on a text without its `needs` string: every match must contain it.
    texts = [html.read_text(encoding="utf-8", errors="replace") for html, _ in corpus_pages()]
    texts.append("第3条、5条 十届六次、七次全会 1+6+3 2023年3月5日 10:30 邮编 610000 蜀ICP备12345号 公网安备 51010402000123号"
                 " 〔2022〕7号 三月五日 二〇二三年 一是 0731-88886666 13800138000 “763”工作法 2023-03-05 2023.3.5"
                 "\n(一)加强 2、推进 网站标识码：1234567890 https://x.gov.cn www.x.cn 地址：某路1号 12345热线 浏览次数：99")
    checked = 0
    for pattern, needs in _MASK_PATTERNS:
        for text in texts if needs else ():
            for match in pattern.finditer(text):
                assert _holds(match.group(), needs), (pattern.pattern, match.group())
                checked += 1
    assert checked > 100


@given(st.lists(st.sampled_from(list("0123456789 　月份日号年x\n") + ["12", "月份", "5日"]), max_size=16))
@settings(max_examples=500, deadline=None)
def test_month_mask_is_the_two_branch_pattern(pieces):
    # The month pattern was 「D月D日|D月份」 as two branches; written with 月 once it must mask the same spans.
    text = "".join(pieces)
    two_branches = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}\s*月份?", re.M)
    month = next(p for p, needs in _MASK_PATTERNS if needs == "月" and p.pattern.startswith("\\d"))
    assert [m.span() for m in month.finditer(text)] == [m.span() for m in two_branches.finditer(text)]
