"""The time a figure covers: the year reported on, or a span the text gives it (自…以来, 累计, 近三年, 截至目前)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fzzf.parsers.records import SCOPES, Metric

SCOPES_FILE = Path(__file__).with_name("scopes.toml")
_SENTENCE_END_RE = re.compile(r"[。！？!?\n]")
_SUBSENTENCE_END_RE = re.compile(r"[。！？!?\n；;]")
_CLAUSE_END_RE = re.compile(r"[，,；;。！？!?\n]")
_CLAUSE_START_RE = re.compile(r"[，,；;。！？!?\n]")
_NEVER = "(?!)"


@dataclass(frozen=True)
class _Marker:
    scope: str
    reach: str  # "sentence" or "clause"
    pattern: re.Pattern
    weak: bool = False


@dataclass(frozen=True)
class _Span:
    start: int  # where the marker ends: figures from here on take its scope
    end: int  # end of its reach
    scope: str
    weak: bool = False


def assign_scopes(norm: str, metrics: list[Metric], year: int | None = None) -> None:
    """Set `scope` of each figure (in place) from the span markers before it; `year` is the year reported on."""
    if not metrics:
        return
    spans = _spans(norm, year)
    if not spans:
        return
    resets = [m.end() for m in _in_year_re(year).finditer(norm)]
    for metric in metrics:
        covering = [s for s in spans if s.start <= metric.start < s.end]
        if not covering:
            continue
        span = max(covering, key=lambda s: (not s.weak, s.start))
        if not any(span.start < r <= metric.start for r in resets):
            metric.scope = span.scope


def _spans(norm: str, year: int | None) -> list[_Span]:
    spans = []
    since_start = _since_start_re(year)
    for marker in _markers():
        ends = _SENTENCE_END_RE if marker.reach == "sentence" else _CLAUSE_END_RE
        for m in marker.pattern.finditer(norm):
            if m.group().endswith("以来") and since_start.search(_clause_before(norm, m.start())):
                continue  # 「2023年以来」 in the 2023 report, 「今年以来」: the year itself
            if marker.weak and _in_year_re(year).search(_sentence_before(norm, m.start())):
                continue  # 「2023年,…累计培训15万人次」: a total over the year reported on
            stop = ends.search(norm, m.end())
            spans.append(_Span(m.end(), stop.start() if stop else len(norm), marker.scope, marker.weak))
    return spans


def _sentence_before(norm: str, end: int) -> str:
    """The text from the sentence's start (or its last ；) up to `end`."""
    starts = [m.end() for m in _SUBSENTENCE_END_RE.finditer(norm, max(0, end - 200), end)]
    return norm[starts[-1] if starts else max(0, end - 200):end]


def _clause_before(norm: str, end: int) -> str:
    starts = [m.end() for m in _CLAUSE_START_RE.finditer(norm, max(0, end - 40), end)]
    return norm[starts[-1] if starts else max(0, end - 40):end]


@lru_cache(maxsize=1)
def _markers() -> tuple[_Marker, ...]:
    data = tomllib.loads(SCOPES_FILE.read_text(encoding="utf-8"))
    markers = tuple(_Marker(row["scope"], row["reach"], re.compile(row["pattern"]), bool(row.get("weak")))
                    for row in data["marker"])
    assert all(m.scope in SCOPES and m.reach in ("sentence", "clause") for m in markers), SCOPES_FILE
    return markers


@lru_cache(maxsize=64)
def _in_year_re(year: int | None) -> re.Pattern:
    return re.compile(_in_year()["pattern"].replace("YEAR", str(year) if year else _NEVER))


@lru_cache(maxsize=64)
def _since_start_re(year: int | None) -> re.Pattern:
    return re.compile(_in_year()["since_start"].replace("YEAR", str(year) if year else _NEVER))


@lru_cache(maxsize=1)
def _in_year() -> dict:
    return tomllib.loads(SCOPES_FILE.read_text(encoding="utf-8"))["in_year"]
