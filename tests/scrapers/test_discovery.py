"""List discovery per CMS family, from frozen fixtures (no network)."""
from __future__ import annotations

from datetime import date

from fzzf.scrapers.discovery import parse_list_page

BASE = "http://gov.example"


def _parse(fixtures_dir, rel, url, family=None):
    return parse_list_page((fixtures_dir / rel).read_bytes(), url, family=family)


def _titles(page):
    return [link.title for link in page.links]


def test_trs_first_page_links(fixtures_dir):
    page = _parse(fixtures_dir, "trs/fzzfjsndbg/index.html", f"{BASE}/fzzfjsndbg/index.html")
    assert page.family == "trs"
    assert page.links[0].url == f"{BASE}/fzzfjsndbg/202403/t20240328_6583952.html"


def test_trs_duplicate_pinned_link_is_listed_once(fixtures_dir):
    page = _parse(fixtures_dir, "trs/fzzfjsndbg/index.html", f"{BASE}/fzzfjsndbg/index.html")
    urls = [link.url for link in page.links]
    assert urls.count(f"{BASE}/fzzfjsndbg/202403/t20240328_6583952.html") == 1
    assert len(urls) == 3


def test_trs_truncated_anchor_text_takes_the_title_attribute(fixtures_dir):
    page = _parse(fixtures_dir, "trs/fzzfjsndbg/index.html", f"{BASE}/fzzfjsndbg/index.html")
    assert page.links[0].title == "青禾区2023年法治政府建设年度报告"


def test_trs_listed_date(fixtures_dir):
    page = _parse(fixtures_dir, "trs/fzzfjsndbg/index.html", f"{BASE}/fzzfjsndbg/index.html")
    assert page.links[0].listed_date == date(2024, 3, 28)


def test_trs_nav_and_breadcrumb_links_are_not_list_items(fixtures_dir):
    page = _parse(fixtures_dir, "trs/fzzfjsndbg/index.html", f"{BASE}/fzzfjsndbg/index.html")
    assert "新闻中心" not in _titles(page)
    assert "政府信息公开指南" not in _titles(page)


def test_trs_create_page_html_with_variables_gives_index_n_pages(fixtures_dir):
    page = _parse(fixtures_dir, "trs/fzzfjsndbg/index.html", f"{BASE}/fzzfjsndbg/index.html")
    assert page.next_urls == [f"{BASE}/fzzfjsndbg/index_1.html", f"{BASE}/fzzfjsndbg/index_2.html"]


def test_trs_middle_page_points_back_to_index_html(fixtures_dir):
    page = _parse(fixtures_dir, "trs/fzzfjsndbg/index_1.html", f"{BASE}/fzzfjsndbg/index_1.html")
    assert page.next_urls == [f"{BASE}/fzzfjsndbg/index.html", f"{BASE}/fzzfjsndbg/index_2.html"]


def test_trs_from_a_directory_url(fixtures_dir):
    page = _parse(fixtures_dir, "trs/fzzfjsndbg/index.html", f"{BASE}/fzzfjsndbg/")
    assert f"{BASE}/fzzfjsndbg/index_2.html" in page.next_urls


def test_hanweb_records_come_from_the_xml_datastore(fixtures_dir):
    page = _parse(fixtures_dir, "hanweb/col/col1234/index.html", f"{BASE}/col/col1234/index.html")
    assert page.family == "hanweb"
    assert [link.url for link in page.links] == [
        f"{BASE}/art/2024/3/20/art_1234_9001.html",
        f"{BASE}/art/2024/1/8/art_1234_8900.html",
        f"{BASE}/art/2023/3/28/art_1234_8001.html",
    ]


def test_hanweb_truncated_record_title(fixtures_dir):
    page = _parse(fixtures_dir, "hanweb/col/col1234/index.html", f"{BASE}/col/col1234/index.html")
    assert page.links[2].title == "松岭县2022年度法治政府建设情况报告"


def test_hanweb_record_date(fixtures_dir):
    page = _parse(fixtures_dir, "hanweb/col/col1234/index.html", f"{BASE}/col/col1234/index.html")
    assert page.links[2].listed_date == date(2023, 3, 28)


