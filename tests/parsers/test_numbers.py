"""Numbers as reports write them: Arabic, full-width, Chinese numerals, 万/亿 multipliers."""
from __future__ import annotations

import pytest

from fzzf.parsers.numbers import normalize_width, parse_chinese, parse_number


@pytest.mark.parametrize(("written", "value"), [
    ("845", 845), ("８４５", 845), ("1,286", 1286), ("3.5", 3.5),
    ("1.375万", 13750), ("169.122万", 1691220), ("1.28亿", 128000000), ("31.5万", 315000), ("2万亿", 2e12),
    ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("一千二百", 1200), ("两万", 20000),
    ("三千零五", 3005), ("一亿二千万", 120000000), ("二〇二三", 2023),
])
def test_parse_number(written, value):
    assert parse_number(written) == value


@pytest.mark.parametrize("written", ["", "abc", "三五六七八九十一", "1.2.3"])
def test_parse_number_rejects_non_numbers(written):
    assert parse_number(written) is None


def test_parse_chinese_rejects_other_characters():
    assert parse_chinese("三个") is None


def test_normalize_width_keeps_offsets():
    text = "排查矛盾纠纷８４５件，化解率９１％"
    assert len(normalize_width(text)) == len(text)


def test_normalize_width_converts_digits_and_percent():
    assert normalize_width("９１％") == "91%"


def test_normalize_width_keeps_chinese_comma():
    # 「845，769件」 must stay two numbers, never the thousands-separated 845,769.
    assert normalize_width("845，769") == "845，769"


def test_full_width_thousands_separator():
    assert normalize_width("２，３５６件") == "2,356件"


def test_chinese_decimal():
    assert parse_number("八十五点六") == 85.6
