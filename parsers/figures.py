"""Figures in report prose (docs/figures.md): value in base units, unit, approx, qualifier and provenance."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from parsers.numbers import ARABIC, CN_NUMERAL_CHARS, normalize_width, parse_number
from parsers.records import Metric

NONFIGURES_FILE = Path(__file__).with_name("nonfigures.toml")
# Measure words that make a number a figure (counts, money, percent, physical quantities).
COUNT_UNITS = ("人次", "家次", "场次", "批次", "户次", "件次", "件", "起", "次", "场", "人", "家", "个", "项",
               "条", "份", "批", "户", "名", "所", "期", "篇", "部", "张", "宗", "栋", "台", "辆", "处",
               "本", "册", "支", "座", "套", "位", "例", "门", "幅", "块", "株", "头", "只", "卷", "轮", "单", "笔",
               "类", "种", "间")
MONEY_UNITS = ("元",)
PERCENT_UNITS = ("%", "个百分点", "百分点")
PHYSICAL_UNITS = ("平方公里", "平方米", "立方米", "公里", "千米", "公顷", "公斤", "千克", "吨", "亩", "米")
UNITS = COUNT_UNITS + MONEY_UNITS + PERCENT_UNITS + PHYSICAL_UNITS
# A measure word followed by one of these characters is the start of another word (部门, 处理, 名称 ...).
_WRONG_FOLLOWERS = {
    "部": "门署委队分长", "名": "称单录额义", "处": "理罚置分室级长", "本": "级地区部单领", "条": "例件款线",
    "台": "账", "个": "月工小季星年", "人": "民员大", "家": "庭长属乡", "所": "有属在以谓", "期": "间限满",
    "次": "性日", "项": "目", "场": "所地景馆", "批": "准示复", "户": "籍口外", "宗": "旨教", "起": "诉草点",
    "门": "户槛类", "支": "持付出部", "座": "谈", "位": "置于", "例": "如会", "头": "脑", "米": "粮",
}
_APPROX_PREFIXES = ("约", "近", "超过", "超", "逾", "将近", "接近", "大约")
_LOWER_BOUND_PREFIXES = ("不少于", "不低于", "不下于", "至少")
_DECREASE_VERBS = ("下降", "减少", "降低", "下滑", "回落")

_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# No figure starts inside another number or after 第 (ordinal); no Chinese numeral after 数/几/若 (数十家).
_NUM = (rf"(?:(?<![\d.A-Za-z第])(?:{ARABIC})[万亿]{{0,2}}"
        rf"|(?<![{CN_NUMERAL_CHARS}第数几若])[{CN_NUMERAL_CHARS}]+)")
_PREFIX = "|".join(sorted(_APPROX_PREFIXES + _LOWER_BOUND_PREFIXES, key=len, reverse=True))
FIGURE_RE = re.compile(
    rf"(?P<pre>{_PREFIX})?"
    rf"(?:(?P<lo>{_NUM})(?:{_UNIT_ALT})?\s*(?:至|到|-|—|~)\s*)?"
    rf"(?P<num>{_NUM})(?P<more>余|多)?(?P<scale>[万亿])?(?P<unit>{_UNIT_ALT})(?P<post>以上|余|左右)?"
)
PERCENT_WORD_RE = re.compile(rf"(?P<pre>{_PREFIX})?百分之(?P<num>百|{_NUM})")
_CHANGE_RE = re.compile(
    r"(?P<marker>同比|环比|比上年|较上年|比去年|较去年|与上年相比|较\d{4}年|比\d{4}年)?"
    r"(?:[^，,。；;]{0,6}?)(?P<verb>增长|增加|上升|提高|提升|下降|减少|降低|下滑|回落)(?:了|幅度为|为)?$"
)
# Spans that never yield a figure, whatever follows them.
_MASK_PATTERNS = [re.compile(p, re.M) for p in (
    r"《[^《》\n]{0,80}》",                                    # document titles
    r"[“\"「‘][^“”\"「」‘’\n]{0,20}[”\"」’]",                      # quoted names: “763”工作法
    r"[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\d+\s*号",          # 文号 〔2022〕7号
    r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?",      # dates and years
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}\s*月份?",
    r"(?:19|20)\d{2}(?:[-/](?:0?[1-9]|1[0-2])(?:[-/]\d{1,2})?|\.(?:0?[1-9]|1[0-2])\.\d{1,2})(?!\d)",
    r"\d{1,2}:\d{2}(?::\d{2})?",
    rf"[{CN_NUMERAL_CHARS}]{{2,4}}年(?:[一二三四五六七八九十]{{1,2}}月)?",
    r"[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日",
    r"第\s*[\d一二三四五六七八九十百零〇两]+",                     # ordinals
    r"^\s*(?:[(（][\d一二三四五六七八九十]{1,3}[)）]|[\d一二三四五六七八九十]{1,3}\s*[、.．](?!\d))",  # list numbers
    r"[一二三四五六七八九十]+是",
    r"\d+(?:\s*\+\s*\d+)+",                                     # 1+6+3
    r"(?:\d{3,4}-)?\d{7,8}(?:-\d{1,4})?|1[3-9]\d{9}",          # phone numbers
    r"(?:邮编|邮政编码)\s*[:：]?\s*\d{6}",
    r"[\u4e00-\u9fff]?ICP[备证]?\s*\d+\s*号?(?:-\d+)?",
    r"公网安备\s*\d+\s*号?",
    r"(?:标识码|SiteIDCode)\s*[:：]?\s*\d+",
    r"https?://\S+|www\.\S+",
    r"(?:地址|住址|地点)\s*[:：][^\n]*",
    r"(?:12345|12348|12315|12368|110|119|120|122)(?=\s*(?:热线|平台|政务|服务|便民|专线|接警))",
)]
_SENTENCE_END = "。！？!?；;\n"


def extract_figures(text: str, section_of=None) -> list[Metric]:
    """Every figure in `text`, in order, with label/indicator left for `parsers.indicators` to fill."""
    norm = normalize_width(text)
    masked = nonfigure_mask(norm)
    found: list[tuple[int, list[Metric]]] = []
    for match in FIGURE_RE.finditer(norm):
        metrics = _from_match(match, text, norm, masked)
        if metrics:
            found.append((match.start(), metrics))
    for match in PERCENT_WORD_RE.finditer(norm):
        metric = _from_percent_word(match, text, norm, masked)
        if metric:
            found.append((match.start(), [metric]))
    found.sort(key=lambda item: item[0])
    out = [m for _, group in found for m in group]
    if section_of is not None:
        for metric in out:
            metric.section = section_of(metric.start)
    return out


def nonfigure_mask(norm: str) -> bytearray:
    """One byte per character: 1 where a date, 文号, title, phone, set phrase … rules out a figure."""
    mask = bytearray(len(norm))
    for pattern in _MASK_PATTERNS:
        for m in pattern.finditer(norm):
            mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for phrase in _set_phrases():
        start = norm.find(phrase)
        while start != -1:
            mask[start:start + len(phrase)] = b"\x01" * len(phrase)
            start = norm.find(phrase, start + len(phrase))
    return mask


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end offsets of the sentence holding text[start:end]."""
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    rights = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return left, right


