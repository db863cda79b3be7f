"""Numbers as Chinese reports write them: Arabic, full-width, Chinese numerals, 万/亿 multipliers."""
from __future__ import annotations

import re

# Full-width forms map one-to-one onto ASCII, so character offsets survive normalisation.
# The Chinese comma stays (「845，769件」 must not read as 845,769) unless it sits between full-width digits.
_FULLWIDTH_FROM = "０１２３４５６７８９．％－～＋"
_FULLWIDTH = str.maketrans(_FULLWIDTH_FROM, "0123456789.%-~+")
_FULLWIDTH_RE = re.compile(f"[{_FULLWIDTH_FROM}]")
# A full-width comma between full-width digits groups thousands (２，３５６件); elsewhere it separates clauses.
_FULLWIDTH_THOUSANDS_RE = re.compile(r"(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")
CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_DIGIT_CHARS = "".join(CN_DIGITS)
CN_NUMERAL_CHARS = CN_DIGIT_CHARS + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)
# No real figure is written with more characters than this (一千二百三十四万五千六百七十八 has 15,
# 1,234,567,890.12 has 16); a longer run of digits or numerals is not a figure (and would overflow a float).
MAX_NUMBER_CHARS = 24
# Arabic numbers may carry thousands separators ("1,200") and decimals.
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ARABIC_RE = re.compile(rf"^(?:{ARABIC})$")
_MIXED_RE = re.compile(rf"^({ARABIC})([万亿]*)$")
_CN_RE = re.compile(f"^[{CN_NUMERAL_CHARS}]+$")
# 八十五点六: a Chinese numeral with decimals read digit by digit after 点.
_CN_DECIMAL_RE = re.compile(f"^([{CN_NUMERAL_CHARS}]+)点([{CN_DIGIT_CHARS}]+)$")


def normalize_width(text: str) -> str:
    """Replace full-width digits and signs with ASCII ones, keeping every character offset."""
    if not _FULLWIDTH_RE.search(text):
        return text
    return _FULLWIDTH_THOUSANDS_RE.sub(",", text).translate(_FULLWIDTH)


def parse_number(text: str) -> float | None:
    """Value of a written number ("845", "８４５", "1.375万", "一千二百", "两万"), or None."""
    text = normalize_width(text.strip())
    if not text or len(text) > MAX_NUMBER_CHARS:
        return None
    mixed = _MIXED_RE.match(text)
    if mixed:
        value = float(mixed.group(1).replace(",", ""))
        for ch in mixed.group(2):
            value *= CN_BIG_UNITS[ch]
        return _tidy(value)
    if _CN_RE.match(text):
        return parse_chinese(text)
    decimal = _CN_DECIMAL_RE.match(text)
    if decimal:
        whole = parse_chinese(decimal.group(1))
        fraction = "".join(str(CN_DIGITS[ch]) for ch in decimal.group(2))
        return None if whole is None else _tidy(whole + float(f"0.{fraction}"))
    return None


def parse_chinese(text: str) -> float | None:
    """Value of a Chinese numeral ("三", "十二", "一千二百", "两万", "一百零五", "二〇二三")."""
    if not text or len(text) > MAX_NUMBER_CHARS or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        # Digit-by-digit spelling, as in 二〇二三.
        return float(int("".join(str(CN_DIGITS[ch]) for ch in text)))
    total = 0
    section = 0  # the part below the current 万/亿
    digit: int | None = None
    for ch in text:
        if ch in CN_DIGITS:
            if digit not in (None, 0) and CN_DIGITS[ch] != 0:
                return None  # two digits in a row without a unit between them
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            # 十 alone means 10 (十二 = 12).
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]
            digit = None
        else:
            big = CN_BIG_UNITS[ch]
            section += digit or 0
            digit = None
            if big == 100_000_000:
                total = (total + section) * big
            else:
                total += section * big
            section = 0
    section += digit or 0
    return float(total + section)


def _tidy(value: float) -> float:
    """Round away binary noise from decimal scaling (1.375 * 10000 -> 13750.0)."""
    return value if value.is_integer() else round(value, 6)  # a whole number rounds to itself
