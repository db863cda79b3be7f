"""Derive a report column (list page) URL from one real report URL, per CMS family; no network."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

# Each rule: (name, crawler family, pattern over the URL path, how the column is built).
# A pattern's group "column" is the column path kept; "colid" is a Hanweb column id. Order matters: the
# specific CMS shapes come before the generic "numeric leaf" fallback.
RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (name, family, re.compile(pattern, re.I))
    for name, family, pattern in (
        # Hanweb / 大汉: /art/2024/3/14/art_1229000789_59094662.html -> /col/col1229000789/index.html
        ("hanweb_art", "hanweb", r"^/art/\d{4}/\d{1,2}/\d{1,2}/art_(?P<colid>\d+)_\d+\.html?$"),
        # Guangdong 政府网站集约化: …/fzzfjs/szf/content/post_10090397.html -> …/fzzfjs/szf/
        ("guangdong_post", "guangdong", r"^(?P<column>(?!/gkmlpt/).*/)content/(?:\d+/)*post_\d+\.html?$"),
        # TRS WCM: …/column/202403/t20240328_6583952.html (also .shtml, .htm) -> …/column/
        ("trs_dated", "trs", r"^(?P<column>.*/)\d{6}/t\d{8}_\d+\.s?html?$"),
        # TRS ids with no month folder (the CMS dated them 1970): …/zfgzbg_83133/t19700101_3456670.shtml
        ("trs_undated", "trs", r"^(?P<column>/.+/)t\d{8}_\d+\.s?html?$"),
        # TRS-like short ids: …/xxgk/zjbg/202304/t1253671.shtml -> …/xxgk/zjbg/
        ("dated_tid", "generic", r"^(?P<column>.*/)\d{6}/t\d+\.s?html?$"),
        # Month folder, column-prefixed id: /sft/c103808/202203/c00_30777887.shtml -> /sft/c103808/
        ("dated_cid", "generic", r"^(?P<column>.*/)\d{6}/c\d+_\d+\.s?html?$"),
        # Numeric ids in a month folder: /suibinxianrenminzhengfu/6ad5…44c6/202504/73507.shtml -> …/6ad5…44c6/
        ("dated_n", "generic", r"^(?P<column>.*/)\d{6}/\d+\.s?html?$"),
        # 32-hex document ids in a month folder (开普 / 政府网站群): …/c119114/202503/7815…755b.shtml
        ("dated_hex", "generic", r"^(?P<column>.*/)\d{6}/[0-9a-f]{32}\.s?html?$"),
        # Dated folders Y/M/D: /10462/fzzfjs/2025/3/19/8a44…f63f1.shtml -> /10462/fzzfjs/
        ("dated_ymd", "generic", r"^(?P<column>.*/)\d{4}/\d{1,2}/\d{1,2}/[0-9a-z_]+\.s?html?$"),
        # UUID columns with dated day folders (河北 site group): /columns/<uuid>/202502/05/<uuid>.html
        ("columns_uuid", "generic", r"^(?P<column>/columns/[0-9a-f-]{36}/)\d{6}/\d{2}/[0-9a-f-]{36}\.html?$"),
        # Day folders with UUID documents (辽宁 site group): /001/001002/20260205/fa59…bc87.html -> /001/001002/
        ("dated_day_uuid", "generic", r"^(?P<column>.*/)\d{8}/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\.html?$"),
        # Day folders with 32-hex documents (上海 site group): /nw12344/20240307/720a…c5f0.html -> /nw12344/
        ("dated_day_hex", "generic", r"^(?P<column>.*/)\d{8}/[0-9a-f]{32}\.s?html?$"),
        # Day-stamped ids (广西 site group): /zwgk/xxgk/fzzfjsndbg/20190906-2158134.shtml -> …/fzzfjsndbg/
        ("dated_dash_n", "generic", r"^(?P<column>.*/)\d{8}-\d+\.s?html?$"),
        # Dated content pages: /html/1737/2024-03-08/content-138562.html -> /html/1737/
        ("dated_content", "generic", r"^(?P<column>.*/)\d{4}-\d{2}-\d{2}/content-\d+\.html?$"),
        # Day folders: /tggs/20250324/30205446.html (or …/20250312/i3601961.html) -> /tggs/
        ("dated_day_n", "generic", r"^(?P<column>.*/)\d{8}/i?\d+\.s?html?$"),
        # Year and number folders: /zwgk/fzzfjsqzf/2023/86/308457.html -> /zwgk/fzzfjsqzf/
        ("dated_year_n", "generic", r"^(?P<column>.*/)\d{4}/\d{1,4}/\d+\.html?$"),
        # GUID document ids under content/: …/fzzfjsqkndbg_qzf/content/ECAA2AC9-….htm -> …/fzzfjsqkndbg_qzf/
        ("content_guid", "generic", r"^(?P<column>.*/)content/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\.html?$"),
        # Numbered channels: /contents/51290/387711.html -> /contents/51290/
        ("contents_channel", "generic", r"^(?P<column>/contents/\d+/)\d+\.html?$"),
        # JEECMS: /fzdyydc/394705.jhtml -> /fzdyydc/index.jhtml
        ("jeecms_jhtml", "generic", r"^(?P<column>.*/)\d+\.jhtml$"),
        # 四川 site group: /c110417/pc/content/content_1897….html -> /c110417/
        ("pc_content", "generic", r"^(?P<column>.*/c\d+/)pc/content/content_\d+\.html?$"),
        # content_N pages in a numbered column: /37584/38152/66314/66315/content_2048080.html
        ("content_n", "generic", r"^(?P<column>.*/)content_\d+\.html?$"),
        # Undated 32-hex ids: /affair/chyfzzfjsndqkbg/4028805a…2797.html -> /affair/chyfzzfjsndqkbg/
        ("hex_leaf", "generic", r"^(?P<column>/.+/)[0-9a-f]{32}\.s?html?$"),
        # Undated t-ids (广西 site groups): /yfxzzl/nnsrmzfndyfxzgzbg/t1674029.html -> …/nnsrmzfndyfxzgzbg/
        ("tid_leaf", "generic", r"^(?P<column>/.+/)t\d{5,}\.s?html?$"),
        # Fallback: a numeric document id under a named column: /zwzt/fzzfjs/zzbzhlsjz/18354173.html
        ("numeric_leaf", "generic", r"^(?P<column>/(?:[^/]+/)*[^/]*[a-z_][^/]*/)\d{5,}\.s?html?$"),
    )
)
# URLs that carry only a document id: the column is not in the address, so the entry starts from the portal
# and `fzzf discover` (or the crawler's discovery pass) finds the column.
ID_ONLY: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in (
        ("openness_content", r"/OpennessContent/show/\d+\.html$"),
        ("anhui_public", r"^/public/\d+/\d+\.html$"),
        ("gkmlpt", r"/gkmlpt/content/"),
        ("vsb_info", r"^/info/\d+/\d+\.htm$"),
        ("system_dated", r"^/system/\d{4}/\d{2}/\d{2}/\d+\.shtml$"),
        ("show_id", r"-show-\d+\.html$|ForOld-\d+-\d+\.html$"),
        ("dated_c", r"^/c/\d{4}-\d{2}-\d{2}/\d+\.s?html?$"),
        ("dated_md", r"^/\d{4}/\d{2}-\d{2}/\d+\.s?html?$"),
        ("doc_dated", r"^/doc/\d{4}/\d{2}/\d{2}/\d+\.s?html?$"),
        ("detail_id", r"/detail/\d+\.html?$|detail\.thtml$"),
        ("item_aspx", r"^/item/\d+\.aspx$"),
        ("html_tree", r"^/html/(?:\d+/|[a-z]/)+\d+\.html$"),
        ("cshtml_id", r"^/[a-z]+/\d+\.cshtml$"),
        ("html_dated_code", r"^/html/[a-z]+/\d{4}/[a-z]{8}_\d{4}/\d+\.html$"),
    )
)


# Traditional-script gateways serve a page of another host under /gate/big5/<host>/<path>: the column is the
# inner host's, derived by the ordinary rules.
GATEWAY = re.compile(r"^/gate/big5/(?P<host>[^/]+)(?P<path>/.*)$", re.I)


class NotDerivable(ValueError):
    """A URL that is not a report page address of any known shape (not http, no path)."""


@dataclass(frozen=True)
class DerivedColumn:
    """Where a report URL's column is: the list URL, the crawler family, and the rule that decided."""

    source_url: str
    column_url: str
    family: str | None
    rule: str
    needs_discovery: bool = False

    @property
    def host(self) -> str:
        """The column's host, lower-cased."""
        return urlsplit(self.column_url).netloc.lower()


