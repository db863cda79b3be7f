"""Traditional → simplified script with OpenCC, so mirrors in traditional characters parse like the original."""
from __future__ import annotations

import re
from functools import cache

import opencc

# OpenCC's plain traditional→simplified table (t2s): characters and phrases, no regional idioms.
CONFIG = "t2s"
# A page is traditional when at least this share of its CJK characters change, and at least MIN_CHANGED do
# (a simplified report quoting one 「臺灣」 is not).
SHARE = 0.03
MIN_CHANGED = 10
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Some mirrors annotate characters with pinyin in brackets: 「全區(qū)」, 「設(shè)」.
# The bracket comes first, the lookbehind then checks the character before it: a pattern that opens with a
# character lets the scan skip to it.
PINYIN_NOTE = re.compile(r"\((?<=[\u4e00-\u9fff]\()[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(CONFIG)


def to_simplified(text: str) -> tuple[str, bool]:
    """The text in simplified script, and whether it was traditional (pinyin notes dropped either way)."""
    if "(" in text:
        text = PINYIN_NOTE.sub("", text)
    converted = _converter().convert(text)
    if converted == text:
        return text, False  # most pages: nothing to convert, nothing to count
    if len(converted) != len(text):
        changed = sum(1 for ch in _CJK.findall(text) if ch not in converted)
    else:
        changed = sum(map(str.__ne__, text, converted))
    if changed < MIN_CHANGED:
        return text, False
    cjk = len(_CJK.findall(text))
    traditional = changed / cjk >= SHARE
    return (converted if traditional else text), traditional
