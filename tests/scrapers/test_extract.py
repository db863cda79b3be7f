"""Page extraction per family fixture: one assertion per field."""
from __future__ import annotations

from datetime import date

import pytest

from fzzf.scrapers.extract import extract_page

BASE = "http://gov.example"


@pytest.fixture
def extract(fixtures_dir):
    def run(rel: str, path: str | None = None):
        url = f"{BASE}/{path or rel.split('/', 1)[1]}"
        return extract_page((fixtures_dir / rel).read_bytes(), url)
    return run


TRS_2023 = "trs/fzzfjsndbg/202403/t20240328_6583952.html"
TRS_2022 = "trs/fzzfjsndbg/202303/t20230325_5512034.html"
TRS_2021 = "trs/fzzfjsndbg/202203/t20220330_4410025.html"
HANWEB_2023 = "hanweb/art/2024/3/20/art_1234_9001.html"
HANWEB_2022 = "hanweb/art/2023/3/28/art_1234_8001.html"
GBK_2023 = "gbk/fzzf/2023report.html"
MISLABELLED = "gbk/fzzf/2021report.html"
GKMLPT = "guangdong/gkmlpt/content/0/771/post_3890012.html"
GD_POST = "guangdong/content/post_3790001.html"
ANHUI = "anhui/OpennessContent/show/2984561.html"
GENERIC_PDF = "generic/news/2024-0321.jhtml"
GENERIC_DOCX = "generic/news/2023-0330.jhtml"


# TRS with full government meta tags
def test_trs_meta_title(extract):
    assert extract(TRS_2023).title == "青禾区2023年法治政府建设年度报告"


def test_trs_meta_pubdate(extract):
    page = extract(TRS_2023)
    assert (page.published, page.published_from) == (date(2024, 3, 28), "meta")


def test_trs_meta_source(extract):
    assert extract(TRS_2023).source == "青禾区司法局"


def test_trs_meta_site_fields(extract):
    page = extract(TRS_2023)
    assert (page.site_name, page.site_id_code, page.column_name) == (
        "青禾区人民政府(虚构示例)", "9901020001", "法治政府建设年度报告")


def test_trs_body_one_paragraph_per_line_with_headings_alone(extract):
    lines = extract(TRS_2023).body.splitlines()
    assert "一、2023年推进法治政府建设的主要举措和成效" in lines
    assert "(二)化解矛盾纠纷。全年共排查矛盾纠纷612件,化解598件,化解率97.7%。" in lines


def test_trs_body_excludes_chrome(extract):
    body = extract(TRS_2023).body
    assert "主办单位" not in body
    assert "今天是" not in body


def test_trs_chrome_keeps_footer(extract):
    assert "主办单位:青禾区人民政府办公室(虚构示例)" in extract(TRS_2023).chrome


# TRS with only a byline, and a today-date trap in the header
def test_trs_byline_date_not_the_chrome_today_date(extract):
    page = extract(TRS_2022)
    assert (page.published, page.published_from) == (date(2023, 3, 25), "byline")


def test_trs_byline_source(extract):
    assert extract(TRS_2022).source == "青禾区司法局"


def test_trs_heading_title_from_detail_title_div(extract):
    assert extract(TRS_2022).title == "青禾区2022年度法治政府建设情况报告"


# Date only in the URL (and a today-date trap)
def test_url_only_date(extract):
    page = extract(TRS_2021)
    assert (page.published, page.published_from) == (date(2022, 3, 30), "url")


def test_url_only_page_title_from_h1(extract):
    assert extract(TRS_2021).title == "青禾区人民政府关于2021年法治政府建设情况的报告"


def test_hanweb_art_url_date_when_nothing_else(fixtures_dir):
    html = "<html><body><div id='zoom'><p>" + "内容" * 30 + "</p></div></body></html>"
    page = extract_page(html.encode(), f"{BASE}/art/2022/2/23/art_123_456.html")
    assert (page.published, page.published_from) == (date(2022, 2, 23), "url")


# Hanweb
def test_hanweb_lowercase_meta_names(extract):
    page = extract(HANWEB_2023)
    assert (page.title, page.site_id_code, page.source) == ("松岭县2023年法治政府建设年度报告", "9903250001", "松岭县司法局")


def test_hanweb_zoom_body(extract):
    assert extract(HANWEB_2023).body.splitlines()[1] == "一、主要工作和成效"


def test_hanweb_labelled_byline_date(extract):
    assert extract(HANWEB_2023).published == date(2024, 3, 20)


def test_hanweb_chinese_datetime_byline(extract):
    page = extract(HANWEB_2022)
    assert (page.published, page.published_from) == (date(2023, 3, 28), "byline")


# GBK with a meta charset
def test_gbk_decoded(extract):
    page = extract(GBK_2023)
    assert page.encoding == "gb18030"
    assert "镕、瑢、喆" in page.body


def test_gbk_title_and_date(extract):
    page = extract(GBK_2023)
    assert (page.title, page.published) == ("石泉区2023年度法治政府建设情况报告", date(2024, 3, 15))


def test_gbk_source(extract):
    assert extract(GBK_2023).source == "石泉区司法局"