def derive_column(url: str) -> DerivedColumn:
    """The column a report URL was published in, by the first rule whose pattern matches its path."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NotDerivable(f"not an http(s) URL: {url!r}")
    host = _host(parts.netloc)
    path = parts.path or "/"
    gateway = GATEWAY.match(path)
    if gateway:
        inner = derive_column(urlunsplit((parts.scheme, gateway.group("host"), gateway.group("path"), "", "")))
        return DerivedColumn(url, inner.column_url, inner.family, "big5_gate", inner.needs_discovery)
    # Id-only shapes first: `/system/2021/04/12/N.shtml` would otherwise pass for a dated column.
    for name, pattern in ID_ONLY:
        if pattern.search(path):
            return DerivedColumn(url, _portal(parts.scheme, host), _id_family(name), name, needs_discovery=True)
    for name, family, pattern in RULES:
        match = pattern.search(path)
        if match:
            return DerivedColumn(url, _column_url(parts.scheme, host, name, match), family, name)
    if path.endswith("/") or path.endswith(("index.html", "index.shtml", "index.htm")):
        return DerivedColumn(url, url, None, "column_given")
    raise NotDerivable(f"no derivation rule for the path of {url}")


def _column_url(scheme: str, host: str, rule: str, match: re.Match[str]) -> str:
    if rule == "hanweb_art":
        return urlunsplit((scheme, host, f"/col/col{match.group('colid')}/index.html", "", ""))
    column = match.group("column")
    if rule == "jeecms_jhtml":
        return urlunsplit((scheme, host, column + "index.jhtml", "", ""))
    return urlunsplit((scheme, host, column, "", ""))


def _portal(scheme: str, host: str) -> str:
    return urlunsplit((scheme, host, "/", "", ""))


def _id_family(rule: str) -> str | None:
    return {"openness_content": "anhui", "anhui_public": "anhui", "gkmlpt": "guangdong"}.get(rule)


def _host(netloc: str) -> str:
    # A default port in the address (":80" on http) names the same host.
    host = netloc.lower()
    return host[:-3] if host.endswith(":80") else host[:-4] if host.endswith(":443") else host