_SET_PHRASES: list[str] = []


def _set_phrases() -> list[str]:
    if not _SET_PHRASES:
        data = tomllib.loads(NONFIGURES_FILE.read_text(encoding="utf-8"))
        _SET_PHRASES.extend(sorted(data["set_phrases"], key=len, reverse=True))
    return _SET_PHRASES


def _from_match(match: re.Match, text: str, norm: str, masked: bytearray) -> list[Metric]:
    num_start, num_end = match.span("num")
    if any(masked[num_start:num_end]) or (match.group("lo") and any(masked[slice(*match.span("lo"))])):
        return []
    unit = match.group("unit")
    follower = norm[match.end("unit"):match.end("unit") + 1]
    if follower and follower in _WRONG_FOLLOWERS.get(unit[-1] if len(unit) == 1 else "", ""):
        return []
    if unit == "个" and norm.startswith(("工作日", "小时", "季度", "星期", "月"), match.end("unit")):
        return []
    if match.group("num")[0] in "百千万亿" and not (match.group("more") or match.group("post")):
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
    change = _CHANGE_RE.search(norm, max(0, match.start() - 14), match.start())
    if change and (change.group("marker") or unit in ("%", "百分点")) and qualifier != "lower_bound":
        qualifier = "change"
        if change.group("verb") in _DECREASE_VERBS:
            value = -value
    elif unit == "百分点" and change and change.group("verb") in _DECREASE_VERBS:
        value = -value
    start, end = match.span()
    left, right = sentence_bounds(norm, start, end)
    common = dict(indicator=None, label="", unit=unit, approx=approx, raw=text[start:end], section=None,
                  sentence=text[left:right].strip(), start=start, end=end)
    if match.group("lo"):
        low = parse_number(match.group("lo"))
        if low is None:
            return []
        return [Metric(value=low, qualifier="range_low", **common),
                Metric(value=value, qualifier="range_high", **common)]
    return [Metric(value=value, qualifier=qualifier, **common)]


def _from_percent_word(match: re.Match, text: str, norm: str, masked: bytearray) -> Metric | None:
    if any(masked[match.start("num"):match.end("num")]):
        return None
    word = match.group("num")
    value = 100.0 if word == "百" else parse_number(word)
    if value is None:
        return None
    pre = match.group("pre")
    start, end = match.span()
    left, right = sentence_bounds(norm, start, end)
    return Metric(indicator=None, label="", value=value, unit="%", approx=pre in _APPROX_PREFIXES,
                  raw=text[start:end], section=None, sentence=text[left:right].strip(), start=start,
                  end=end, qualifier="lower_bound" if pre in _LOWER_BOUND_PREFIXES else None)