# Mislabelled page with the unseparated byline
def test_mislabelled_page_is_flagged_and_readable(extract):
    page = extract(MISLABELLED)
    assert page.encoding == "utf-8"
    assert "encoding_mislabelled" in page.flags
    assert "全年审查行政合同96份。" in page.body.splitlines()


def test_unseparated_byline_date_and_source(extract):
    page = extract(MISLABELLED)
    assert (page.published, page.source) == (date(2022, 3, 30), "石泉区司法局")


# Guangdong gkmlpt: date only in the 索引号 table
def test_gkmlpt_table_date(extract):
    page = extract(GKMLPT)
    assert (page.published, page.published_from) == (date(2024, 3, 26), "table")


def test_gkmlpt_table_issuer_as_source(extract):
    assert extract(GKMLPT).source == "榕湾区司法局"


def test_gkmlpt_table_not_in_body_or_chrome(extract):
    page = extract(GKMLPT)
    assert "索引号" not in page.body
    assert "索引号" not in page.chrome


def test_guangdong_post_time_label(extract):
    page = extract(GD_POST)
    assert (page.title, page.published) == ("榕湾区2022年法治政府建设年度报告", date(2023, 3, 29))


# Anhui: th/td 索引号 table
def test_anhui_table_date(extract):
    page = extract(ANHUI)
    assert (page.published, page.published_from) == (date(2024, 3, 29), "table")


def test_anhui_title_and_body(extract):
    page = extract(ANHUI)
    assert page.title == "皖溪县2023年度法治政府建设工作情况报告"
    assert page.body.splitlines()[-1] == "推进行政执法规范化建设。"


# Attachment-only pages
def test_pdf_link_attachment(extract):
    page = extract(GENERIC_PDF)
    assert [(a.url, a.kind) for a in page.attachments] == [(f"{BASE}/files/liuchuan-2023.pdf", "pdf")]
    assert "body_is_attachment" in page.flags


def test_docx_iframe_attachment(extract):
    page = extract(GENERIC_DOCX)
    assert [(a.url, a.kind, a.name) for a in page.attachments] == [
        (f"{BASE}/files/liuchuan-2022.docx", "docx", "liuchuan-2022.docx")]


def test_generic_chinese_date_byline(extract):
    page = extract(GENERIC_PDF)
    assert (page.published, page.source) == (date(2024, 3, 21), "柳川市司法局办公室")


def test_title_tag_minus_site_suffix():
    html = ("<html><head><title>某县2023年法治政府建设年度报告_某县人民政府</title></head>"
            "<body><p>" + "正文" * 40 + "</p></body></html>")
    assert extract_page(html.encode(), f"{BASE}/a.html").title == "某县2023年法治政府建设年度报告"


def test_chrome_today_date_alone_is_never_the_publish_date():
    html = ("<html><body><div class='top'>今天是:2019年10月31日 星期四</div>"
            "<div class='content'><p>" + "正文" * 40 + "</p></div></body></html>")
    page = extract_page(html.encode(), f"{BASE}/a.html")
    assert page.published is None


def test_seed_style_footer_site_id_code():
    html = ("<html><body><div class='content'><p>" + "正文" * 40 + "</p></div>"
            "<div class='foot'>主办单位:某网(虚构) 政府网站标识码:4206000055</div></body></html>")
    assert extract_page(html.encode(), f"{BASE}/a.html").site_id_code == "4206000055"


def test_scanned_images_body_needs_ocr():
    html = "<html><body><div id='zoom'><p><img src='/p1.jpg'></p><p><img src='/p2.jpg'></p></div></body></html>"
    assert "needs_ocr" in extract_page(html.encode(), f"{BASE}/a.html").flags


def test_attachment_links_just_below_the_article_container():
    html = ("<html><body><div class='main'><div class='TRS_Editor'><p>" + "正文" * 40 + "</p></div>"
            "<div class='fj'>附件:<a href='./P020240328512345.pdf'>某区2023年法治政府建设年度报告.pdf</a></div></div>"
            "<div class='side'><a href='/xzzx/form.doc'>表格下载</a></div></body></html>")
    page = extract_page(html.encode(), f"{BASE}/fzzf/202403/t20240328_1.html")
    assert [(a.url, a.name) for a in page.attachments] == [
        (f"{BASE}/fzzf/202403/P020240328512345.pdf", "某区2023年法治政府建设年度报告.pdf")]


def test_hanweb_download_servlet_attachment():
    html = ("<html><body><div id='zoom'><p>见附件。</p><a href='/module/download/downfile.jsp?classid=0"
            "&filename=2403201234.pdf'>某县2023年法治政府建设年度报告</a></div></body></html>")
    page = extract_page(html.encode(), f"{BASE}/art/2024/3/20/art_1_2.html")
    assert [a.kind for a in page.attachments] == ["pdf"]
    assert "body_is_attachment" in page.flags


# A jeecms page whose body is a PDF embedded through a pdf.js viewer iframe (`viewer.html?file=…pdf`).
PDF_VIEWER = "pdf_viewer/D49Y/8120456.jhtml"


