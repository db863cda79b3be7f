"""List discovery per CMS family, from frozen fixtures (no network)."""
from __future__ import annotations

from datetime import date

from scrapers.discovery import parse_list_page

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