def test_hanweb_total_pages_give_page_num_urls(fixtures_dir):
    page = _parse(fixtures_dir, "hanweb/col/col1234/index.html", f"{BASE}/col/col1234/index.html")
    assert page.next_urls == [f"{BASE}/col/col1234/index.html?uid=5678&pageNum=2"]


def test_gbk_list_is_decoded_from_its_meta_charset(fixtures_dir):
    page = _parse(fixtures_dir, "gbk/fzzf/index.html", f"{BASE}/fzzf/index.html")
    assert _titles(page)[0] == "石泉区2023年度法治政府建设情况报告"


def test_gbk_list_bracketed_dates(fixtures_dir):
    page = _parse(fixtures_dir, "gbk/fzzf/index.html", f"{BASE}/fzzf/index.html")
    assert page.links[0].listed_date == date(2024, 3, 15)


def test_guangdong_posts_only_and_fragment_duplicates_merged(fixtures_dir):
    page = _parse(fixtures_dir, "guangdong/zwgk/fzzfjs/index.html", f"{BASE}/zwgk/fzzfjs/index.html")
    assert page.family == "guangdong"
    assert [link.url for link in page.links] == [
        f"{BASE}/gkmlpt/content/0/771/post_3890012.html",
        f"{BASE}/content/post_3790001.html",
        f"{BASE}/content/post_3790077.html",
    ]


def test_guangdong_pager_next_link(fixtures_dir):
    page = _parse(fixtures_dir, "guangdong/zwgk/fzzfjs/index.html", f"{BASE}/zwgk/fzzfjs/index.html")
    assert page.next_urls == [f"{BASE}/zwgk/fzzfjs/index_2.html"]


def test_guangdong_gkmlpt_json_articles(fixtures_dir):
    page = _parse(fixtures_dir, "guangdong/gkmlpt/api/all/771.json", f"{BASE}/gkmlpt/api/all/771.json")
    assert page.links[0].url == "https://www.rongwan.example.gov.cn/gkmlpt/content/0/771/post_3890012.html"
    assert page.links[0].listed_date == date(2024, 3, 26)  # Unix seconds read as Beijing time
    assert page.links[1].url == f"{BASE}/content/post_3790077.html"


def test_guangdong_gkmlpt_json_pagination(fixtures_dir):
    page = _parse(fixtures_dir, "guangdong/gkmlpt/api/all/771.json", f"{BASE}/gkmlpt/api/all/771.json")
    assert page.next_urls == [f"{BASE}/gkmlpt/api/all/771.json?page=2"]


def test_anhui_openness_content_links_only(fixtures_dir):
    page = _parse(fixtures_dir, "anhui/OpennessInfo/fzzf/index.html", f"{BASE}/OpennessInfo/fzzf/index.html")
    assert page.family == "anhui"
    assert [link.url.rsplit("/", 1)[1] for link in page.links] == ["2984561.html", "2984000.html", "2870123.html"]


def test_anhui_javascript_pager_is_ignored(fixtures_dir):
    page = _parse(fixtures_dir, "anhui/OpennessInfo/fzzf/index.html", f"{BASE}/OpennessInfo/fzzf/index.html")
    assert page.next_urls == []


def test_generic_list_dotted_dates_and_next_page(fixtures_dir):
    page = _parse(fixtures_dir, "generic/news/list.html", f"{BASE}/news/list.html")
    assert page.family == "generic"
    assert page.links[0] == (f"{BASE}/news/2024-0321.jhtml", "柳川市司法局2023年法治政府建设工作报告", date(2024, 3, 21))
    assert page.next_urls == [f"{BASE}/news/list_2.html"]


def test_generic_menu_links_are_skipped(fixtures_dir):
    page = _parse(fixtures_dir, "generic/news/list.html", f"{BASE}/news/list.html")
    assert "网站首页" not in _titles(page)


def test_registry_family_overrides_detection(fixtures_dir):
    page = _parse(fixtures_dir, "trs/fzzfjsndbg/index.html", f"{BASE}/fzzfjsndbg/index.html", family="generic")
    assert page.family == "generic"
    assert page.next_urls == []  # the generic adapter does not run TRS pager scripts


