"""Column derivation per CMS family: one real report URL shape each (URLs from the public record)."""
import pytest

from fzzf.sites.derive import NotDerivable, derive_column

CASES = [
    # (report URL, expected column, family, rule)
    ("http://www.tjjh.gov.cn/jhqzf/zwgk_28985/gzbg/202103/t20210329_5396867.html",
     "http://www.tjjh.gov.cn/jhqzf/zwgk_28985/gzbg/", "trs", "trs_dated"),
    ("https://www.hangzhou.gov.cn/art/2024/3/14/art_1229000789_59094662.html",
     "https://www.hangzhou.gov.cn/col/col1229000789/index.html", "hanweb", "hanweb_art"),
    ("https://www.gz.gov.cn/zwgk/fzzfjs/szf/content/post_10090397.html",
     "https://www.gz.gov.cn/zwgk/fzzfjs/szf/", "guangdong", "guangdong_post"),
    ("https://public.zhongyuan.gov.cn/D49Y/9114231.jhtml",
     "https://public.zhongyuan.gov.cn/D49Y/index.jhtml", "generic", "jeecms_jhtml"),
    ("http://www.nc.gov.cn:80/ncszf/fzzfgzbga/202401/3be88f67365a423a82ce3b50a5b66072.shtml",
     "http://www.nc.gov.cn/ncszf/fzzfgzbga/", "generic", "dated_hex"),
    ("https://www.sc.gov.cn/10462/fzzfjs/2025/3/19/8a448b3bd2d84066ab58a913c52f63f1.shtml",
     "https://www.sc.gov.cn/10462/fzzfjs/", "generic", "dated_ymd"),
    ("https://www.pudong.gov.cn/zwgk/fzzfjsqzf/2023/86/308457.html",
     "https://www.pudong.gov.cn/zwgk/fzzfjsqzf/", "generic", "dated_year_n"),
    ("https://sfj.haikou.gov.cn/xxgk/zjbg/202304/t1253671.shtml", "https://sfj.haikou.gov.cn/xxgk/zjbg/",
     "generic", "dated_tid"),
    ("https://sft.hlj.gov.cn/sft/c103808/202203/c00_30777887.shtml", "https://sft.hlj.gov.cn/sft/c103808/",
     "generic", "dated_cid"),
    ("https://yyx.gov.cn/37584/38152/66314/66315/content_2048080.html", "https://yyx.gov.cn/37584/38152/66314/66315/",
     "generic", "content_n"),
    ("https://www.wusheng.gov.cn/gasylbzj/c110417/pc/content/content_1897207763187056640.html",
     "https://www.wusheng.gov.cn/gasylbzj/c110417/", "generic", "pc_content"),
    ("http://www.bjchy.gov.cn/affair/chyfzzfjsndqkbg/4028805a956f010a0195a36a30082797.html",
     "http://www.bjchy.gov.cn/affair/chyfzzfjsndqkbg/", "generic", "hex_leaf"),
    ("http://nnfzb.nanning.gov.cn/yfxzzl/nnsrmzfndyfxzgzbg/t1674029.html",
     "http://nnfzb.nanning.gov.cn/yfxzzl/nnsrmzfndyfxzgzbg/", "generic", "tid_leaf"),
    ("https://zwgk.shmh.gov.cn/mh-xxgk-cms/website/mh_xxgk/fzzfjsqkndbg_qzf/content/ECAA2AC9-3697-11ED-AF0B-28CF2FBCA3FF.htm",
     "https://zwgk.shmh.gov.cn/mh-xxgk-cms/website/mh_xxgk/fzzfjsqkndbg_qzf/", "generic", "content_guid"),
    ("http://jiaxian.gov.cn/contents/51290/387711.html", "http://jiaxian.gov.cn/contents/51290/", "generic",
     "contents_channel"),
    ("https://www.whjhq.gov.cn/zwzt/fzzfjs/zzbzhlsjz/18354173.html", "https://www.whjhq.gov.cn/zwzt/fzzfjs/zzbzhlsjz/",
     "generic", "numeric_leaf"),
    ("https://www.sjz.gov.cn/columns/cc9885b6-c241-4241-a121-91dcdea2185a/202502/05/8e8e1973-08fa-47b0-8fa3-d2237d1765ab.html",
     "https://www.sjz.gov.cn/columns/cc9885b6-c241-4241-a121-91dcdea2185a/", "generic", "columns_uuid"),
    ("https://www.yingkou.gov.cn/001/001002/20260205/fa5942e1-670c-4546-861a-aeef23e5bc87.html",
     "https://www.yingkou.gov.cn/001/001002/", "generic", "dated_day_uuid"),
    ("https://sfj.taiyuan.gov.cn/tggs/20250324/30205446.html", "https://sfj.taiyuan.gov.cn/tggs/", "generic",
     "dated_day_n"),
    ("https://www.zhengxiang.gov.cn/zwgk/bmxzxxgk/qxzspfwj/tzgg/20250312/i3601961.html",
     "https://www.zhengxiang.gov.cn/zwgk/bmxzxxgk/qxzspfwj/tzgg/", "generic", "dated_day_n"),
    ("https://www.suibin.gov.cn/suibinxianrenminzhengfu/6ad5a3d181c841d08d70a4a9508744c6/202504/73507.shtml",
     "https://www.suibin.gov.cn/suibinxianrenminzhengfu/6ad5a3d181c841d08d70a4a9508744c6/", "generic", "dated_n"),
    ("http://www.weiyang.gov.cn/ztzl/fzzfjs/ndfzjsqkbg/1892035471888891906.html",
     "http://www.weiyang.gov.cn/ztzl/fzzfjs/ndfzjsqkbg/", "generic", "numeric_leaf"),
    ("https://jw.cq.gov.cn/zwgk_209/fzzfjsndbg/", "https://jw.cq.gov.cn/zwgk_209/fzzfjsndbg/", None, "column_given"),
    ("https://shanghai.gov.cn/nw12344/20240307/720aa919d8274a70b2088045fac5c5f0.html",
     "https://shanghai.gov.cn/nw12344/", "generic", "dated_day_hex"),
    ("http://sft.gxzf.gov.cn/zwgk/xxgk/fzzfjsndbg/20190906-2158134.shtml",
     "http://sft.gxzf.gov.cn/zwgk/xxgk/fzzfjsndbg/", "generic", "dated_dash_n"),
    ("http://panjin.gov.cn/html/1737/2024-03-08/content-138562.html", "http://panjin.gov.cn/html/1737/", "generic",
     "dated_content"),
    ("http://czq.gov.cn/xxgk/fdzdgknr/zfgzbg_83133/t19700101_3456670.shtml",
     "http://czq.gov.cn/xxgk/fdzdgknr/zfgzbg_83133/", "trs", "trs_undated"),
    # A traditional-script gateway page: the column is the inner host's (ports of the gateway dropped).
    ("http://www.fujian.gov.cn:85/gate/big5/www.fujian.gov.cn/zwgk/ghjh/gzjh/202403/t20240327_6420184.htm",
     "http://www.fujian.gov.cn/zwgk/ghjh/gzjh/", "trs", "big5_gate"),
    ("https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/fzzfjsbg/qzf/tzq/202403/t20240327_3602407.html",
     "https://www.beijing.gov.cn/gongkai/fzzfjsbg/qzf/tzq/", "trs", "big5_gate"),
]