def test_pdf_viewer_attachment_is_the_pdf_not_the_viewer(extract):
    assert [a.url for a in extract(PDF_VIEWER).attachments] == [f"{BASE}/u/cms/www/202103/26094512abcd.pdf"]


def test_pdf_viewer_attachment_kind(extract):
    assert extract(PDF_VIEWER).attachments[0].kind == "pdf"


def test_pdf_viewer_body_is_attachment(extract):
    assert "body_is_attachment" in extract(PDF_VIEWER).flags


def test_pdf_viewer_date_from_time_byline(extract):
    assert extract(PDF_VIEWER).published == date(2021, 3, 26)


# A Hanweb page without meta tags whose title cell breaks the title over two lines with <br>.
TWO_LINE = "two_line_title/art/2021/3/29/art_2871_2570088.html"


def test_two_line_title_is_joined_without_a_space(extract):
    assert extract(TWO_LINE).title == "朔岭县人民政府关于2020年度法治政府建设工作情况及2021年工作计划的报告"


def test_two_line_title_page_date(extract):
    assert extract(TWO_LINE).published == date(2021, 3, 29)


def test_two_line_title_page_source(extract):
    assert extract(TWO_LINE).source == "朔岭县司法局"


# A sidebar column heading (class left-title, 「法治政府建设」) comes before the article's own heading.
def test_title_when_the_title_tag_has_a_bare_hyphen_site_suffix(extract):
    assert extract("sidebar_heading/D49Y/9114231.jhtml").title == "榆滨市司法局2022年法治政府建设工作报告"


def test_title_when_the_title_tag_is_only_the_site_name(extract):
    assert extract("sidebar_heading/D49Y/8765012.jhtml").title == "榆滨市司法局2021年法治政府建设工作报告"


def test_sidebar_heading_page_date(extract):
    assert extract("sidebar_heading/D49Y/8765012.jhtml").published == date(2022, 3, 24)


# The header prints 「日期：2024年5月8日 星期三」; the publish date is in the 索引号 table.
WEEKDAY = "weekday_chrome/public/6596/45678901.html"


def test_weekday_chrome_date_is_not_the_publish_date(extract):
    assert extract(WEEKDAY).published == date(2022, 3, 31)


def test_weekday_chrome_page_date_source(extract):
    assert extract(WEEKDAY).published_from == "table"


def test_weekday_chrome_page_title(extract):
    assert extract(WEEKDAY).title == "淮溪县人民政府关于2021年法治政府建设情况的报告"


# A jeecms page whose only body is an attachment behind `attachment.jspx?cid=…` (no extension in the URL).
JSPX = "jspx_attachment/D49Y/7650033.jhtml"


def test_handler_attachment_url(extract):
    assert [a.url for a in extract(JSPX).attachments] == [f"{BASE}/attachment.jspx?cid=7650033&i=0&t=1585640000&k=a1b2c3"]


def test_handler_attachment_kind_from_the_link_text(extract):
    assert extract(JSPX).attachments[0].kind == "pdf"


def test_handler_attachment_body_is_attachment(extract):
    assert "body_is_attachment" in extract(JSPX).flags


# No meta tags, no byline; the footer prints 「网站更新时间：2024-05-08」 and the TRS URL carries the date.
FOOTER_UPDATE = "footer_update_time/fzzfjsndbg/202203/t20220328_4012345.html"


def test_footer_update_time_is_weaker_than_the_url_date(extract):
    assert extract(FOOTER_UPDATE).published == date(2022, 3, 28)


def test_footer_update_time_page_date_source(extract):
    assert extract(FOOTER_UPDATE).published_from == "url"


# Two `.content` blocks: a navigation wrapper first, then the article.
TWO_CONTENT = "two_content_divs/fzzf/show_1187.html"


def test_repeated_generic_container_picks_the_article(extract):
    assert extract(TWO_CONTENT).body.startswith("2021年，峤山区坚持以习近平法治思想为指导")


def test_repeated_generic_container_page_date(extract):
    assert extract(TWO_CONTENT).published == date(2022, 3, 29)


# Anhui page with spaced labels (索 引 号) whose only date is the table's 生成日期.
ANHUI_SPACED = "anhui_spaced/OpennessContent/show/3499124.html"


def test_spaced_index_table_date_from_generation_date(extract):
    assert extract(ANHUI_SPACED).published == date(2023, 3, 28)


def test_spaced_index_table_date_source(extract):
    assert extract(ANHUI_SPACED).published_from == "table"


def test_spaced_index_table_is_not_left_in_the_chrome(extract):
    assert "11341100003000000X" not in extract(ANHUI_SPACED).chrome


def test_spaced_index_table_source(extract):
    assert extract(ANHUI_SPACED).source == "淮溪县司法局"


# The title is only in <title>; the one heading-like element is the sidebar's column name, also a link.
COLUMN_HEADING = "column_heading/Article/show_1987.html"


def test_column_heading_is_not_the_title(extract):
    assert extract(COLUMN_HEADING).title == "峪川县2021年法治政府建设年度报告"


def test_column_heading_page_date(extract):
    assert extract(COLUMN_HEADING).published == date(2022, 3, 30)
