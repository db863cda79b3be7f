"""Figures in report prose (docs/figures.md): value in base units, unit, approx, qualifier and provenance."""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from pathlib import Path

from fzzf.parsers.numbers import ARABIC, CN_DIGIT_CHARS, CN_NUMERAL_CHARS, normalize_width, parse_number
from fzzf.parsers.records import Metric
from fzzf.parsers.scopes import assign_scopes

NONFIGURES_FILE = Path(__file__).with_name("nonfigures.toml")
UNITS_FILE = Path(__file__).with_name("units.toml")
_UNIT_DATA = tomllib.loads(UNITS_FILE.read_text(encoding="utf-8"))
# Measure words that make a number a figure (counts, money, percent, physical quantities), from units.toml.
UNIT_KINDS: dict[str, tuple[str, ...]] = {kind: tuple(units) for kind, units in _UNIT_DATA["kinds"].items()}
COUNT_UNITS = UNIT_KINDS["count"]
MONEY_UNITS = UNIT_KINDS["money"] + UNIT_KINDS["foreign_money"]
PERCENT_UNITS = UNIT_KINDS["percent"] + UNIT_KINDS["percentage_points"]
PHYSICAL_UNITS = UNIT_KINDS["physical"]
# The units a figure is stored with; 个百分点 is written, 百分点 stored.
UNITS = COUNT_UNITS + MONEY_UNITS + PERCENT_UNITS + PHYSICAL_UNITS
_WRITTEN_UNITS = UNITS + tuple("个" + u for u in UNIT_KINDS["percentage_points"])
# A measure word followed by one of these characters is the start of another word (部门, 处理, 名称 ...).
_WRONG_FOLLOWERS: dict[str, str] = _UNIT_DATA["wrong_followers"]
_APPROX_PREFIXES = ("约", "近", "超过", "超", "逾", "将近", "接近", "大约")
_LOWER_BOUND_PREFIXES = ("不少于", "不低于", "不下于", "至少")
# 压降/压减/压缩 …: a cut, written as a decrease (「检查频次压降35%」 is a change of -35%).
_CUT_VERBS = ("压降", "压减", "压缩", "缩减", "缩短", "精简")
_DECREASE_VERBS = ("下降", "减少", "降低", "下滑", "回落", "降幅") + _CUT_VERBS

_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_WRITTEN_UNITS, key=len, reverse=True))
# No figure starts inside another number or after 第 (ordinal); no Chinese numeral after 数/几/若 (数十家).
_NUM = (rf"(?:(?<![\d.A-Za-z第])(?:{ARABIC})[万亿]{{0,2}}"
        rf"|(?<![{CN_NUMERAL_CHARS}第数几若])[{CN_NUMERAL_CHARS}]+(?:点[{CN_DIGIT_CHARS}]+)?)")