def test_list_inside_a_chrome_like_wrapper_is_still_found():
    html = ("<html><body class='top'><div class='top-wrap'><ul>"
            "<li><a href='/a/1.html'>某区2023年法治政府建设年度报告</a> 2024-03-01</li>"
            "</ul></div></body></html>")
    page = parse_list_page(html.encode(), f"{BASE}/list.html")
    assert [link.url for link in page.links] == [f"{BASE}/a/1.html"]


def test_javascript_and_anchor_only_links_are_ignored():
    html = ("<html><body><ul><li><a href='javascript:void(0)'>某区2023年法治政府建设年度报告</a></li>"
            "<li><a href='#top'>某区2022年法治政府建设年度报告</a></li></ul></body></html>")
    assert parse_list_page(html.encode(), f"{BASE}/list.html").links == []


def test_div_only_list_without_list_items():
    html = ("<html><body><div class='news'>"
            "<div class='item'><a href='/c/2.html'>某区2023年法治政府建设年度报告</a><span>2024-03-02</span></div>"
            "<div class='item'><a href='/c/1.html'>某区2023年政府信息公开工作年度报告</a><span>2024-01-20</span></div>"
            "</div></body></html>")
    page = parse_list_page(html.encode(), f"{BASE}/list.html")
    assert page.links == [(f"{BASE}/c/2.html", "某区2023年法治政府建设年度报告", date(2024, 3, 2)),
                          (f"{BASE}/c/1.html", "某区2023年政府信息公开工作年度报告", date(2024, 1, 20))]


# TRS template that passes the pager element's id first: createPageHTML('page_div', 3, 1, 'index', 'shtml', 12)
def _page_div(fixtures_dir):
    return _parse(fixtures_dir, "trs_page_div/fzzfjsndbg/index_1.shtml", f"{BASE}/fzzfjsndbg/index_1.shtml")


def test_trs_page_div_form_is_trs(fixtures_dir):
    assert _page_div(fixtures_dir).family == "trs"


def test_trs_page_div_form_gives_the_other_pages(fixtures_dir):
    assert _page_div(fixtures_dir).next_urls == [f"{BASE}/fzzfjsndbg/index.shtml", f"{BASE}/fzzfjsndbg/index_2.shtml"]


def test_trs_table_list_takes_the_title_attribute(fixtures_dir):
    assert _titles(_page_div(fixtures_dir))[1] == "峤山区人民政府关于2021年法治政府建设情况的报告"


def test_trs_table_list_date_from_the_next_cell(fixtures_dir):
    assert _page_div(fixtures_dir).links[1].listed_date == date(2022, 3, 29)


# TRS 外链 switch: a list item whose anchor is written by `document.write` from the script's variables.
def _docwrite(fixtures_dir):
    return _parse(fixtures_dir, "trs_docwrite/fzzfjsndbg/index_1.shtml", f"{BASE}/fzzfjsndbg/index_1.shtml")


def test_document_write_item_url(fixtures_dir):
    assert _docwrite(fixtures_dir).links[1].url == f"{BASE}/fzzfjsndbg/202103/t20210330_3301122.shtml"


def test_document_write_item_title(fixtures_dir):
    assert _docwrite(fixtures_dir).links[1].title == "峤山区2020年法治政府建设年度报告"


def test_document_write_item_date(fixtures_dir):
    assert _docwrite(fixtures_dir).links[1].listed_date == date(2021, 3, 30)


def test_document_write_empty_branch_gives_no_link(fixtures_dir):
    assert len(_docwrite(fixtures_dir).links) == 2


# Dated <div> items beside an undated sidebar <ul> of sibling columns.
def _div_list(fixtures_dir):
    return _parse(fixtures_dir, "div_list/zwgk/fzzfjs/index.html", f"{BASE}/zwgk/fzzfjs/index.html")


def test_div_items_beside_a_sidebar_list_are_found(fixtures_dir):
    assert "南湄区2022年法治政府建设年度报告" in _titles(_div_list(fixtures_dir))


