"""Report metadata: year reported on, district and issuer, admin code, kind, cleaned title."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fzzf.parsers.metadata import arabic_years, clean_title, report_metadata
from fzzf.scrapers.extract import extract_page
from fzzf.sites.registry import Site

SITE = Site(id="fict-qinglan", name="青岚县人民政府（虚构）", province="虚构省", level="county",
            start_urls=("http://www.qinglan-fict.gov.cn/col/col1/index.html",), district="青岚县",
            admin_code="990521")


@pytest.mark.parametrize(("title", "district", "issuer"), [
    ("星河区2023年法治政府建设年度报告", "星河区", "星河区"),
    ("松溪县2020年度法治政府建设工作情况报告", "松溪县", "松溪县"),
    ("青岚县人民政府关于2022年法治政府建设情况的报告", "青岚县", "青岚县人民政府"),
    ("金川市司法局2019年法治政府建设工作报告", "金川市", "金川市司法局"),
    ("东湖区市场监督管理局2024年法治政府建设年度报告", "东湖区", "东湖区市场监督管理局"),
    ("霞光省司法厅2023年法治政府建设情况报告", "霞光省", "霞光省司法厅"),
    ("某某市某某区公安分局2022年法治政府建设工作报告", "某某市某某区", "某某市某某区公安分局"),
    ("桐沅县市政管理局2021年法治政府建设工作报告", "桐沅县", "桐沅县市政管理局"),
])
def test_district_and_issuer_from_title(make_page, title, district, issuer):
    meta = report_metadata(make_page("正文", title=title))
    assert (meta.district, meta.issuer) == (district, issuer)


def test_year_from_title(make_page):
    assert report_metadata(make_page("2021年,全县……", title="青岚县人民政府关于2022年法治政府建设情况的报告")).year == 2022


def test_year_from_body_opening(make_page):
    assert report_metadata(make_page("2021年,全县深入推进依法行政。", title="法治政府建设情况报告")).year == 2021


def test_year_from_published_minus_one(make_page):
    assert report_metadata(make_page("全县深入推进依法行政。", title="法治政府建设情况报告",
                                     published=date(2024, 3, 20))).year == 2023


def test_district_from_site_when_title_has_none(make_page):
    assert report_metadata(make_page("正文", title="2022年法治政府建设情况报告"), SITE).district == "青岚县"


def test_district_from_site_name_without_site(make_page):
    page = make_page("正文", title="2022年法治政府建设情况报告", site_name="白沙县人民政府门户网站")
    assert report_metadata(page).district == "白沙县"


def test_generic_zone_qualified_from_text(make_page):
    page = make_page("襄阳高新区管委会印发通知。襄阳高新区持续推进。结合高新区实际。", title="高新区2023年法治政府建设年度报告")
    assert report_metadata(page).district == "襄阳高新区"


def test_admin_code_from_site_id_code(make_page):
    assert report_metadata(make_page("正文", title="某区报告", site_id_code="1101070001")).admin_code == "110107"


def test_admin_code_from_site(make_page):
    assert report_metadata(make_page("正文", title="某县报告"), SITE).admin_code == "990521"


def test_admin_code_unknown(make_page):
    assert report_metadata(make_page("正文", title="某县报告")).admin_code is None


def test_kind_annual_report(make_page):
    assert report_metadata(make_page("正文", title="星河区2023年法治政府建设年度报告")).kind == "annual_report"


def test_kind_lookalike(make_page):
    assert report_metadata(make_page("正文", title="星河区2023年政府信息公开工作年度报告")).kind != "annual_report"


@pytest.mark.parametrize("title", ["白鹭市公安局2018年度法治政府建设情况报告--白鹭市公安局",
                                   "白鹭市公安局2018年度法治政府建设情况报告_白鹭市人民政府门户网站",
                                   "白鹭市公安局2018年度法治政府建设情况报告 | 白鹭市人民政府"])
def test_clean_title_drops_site_name(title):
    assert clean_title(title) == "白鹭市公安局2018年度法治政府建设情况报告"


def test_district_after_the_year(make_page):
    assert report_metadata(make_page("正文", title="2023年度星河区法治政府建设情况报告")).district == "星河区"


def test_title_without_place_has_no_issuer(make_page):
    assert report_metadata(make_page("正文", title="关于2022年法治政府建设情况的报告")).issuer is None


# A GBK page labelled utf-8 whose title and opening spell the year in characters (二〇二二年度), and whose
# closing plan paragraph starts 「2023年，」: the year reported on is 2022.
CN_YEAR = Path(__file__).resolve().parents[1] / "fixtures" / "cn_year" / "showarticle_2310.html"
CN_YEAR_URL = "http://www.yuchuan-fict.gov.cn/Article/ShowArticle.asp?ArticleID=2310"


@pytest.fixture
def cn_year_meta():
    return report_metadata(extract_page(CN_YEAR.read_bytes(), CN_YEAR_URL))


def test_character_year_title_keeps_its_characters(cn_year_meta):
    assert cn_year_meta.title == "峪川县人民政府关于二〇二二年度法治政府建设情况的报告"


def test_character_year_is_read_as_digits(cn_year_meta):
    assert cn_year_meta.year == 2022


def test_character_year_title_issuer(cn_year_meta):
    assert cn_year_meta.issuer == "峪川县人民政府"


def test_character_year_title_district(cn_year_meta):
    assert cn_year_meta.district == "峪川县"


@pytest.mark.parametrize(("text", "expected"), [
    ("关于二〇二二年度法治政府建设情况的报告", "关于2022年度法治政府建设情况的报告"),
    ("二零二一年法治政府建设工作报告", "2021年法治政府建设工作报告"),
    ("落实三年行动方案", "落实三年行动方案"),
    ("一二三四年", "一二三四年"),
])
def test_arabic_years(text, expected):
    assert arabic_years(text) == expected


def test_year_from_body_skips_a_plan_paragraph_for_the_publication_year(make_page):
    body = "2024年，我县将继续深入推进法治政府建设。\n2023年，全县共办理行政复议案件12件。"
    page = make_page(body, title="法治政府建设情况报告", published=date(2024, 3, 20))
    assert report_metadata(page).year == 2023