_PREFIX = "|".join(sorted(_APPROX_PREFIXES + _LOWER_BOUND_PREFIXES, key=len, reverse=True))
# The leading lookahead lets the scan skip, at C speed, every position that cannot start a figure.
FIGURE_RE = re.compile(
    rf"(?=[\d{CN_NUMERAL_CHARS}约近超逾将接大不至])(?P<pre>{_PREFIX})?"
    rf"(?:(?P<lo>{_NUM})(?:{_UNIT_ALT})?\s*(?:至|到|-|—|~)\s*)?"
    rf"(?P<num>{_NUM})(?P<more>余|多)?(?P<scale>[万亿])?[ \t\u00a0\u3000]{{0,2}}(?P<unit>{_UNIT_ALT})(?P<post>以上|余|左右)?"
)
PERCENT_WORD_RE = re.compile(rf"(?P<pre>{_PREFIX})?百分之(?P<num>百|{_NUM})(?P<post>以上|左右)?")
# A change is a direction verb right before the number ...
_CHANGE_VERB_RE = re.compile(
    r"(?:(?P<verb>增长|增加|上升|提高|提升|下降|减少|降低|下滑|回落|增幅|降幅|增速)(?:了|幅度为|为|达到|达)?"
    rf"|(?P<cut>{'|'.join(_CUT_VERBS)})(?:了|幅度为|幅度达|比例达)?)$"  # 「压减为20天」 is a level: no 为
)
# ... and, unless the unit is % or 百分点, a comparison with an earlier period in the same clause.
_CHANGE_MARKER_RE = re.compile(r"同比|环比|比上年|较上年|比去年|较去年|与上年相比|较\d{4}年|比\d{4}年")
_CHANGE_WINDOW = 16
_CLAUSE_SPLIT_RE = re.compile(r"[，,。；;]")
_ORD_NUM = r"[\d一二三四五六七八九十百零〇两]+"
# Measure words an ordinal takes (第3条, 第二批, 第十五届 …).
_ORD_UNIT = r"[条款项章节批次届轮号期页部篇卷个名位]"
# Spans that never yield a figure, whatever follows them. Each pattern comes with a string, strings or a cheaper
# pattern every one of its matches contains (one of them; "" when there is none): a text without it skips it.
_MASK_PATTERNS: list[tuple[re.Pattern, str | tuple[str, ...] | re.Pattern]] = [(re.compile(p, re.M), needs) for p, needs in (
    (r"《[^《》\n]{0,80}》", ""),                                  # document titles
    (r"[“\"「‘][^“”\"「」‘’\n]{0,20}[”\"」’]", ("“", "\"", "「", "‘")),                    # quoted names: “763”工作法
    (r"[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\d+\s*号", "号"),        # 文号 〔2022〕7号
    (r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?", "年"),    # dates and years
    (r"\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号]?|份?)", "月"),  # 3月5日, 3月份: the month written once, scanned once
    (r"(?:19|20)\d{2}(?:[-/](?:0?[1-9]|1[0-2])(?:[-/]\d{1,2})?|\.(?:0?[1-9]|1[0-2])\.\d{1,2})(?!\d)", ("-", "/", ".")),
    (r"\d{1,2}:\d{2}(?::\d{2})?", ":"),
    (rf"[{CN_NUMERAL_CHARS}]{{2,4}}年(?:[一二三四五六七八九十]{{1,2}}月)?", "年"),
    (r"[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日", "月"),
    # ordinals, and the numbers a 、-list carries on from them: 第二十条、二十一条 / 第3条、5条 are ordinals too
    (rf"第\s*{_ORD_NUM}(?:\s*(?P<ou>{_ORD_UNIT})(?:\s*[、和及至到~-]\s*第?\s*{_ORD_NUM}\s*(?P=ou))*"
     rf"|\s*[至到~-]\s*{_ORD_NUM}\s*{_ORD_UNIT})?", "第"),
    (rf"{_ORD_NUM}\s*届\s*第?\s*{_ORD_NUM}\s*[次中](?:\s*[、和及]\s*第?\s*{_ORD_NUM}\s*[次中])*", "届"),  # 十届六次、七次全会
    (r"^\s*(?:[(（][\d一二三四五六七八九十]{1,3}[)）]|[\d一二三四五六七八九十]{1,3}\s*[、.．](?!\d))", ("(", "（", "、", ".", "．")),  # list numbers
    (r"[一二三四五六七八九十]+是", "是"),
    (r"\d+(?:\s*\+\s*\d+)+", "+"),                                     # 1+6+3
    (r"(?:\d{3,4}-)?\d{7,8}(?:-\d{1,4})?|1[3-9]\d{9}", re.compile(r"\d{7}")),  # phone numbers
    (r"(?:邮编|邮政编码)\s*[:：]?\s*\d{6}", "邮"),
    (r"[\u4e00-\u9fff]?ICP[备证]?\s*\d+\s*号?(?:-\d+)?", "ICP"),
    (r"公网安备\s*\d+\s*号?", "公网安备"),
    (r"(?:标识码|SiteIDCode)\s*[:：]?\s*\d+", ("标识码", "SiteIDCode")),
    (r"https?://\S+|www\.\S+", ("http", "www.")),
    (r"(?:地址|住址|地点)\s*[:：][^\n]*", ("址", "地点")),
    (r"(?:12345|12348|12315|12368|110|119|120|122)(?=\s*(?:热线|平台|政务|服务|便民|专线|接警))",
     ("12345", "12348", "12315", "12368", "110", "119", "120", "122")),
    (r"(?:浏览|点击|访问|阅读|在线|访客)(?:次数|人次|人数|数|量)?\s*[:：]\s*\d+", ("浏览", "点击", "访问", "阅读", "在线", "访客")),  # page counters in the chrome
)]
_SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]")


