"""Consistency checks of the hand-labelled corpus itself (labels against their own pages, no parser)."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from fzzf.parsers.indicators import load_indicators
from fzzf.vocab import Part

CORPUS = Path(__file__).resolve().parent
FICTION_NOTICE = "本页为 fzzf 项目编写的虚构测试页面"
# Canonical indicator keys (docs/contract.md), defined once in parsers/indicators.toml.
INDICATORS = frozenset(indicator.key for indicator in load_indicators())
# Labels list parts in this fixed order (README.md); the keys themselves are fzzf.vocab.Part.
PARTS = (Part.MEASURES, Part.LEADERSHIP_DUTY, Part.PROBLEMS, Part.PLANS, Part.OTHER)
FLAGS = frozenset({"spam_injection", "template_placeholder", "mojibake", "traditional_script"})
QUALIFIERS = (None, "lower_bound", "range_low", "range_high", "change")
SCOPES = ("cumulative", "multi_year", "as_of", "per_period")  # `scope` is left out for the year reported on
PERCENT_UNITS = ("%", "百分点")
CHARSET = re.compile(rb'charset="?([\w-]+)', re.I)
ARABIC = re.compile(r"[0-9０-９][0-9０-９,.．]*")
FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NEGATIVE = ("下降", "减少", "降低", "压降", "压减", "压缩", "缩减", "缩短", "精简")

# The held-out pages (tests/holdout/) follow the same label format and are checked the same way.
LABELLED_DIRS = (CORPUS, CORPUS.parent / "holdout")
PAGES = sorted(f"{folder.name}/{p.stem}" for folder in LABELLED_DIRS for p in folder.glob("*.json"))


@pytest.mark.parametrize("folder", LABELLED_DIRS, ids=lambda f: f.name)
def test_every_page_has_labels(folder):
    assert sorted(p.stem for p in folder.glob("*.html")) == sorted(p.stem for p in folder.glob("*.json"))


def test_corpus_has_enough_pages_and_the_seed():
    pages = [p.stem for p in CORPUS.glob("*.json")]
    assert len(pages) >= 13
    assert any(p.startswith("seed_") for p in pages)


@pytest.mark.parametrize("page", PAGES)
def test_page_labels_are_well_formed(page):
    labels = _labels(page)
    assert set(labels) == {"url", "title", "year", "published", "district", "admin_code", "parts", "flags",
                           "metrics"}
    assert labels["url"].startswith("http://")
    assert 2018 <= labels["year"] <= 2025
    published = date.fromisoformat(labels["published"])
    assert published.year == labels["year"] + 1
    assert str(labels["year"]) in labels["title"]
    assert [p for p in PARTS if p in labels["parts"]] == labels["parts"]
    assert {"measures", "problems", "plans"} <= set(labels["parts"])
    assert set(labels["flags"]) <= FLAGS and labels["flags"] == sorted(labels["flags"])
    assert labels["admin_code"] is None or re.fullmatch(r"\d{6}", labels["admin_code"])
    assert 20 <= len(labels["metrics"]) <= 70
    for m in labels["metrics"]:
        assert set(m) - {"scope"} == {"value", "unit", "indicator", "approx", "qualifier", "raw"}
        assert m.get("scope", "cumulative") in SCOPES
        assert m["indicator"] is None or m["indicator"] in INDICATORS
        assert m["qualifier"] in QUALIFIERS and isinstance(m["approx"], bool)
        if m["unit"] == "%" and m["qualifier"] != "change":
            assert 0 <= m["value"] <= 100


@pytest.mark.parametrize("page", PAGES)
def test_fictional_pages_say_so(page):
    labels, text = _labels(page), _text(page)
    if page.split("/")[-1].startswith("fict_"):
        assert FICTION_NOTICE in text
        assert labels["admin_code"].startswith("99")
    else:
        assert FICTION_NOTICE not in text


@pytest.mark.parametrize("page", PAGES)
def test_every_raw_is_on_the_page_in_order(page):
    text, pos = _text(page), 0
    for m in _labels(page)["metrics"]:
        at = _find_number(text, m["raw"], pos)
        assert at >= 0, f"{m['raw']!r} not found after offset {pos}"
        pos = at + len(m["raw"])


@pytest.mark.parametrize("page", PAGES)
def test_values_agree_with_raw(page):
    for m in _labels(page)["metrics"]:
        assert _value_of(m) == pytest.approx(m["value"]), m


def _labels(page: str) -> dict:
    return json.loads((CORPUS.parent / f"{page}.json").read_text(encoding="utf-8"))


def _text(page: str) -> str:
    raw = (CORPUS.parent / f"{page}.html").read_bytes()
    found = CHARSET.search(raw[:2048])
    charset = found.group(1).decode().lower() if found else "utf-8"
    # GB2312/GBK pages decode as GB18030, its superset
    encoding = "gb18030" if charset in ("gb2312", "gbk", "gb18030") else charset
    return BeautifulSoup(raw.decode(encoding), "lxml").get_text("\n").replace("\xa0", " ")


def _find_number(text: str, raw: str, start: int) -> int:
    """Offset of raw in text at or after start, not glued to a preceding digit."""
    at = text.find(raw, start)
    while at > 0 and (text[at - 1].isdigit() or text[at - 1] in ".．" or
                      (text[at - 1] == "," and at > 1 and text[at - 2].isdigit())):
        at = text.find(raw, at + 1)
    return at


def _value_of(m: dict) -> float:
    """Recompute the value from the raw text: digits or Chinese numerals, 万/亿 scaling, change sign."""
    raw = m["raw"]
    arabic = ARABIC.search(raw)
    if arabic:
        value = float(arabic.group().translate(FULL_WIDTH).replace(",", ""))
        tail = raw[arabic.end():]
    else:
        numeral = re.search(r"[零一二两三四五六七八九十百千万亿]+", raw.replace("百分之", "", 1)).group()
        value, tail = _chinese(numeral), ""
        if raw.startswith("百分之") or "百分之" in raw:
            return value
    if m["unit"] not in PERCENT_UNITS:
        value *= 10000 if tail.startswith(("万", "余万")) else 1
        value *= 100000000 if tail.startswith("亿") else 1
    return -value if raw.startswith(NEGATIVE) else value


def _chinese(numeral: str) -> float:
    """Value of a Chinese numeral up to the 万 range (三, 十二, 一千二百, 两万)."""
    if numeral == "百":
        return 100.0
    total, section, digit = 0, 0, 0
    for ch in numeral:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (digit or 1) * CN_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
    return float(total + section + digit)
