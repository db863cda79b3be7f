"""Documents a report cites: 《…》 titles and 文号 (issuer abbreviation, year, number)."""
from __future__ import annotations

import re
from bisect import bisect_left

from fzzf.parsers.numbers import normalize_width
from fzzf.parsers.records import CitedDocument

# 文号: issuer abbreviation, the year in 〔〕 (or look-alike brackets), the serial number and 号.
DOC_NUMBER_RE = re.compile(
    r"(?P<issuer>[\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）]"
    r"\s*第?\s*(?P<number>\d{1,5})\s*号"
)
# What follows the issuer in a 文号: found first (it starts with a bracket, which the scan skips to at C speed),
# so the issuer pattern, which could start at any Chinese character, is tried only just before it.
_NUMBER_TAIL_RE = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号")
_ISSUER_CHARS = 12
# Outer 《…》 titles; an inner 《…》 is written <…> or 〈…〉 inside them, so no nesting to handle.
TITLE_RE = re.compile(r"《(?P<title>[^《》\n]{1,120})》")
# A 文号 in brackets right after a title belongs to it: 《…》(襄高管办函〔2022〕7号).
_ATTACH_GAP = re.compile(r"^\s*[(（]?\s*$")
_ATTACH_WINDOW = 6
_OPEN_RE, _CLOSE_RE = re.compile("《"), re.compile("》")
# Words that run into the issuer abbreviation in prose: 「按照襄高法委〔2023〕1号」, 「为贯彻鄂政发〔2021〕5号」.
_PROSE_BEFORE_ISSUER_RE = re.compile(
    r"^.*(?:印发了?|下发了?|出台了?|转发了?|发布了?|制定了?|根据|按照|依据|依照|参照|贯彻|落实|执行|的|和|及|与|、)"
)


def extract_documents(text: str, norm: str | None = None) -> list[CitedDocument]:
    """Cited documents in order of first citation; a title and the 文号 right after it form one record.

    `norm` is `normalize_width(text)` when the caller has it already.
    """
    norm = normalize_width(text) if norm is None else norm
    docs: list[tuple[int, CitedDocument]] = []
    used_numbers: set[int] = set()
    numbers = doc_numbers(norm)
    starts = [number.start() for number in numbers]
    for title in TITLE_RE.finditer(norm):
        doc = CitedDocument(title=title.group("title").strip())
        # Only the 文号 starting within the window after the title can attach: found by bisection, not a scan.
        for i in range(bisect_left(starts, title.end()), len(numbers)):
            number = numbers[i]
            gap = norm[title.end():number.start()]
            if len(gap) > _ATTACH_WINDOW:
                break
            if _ATTACH_GAP.match(gap):
                _fill_number(doc, number)
                used_numbers.add(number.start())
                break
        docs.append((title.start(), doc))
    opens = [m.start() for m in _OPEN_RE.finditer(norm)]
    closes = [m.start() for m in _CLOSE_RE.finditer(norm)]
    for number in numbers:
        if number.start() not in used_numbers and not _inside_title(opens, closes, number.start()):
            doc = CitedDocument(title=None)
            _fill_number(doc, number)
            docs.append((number.start(), doc))
    docs.sort(key=lambda item: item[0])
    return _dedupe([doc for _, doc in docs])


def doc_numbers(norm: str) -> list[re.Match]:
    """The matches `DOC_NUMBER_RE.finditer(norm)` yields, found from the bracket back to the issuer.

    A match's issuer and the spaces after it are Chinese characters and whitespace, so it starts at most
    _ISSUER_CHARS characters before the whitespace that precedes its bracket, and after any earlier bracket.
    """
    found: list[re.Match] = []
    pos = 0
    while True:
        tail = _NUMBER_TAIL_RE.search(norm, pos)
        if tail is None:
            return found
        bracket = end = tail.start()
        while end > pos and norm[end - 1].isspace():  # str.isspace is what \s matches in str patterns
            end -= 1
        for start in range(max(pos, end - _ISSUER_CHARS), bracket):
            match = DOC_NUMBER_RE.match(norm, start)
            if match:
                found.append(match)
                pos = match.end()
                break
        else:
            pos = bracket + 1  # no issuer before this bracket: any later match starts after it


def _fill_number(doc: CitedDocument, match: re.Match) -> None:
    issuer = match.group("issuer")
    issuer = _PROSE_BEFORE_ISSUER_RE.sub("", issuer) or issuer
    doc.issuer_abbr = issuer
    doc.year = int(match.group("year"))
    doc.number = int(match.group("number"))
    doc.doc_number = f"{issuer}〔{doc.year}〕{doc.number}号"


def _inside_title(opens: list[int], closes: list[int], pos: int) -> bool:
    """True when the last 《 before `pos` is not yet closed by a 》 (positions sorted, found by bisection)."""
    i = bisect_left(opens, pos)
    if i == 0:
        return False
    j = bisect_left(closes, pos)
    return j == 0 or closes[j - 1] < opens[i - 1]


def _dedupe(docs: list[CitedDocument]) -> list[CitedDocument]:
    seen: set[tuple] = set()
    out = []
    for doc in docs:
        key = (doc.title, doc.doc_number)
        if key not in seen:
            seen.add(key)
            out.append(doc)
    return out