def extract_figures(text: str, section_of=None, year: int | None = None, norm: str | None = None) -> list[Metric]:
    """Every figure in `text`, in order, with its scope (`year` = the year reported on); label/indicator are
    left for `parsers.indicators` to fill. `norm` is `normalize_width(text)` when the caller has it already."""
    norm = normalize_width(text) if norm is None else norm
    masked = nonfigure_mask(norm)
    breaks = sentence_breaks(norm)
    found: list[tuple[int, list[Metric]]] = []
    for match in FIGURE_RE.finditer(norm):
        metrics = _from_match(match, text, norm, masked, breaks)
        if metrics:
            found.append((match.start(), metrics))
    # Every match holds 百分之; the pattern opens with optional prefixes, which the scan cannot skip to.
    for match in PERCENT_WORD_RE.finditer(norm) if "百分之" in norm else ():
        metric = _from_percent_word(match, text, norm, masked, breaks)
        if metric:
            found.append((match.start(), [metric]))
    found.sort(key=lambda item: item[0])
    out = [m for _, group in found for m in group]
    assign_scopes(norm, out, year)
    if section_of is not None:
        for metric in out:
            metric.section = section_of(metric.start)
    return out


def nonfigure_mask(norm: str) -> bytearray:
    """One byte per character: 1 where a date, 文号, title, phone, set phrase … rules out a figure."""
    mask = bytearray(len(norm))
    for pattern, needs in _MASK_PATTERNS:
        if needs and not _holds(norm, needs):
            continue
        for m in pattern.finditer(norm):
            mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in _set_phrase_re().finditer(norm):
        mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return mask


def _holds(text: str, needs: str | tuple[str, ...] | re.Pattern) -> bool:
    """Whether `text` holds the string, one of the strings, or a match of the pattern."""
    if isinstance(needs, str):
        return needs in text
    if isinstance(needs, tuple):
        return any(n in text for n in needs)
    return needs.search(text) is not None


def sentence_bounds(text: str, start: int, end: int, breaks: list[int] | None = None) -> tuple[int, int]:
    """Start and end offsets of the sentence holding text[start:end]; `breaks` = sentence_breaks(text)."""
    breaks = breaks if breaks is not None else sentence_breaks(text)
    i = bisect_left(breaks, start)
    left = breaks[i - 1] + 1 if i else 0
    j = bisect_left(breaks, end)
    right = breaks[j] + 1 if j < len(breaks) else len(text)
    return left, right


def sentence_breaks(text: str) -> list[int]:
    """Offsets of the characters that end a sentence (。！？；, newline)."""
    return [m.start() for m in _SENTENCE_END_RE.finditer(text)]


_SET_PHRASE_RE: list[re.Pattern] = []


def _set_phrase_re() -> re.Pattern:
    """The set phrases of nonfigures.toml as one alternation, longest first."""
    if not _SET_PHRASE_RE:
        data = tomllib.loads(NONFIGURES_FILE.read_text(encoding="utf-8"))
        phrases = sorted(data["set_phrases"], key=len, reverse=True)
        _SET_PHRASE_RE.append(re.compile("|".join(re.escape(p) for p in phrases)))
    return _SET_PHRASE_RE[0]