@pytest.mark.parametrize(("url", "column", "family", "rule"), CASES)
def test_column_is_derived_per_family(url, column, family, rule):
    derived = derive_column(url)
    assert (derived.column_url, derived.family, derived.rule, derived.needs_discovery) == (column, family, rule, False)


@pytest.mark.parametrize(("url", "rule", "family"), [
    ("https://www.ahlx.gov.cn/OpennessContent/show/3499124.html", "openness_content", "anhui"),
    ("https://www.huainan.gov.cn/public/6596035/1260550054.html", "anhui_public", "anhui"),
    ("https://www.gz.gov.cn/gkmlpt/content/10/10094/post_10094886.html", "gkmlpt", "guangdong"),
    ("http://sft.hebei.gov.cn/system/2021/04/12/030087449.shtml", "system_dated", None),
    ("http://www.tchuan.gov.cn/xxgk-show-48459.html", "show_id", None),
    ("https://www.hainanqu.gov.cn/c/2025-02-06/94752.shtml", "dated_c", None),
    ("https://www.tianshui.gov.cn/info/1621/1239192.htm", "vsb_info", None),
    ("https://www.henan.gov.cn/2024/03-22/2965123.html", "dated_md", None),
    ("https://www.jsxishan.gov.cn/doc/2026/02/12/4733506.shtml", "doc_dated", None),
    ("http://www.harbin.gov.cn/info/news/index/detail/453966.htm", "detail_id", None),
    ("http://www.rikaze.gov.cn/news-detail.thtml?cid=410406", "detail_id", None),
    ("https://www3.lf.gov.cn/Item/137647.aspx", "item_aspx", None),
    ("https://www.luolong.gov.cn/html/1/m/2/151/161/254/318/67981.html", "html_tree", None),
    ("http://qinghexian.gov.cn/news/9056.cshtml", "cshtml_id", None),
    ("https://www.wj.gov.cn/html/czwj/2025/CKLQPPJM_0217/77148.html", "html_dated_code", None),
])
def test_id_only_urls_start_from_the_portal_and_need_discovery(url, rule, family):
    derived = derive_column(url)
    assert derived.needs_discovery and derived.rule == rule and derived.family == family
    assert derived.column_url == url.split("/")[0] + "//" + derived.host + "/"


@pytest.mark.parametrize("url", ["ftp://x.gov.cn/a/1.html", "not a url", "http://x.gov.cn/about"])
def test_urls_without_a_rule_are_refused(url):
    with pytest.raises(NotDerivable):
        derive_column(url)