def test_div_item_url(fixtures_dir):
    urls = [link.url for link in _div_list(fixtures_dir).links]
    assert f"{BASE}/zwgk/fzzfjs/content/post_5123456.html" in urls


def test_div_item_date(fixtures_dir):
    dates = {link.title: link.listed_date for link in _div_list(fixtures_dir).links}
    assert dates["南湄区2022年法治政府建设年度报告"] == date(2023, 3, 28)


# An old ASP list (GBK) whose pager writes 「[下一页]」 in a plain cell.
def test_bracketed_next_page_text_is_followed(fixtures_dir):
    page = _parse(fixtures_dir, "asp_pager/Article/ShowClass_12.html", f"{BASE}/Article/ShowClass.asp?ClassID=12")
    assert page.next_urls == [f"{BASE}/Article/ShowClass.asp?ClassID=12&page=2"]


# Card items: the anchor wraps a title element, a summary and the date.
def _cards(fixtures_dir):
    return _parse(fixtures_dir, "card_list/public/column/6596.html", f"{BASE}/public/column/6596?type=4&catId=7018")


def test_card_title_without_the_date(fixtures_dir):
    assert _cards(fixtures_dir).links[0].title == "淮溪县2022年度法治政府建设情况报告"


def test_card_date_inside_the_anchor(fixtures_dir):
    assert _cards(fixtures_dir).links[0].listed_date == date(2023, 3, 30)


def test_card_title_without_the_summary(fixtures_dir):
    assert _cards(fixtures_dir).links[1].title == "淮溪县人民政府关于2021年法治政府建设情况的报告"


def test_card_with_summary_date(fixtures_dir):
    assert _cards(fixtures_dir).links[1].listed_date == date(2022, 3, 31)


def test_pager_controls_are_not_list_entries(fixtures_dir):
    page = _parse(fixtures_dir, "asp_pager/Article/ShowClass_12.html", f"{BASE}/Article/ShowClass.asp?ClassID=12")
    assert _titles(page) == ["峪川县人民政府关于二〇二二年度法治政府建设情况的报告"]


# Items opened by an onclick handler, and an item whose title sits beside a 「查看详情」 link.
def _scripted(fixtures_dir):
    return _parse(fixtures_dir, "scripted_items/zwgk/fzzfjs/index_2.html", f"{BASE}/zwgk/fzzfjs/index_2.html")


def test_onclick_item_url(fixtures_dir):
    assert _scripted(fixtures_dir).links[1].url == f"{BASE}/gkmlpt/content/4/4700/post_4700555.html"


def test_onclick_item_title(fixtures_dir):
    assert _scripted(fixtures_dir).links[1].title == "南湄区人民政府关于2020年法治政府建设情况的报告"


def test_detail_link_item_title_from_beside_the_link(fixtures_dir):
    assert _scripted(fixtures_dir).links[2].title == "南湄区2019年法治政府建设年度报告"


def test_detail_link_item_date(fixtures_dir):
    assert _scripted(fixtures_dir).links[2].listed_date == date(2020, 3, 27)


def test_onclick_without_an_address_gives_no_link(fixtures_dir):
    assert len(_scripted(fixtures_dir).links) == 3


# Hanweb datastore with only <totalrecord>7</totalrecord>: 3 records shown, so 3 pages, unit from the wrapper id.
def test_hanweb_bare_total_record_gives_the_pagenum_pages(fixtures_dir):
    page = _parse(fixtures_dir, "hanweb_bare_total/col/col2871/index.html", f"{BASE}/col/col2871/index.html")
    assert page.next_urls == [f"{BASE}/col/col2871/index.html?uid=6420&pageNum=2",
                              f"{BASE}/col/col2871/index.html?uid=6420&pageNum=3"]


def test_hanweb_later_page_does_not_infer_a_page_size(fixtures_dir):
    page = _parse(fixtures_dir, "hanweb_bare_total/col/col2871/index.html",
                  f"{BASE}/col/col2871/index.html?uid=6420&pageNum=3")
    assert page.next_urls == []