def _from_match(match: re.Match, text: str, norm: str, masked: bytearray, breaks: list[int]) -> list[Metric]:
    num_start, num_end = match.span("num")
    if any(masked[num_start:num_end]) or (match.group("lo") and any(masked[slice(*match.span("lo"))])):
        return []
    unit = match.group("unit")
    follower = norm[match.end("unit"):match.end("unit") + 1]
    if follower and follower in _WRONG_FOLLOWERS.get(unit[-1] if len(unit) == 1 else "", ""):
        return []
    if unit == "个" and norm.startswith(("工作日", "小时", "季度", "星期", "月"), match.end("unit")):
        return []
    if match.group("num")[0] in "百千万亿" and not (match.group("more") or match.group("post") or match.group("pre")):
        return []  # 百人宣讲团, 万家: a round word, not a count
    if match.group("num") == "一" and not match.group("lo"):
        return []  # 一 as an article: 一张许可证, 一个平台
    value = parse_number(match.group("num"))
    if value is None:
        return []
    if match.group("scale"):
        value = parse_number(f"{value:f}".rstrip("0").rstrip(".") + match.group("scale"))  # 1,280余万元
    pre, post, more = match.group("pre"), match.group("post"), match.group("more")
    approx = bool(more or post or (pre in _APPROX_PREFIXES))
    qualifier = "lower_bound" if pre in _LOWER_BOUND_PREFIXES else None
    unit = "百分点" if unit.endswith("百分点") else unit
    if unit == "百分点":
        qualifier = "change"
    verb, verb_start, marker = _change_words(norm, match.start())
    if verb and (marker or unit in ("%", "百分点")) and qualifier != "lower_bound":
        qualifier = "change"
    start, end = match.span()
    if qualifier == "change" and verb:
        start = verb_start  # a change's raw text keeps its direction word: 「下降3.2个百分点」
        value = -value if verb in _DECREASE_VERBS else value
    left, right = sentence_bounds(norm, start, end, breaks)
    common = dict(indicator=None, label="", unit=unit, approx=approx, raw=text[start:end], section=None,
                  sentence=text[left:right].strip(), start=start, end=end)
    if match.group("lo"):
        low = parse_number(match.group("lo"))
        if low is None:
            return []
        return [Metric(value=low, qualifier="range_low", **common),
                Metric(value=value, qualifier="range_high", **common)]
    return [Metric(value=value, qualifier=qualifier, **common)]


def _change_words(norm: str, start: int) -> tuple[str | None, int, bool]:
    """The direction verb right before a number, where it starts, and whether its clause compares periods."""
    offset = max(0, start - _CHANGE_WINDOW)
    window = norm[offset:start]
    verb = _CHANGE_VERB_RE.search(window)
    if not verb:
        return None, start, False
    clause = _CLAUSE_SPLIT_RE.split(window[:verb.start()])[-1]
    return verb.group("verb") or verb.group("cut"), offset + verb.start(), bool(_CHANGE_MARKER_RE.search(clause))


def _from_percent_word(match: re.Match, text: str, norm: str, masked: bytearray,
                       breaks: list[int]) -> Metric | None:
    if any(masked[match.start("num"):match.end("num")]):
        return None
    word = match.group("num")
    value = 100.0 if word == "百" else parse_number(word)
    if value is None:
        return None
    pre = match.group("pre")
    start, end = match.span()
    left, right = sentence_bounds(norm, start, end, breaks)
    approx = pre in _APPROX_PREFIXES or bool(match.group("post"))
    return Metric(indicator=None, label="", value=value, unit="%", approx=approx,
                  raw=text[start:end], section=None, sentence=text[left:right].strip(), start=start,
                  end=end, qualifier="lower_bound" if pre in _LOWER_BOUND_PREFIXES else None)
