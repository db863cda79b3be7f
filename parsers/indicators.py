"""Map figures to the canonical indicator keys (docs/contract.md), using the synonyms in indicators.toml."""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

from fzzf.parsers.numbers import normalize_width
from fzzf.parsers.records import Metric

INDICATORS_FILE = Path(__file__).with_name("indicators.toml")
# A clause ends at these; the noun phrase a figure quantifies lives inside its clause.
_CLAUSE_BREAK_RE = re.compile(r"[，,；;。：:！!？?\n（(）)]")
# Joiners between the items of a per-item list: 83项、10项、42项、12项政务服务事项.
_LIST_JOINER_RE = re.compile(r"^\s*(?:、|和|及|与|以及)\s*$")
# Words that open a clause but are not part of the noun phrase.
_LABEL_TRIM_RE = re.compile(r"^(?:[一二三四五六七八九十]+是|同时|其中|全年|全区|全县|全市|全镇|我区|我县|我市|我局|共计|累计|"
                            r"共|已|并|均|还|为|分别)+|(?:达到|达|为|共计|共|累计|合计|分别|计)+$")
_SUBSET_RE = re.compile(r"^其中")
# A noun and a joiner right after the previous figure belong to it: in 「4名法律顾问、20名公职律师」 the 20 are
# 公职律师, not 法律顾问.
_TRAILING_NOUN_RE = re.compile(r"^[^、，,；;。]{1,12}(?:、|和|及|与|以及)$")
# Document titles never name a figure: 《…政务服务事项…方案》 is not what 「各类文件20余件」 counts.
_TITLE_RE = re.compile(r"《[^《》\n]{0,80}》")
_TITLE_FILLER = "\u2063"
# Where `around` patterns see the figure: 「常务会议先后#次对《…》进行专题学习」.
_AT = "#"
_REST_CHARS = 48
_DIGIT_RE = re.compile(r"\d")
# A verb may be followed by the link words that lead to the number: 「成功率达99%」, 「受理了12件」.
_LINK_WORDS = r"(?:了|均|分别|共|共计)?(?:达到|达|为|是)?"
_AFTER_CHARS = 16
# The paragraph context searched for an elided subject is cut to this many characters before the figure, so a
# page that is one endless line costs linear time (real paragraphs are far shorter).
_CONTEXT_CHARS = 1000
_NEWLINE_RE = re.compile("\n")


@dataclass(frozen=True)
class Indicator:
    """One canonical indicator and the ways prose names it."""

    key: str
    name: str
    units: tuple[str, ...]
    phrases: re.Pattern | None
    verbs: re.Pattern | None
    subjects: re.Pattern | None
    exclude: re.Pattern | None
    priority: int
    rate_of: tuple[str, str] | None = None
    name_en: str = ""
    unit: str = ""  # the base unit the reference table shows
    exclude_after: re.Pattern | None = None
    around: re.Pattern | None = None


@lru_cache(maxsize=4)
def not_counted_after(path: Path = INDICATORS_FILE) -> re.Pattern:
    """Nouns after a figure that make it a count of parts (方面, 部分 …), not of an indicator's noun."""
    return re.compile(tomllib.loads(path.read_text(encoding="utf-8"))["not_counted_after"])


def load_indicators(path: Path = INDICATORS_FILE) -> list[Indicator]:
    """Read the indicator table (keys, units, synonym regexes) from TOML."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Indicator(
            key=row["key"], name=row["name"], units=tuple(row["units"]),
            phrases=_compile(row.get("phrases", [])), verbs=_compile(row.get("verbs", []), anchor=True),
            subjects=_compile(row.get("subjects", [])), exclude=_compile(row.get("exclude", [])),
            priority=int(row.get("priority", 0)),
            rate_of=tuple(row["rate_of"]) if "rate_of" in row else None,
            name_en=row.get("name_en", ""), unit=row.get("unit", ""),
            exclude_after=_compile(row.get("exclude_after", [])), around=_compile(row.get("around", [])),
        )
        for row in data["indicator"]
    ]


def rate_parts(indicators: list[Indicator] | None = None) -> dict[str, tuple[str, str]]:
    """Rate key -> (part key, whole key) for the rates the table says how to recompute."""
    indicators = indicators if indicators is not None else _default_indicators()
    return {ind.key: ind.rate_of for ind in indicators if ind.rate_of}


def assign_indicators(text: str, metrics: list[Metric], indicators: list[Indicator] | None = None,
                      norm: str | None = None) -> None:
    """Fill `label` and `indicator` of each figure (in place) from the words around it in `text`; `norm` is
    `normalize_width(text)` when the caller has it already."""
    by_unit = _by_unit(indicators) if indicators is not None else _default_by_unit()
    named = _default_names() if indicators is None else {}
    norm = normalize_width(text) if norm is None else norm
    plain = _TITLE_RE.sub(lambda m: _TITLE_FILLER * len(m.group()), norm)  # same offsets, titles blanked
    # Offsets computed once for the whole text; each figure then finds its clause by bisection, not a rescan.
    text_index = _TextIndex(ends=[m.end for m in metrics],  # non-decreasing: figures come in text order
                            breaks=[m.start() for m in _CLAUSE_BREAK_RE.finditer(norm)],
                            newlines=[m.start() for m in _NEWLINE_RE.finditer(norm)])
    previous: tuple[str, str | None, str | None] = ("", None, None)  # (sentence, key, scope) of the last figure
    for group in _groups(norm, metrics):
        first, last = group[0], group[-1]
        shown = _clause_before(norm, first.start, text_index)
        own = not _follows_trailing_noun(shown, first, text_index)
        before, shown = (_clause_before(plain, first.start, text_index), shown) if own else ("", "")
        after, shown_after = _clause_after(plain, last), _clause_after(norm, last)
        label = _label(shown, shown_after)
        if len(label) < 2 and own:
            # 「梳理公布区级行政许可事项清单,共203项」: the noun sits in the clause before.
            before = _previous_clause(plain, first.start, text_index) + before
            label = _label(_previous_clause(norm, first.start, text_index) + shown, shown_after) or label
        if before.endswith("对"):
            after = ""  # 「对46项…事项实行告知承诺」: the figure is what a measure targets, not a stock
        key = None
        if first.qualifier != "change" and first.scope != "per_period" and not not_counted_after().match(after):
            rest = _rest_of_clause(plain, last)
            names = named.get(first.unit)
            seen = names.seen(before, after, rest) if names is not None else None
            if seen is None or any(seen):
                key = _best(by_unit.get(first.unit, []), before, after,
                            _paragraph_before(plain, first.start, text_index), rest, seen)
        subset = bool(_SUBSET_RE.match(before))
        if subset and previous == (first.sentence, key, first.scope):
            # 「其中…59条」 after 「73条」: a subset of the same indicator would double count (but 「近三年…312件,
            # 其中2023年…108件」 is the year's own figure inside a span, not a part of the year's value).
            key = None
        if key or not subset:
            previous = (first.sentence, key, first.scope)
        for metric in group:
            metric.label = label
            metric.indicator = key


def _best(indicators: list[Indicator], before: str, after: str, context: str, rest: str = "",
          seen: _Seen | None = None) -> str | None:
    best: tuple | None = None
    for ind in indicators:
        if seen is not None and not ((seen.around and ind.around is not None)
                                     or ((seen.before or seen.after) and ind.phrases is not None)
                                     or (seen.verbs and ind.verbs is not None)):
            continue  # none of the kinds of naming seen here is one this indicator has
        score = _score(ind, before, after, context, rest, seen)
        if score is None or (best is not None and not score > best[0]):
            continue
        # Exclusions only matter to an indicator that would win: checked last, for the few that do.
        if ind.exclude is not None and ind.exclude.search(before):
            continue
        if ind.exclude_after is not None and ind.exclude_after.search(after):
            continue
        best = (score, ind.key)
    return best[1] if best else None


def _score(ind: Indicator, before: str, after: str, context: str, rest: str = "",
           seen: _Seen | None = None) -> tuple | None:
    """(priority, direct?, -distance) of the nearest way `ind` names this figure, or None; `seen` says which
    kinds of naming any indicator of the unit shows here (None: not known), so the others are not searched."""
    best = None
    if ind.around is not None and (seen is None or seen.around) and ind.around.search(f"{before}{_AT}{rest}"):
        best = (ind.priority, 1, 0)
    if ind.phrases is not None:
        # Most indicators name no figure: one search tells, before listing every match to take the last.
        starts = ([m.start() for m in ind.phrases.finditer(before)]
                  if (seen is None or seen.before) and ind.phrases.search(before) else [])
        if starts and (best is None or starts[-1] - len(before) > best[2]):
            best = (ind.priority, 1, starts[-1] - len(before))
        m = ind.phrases.search(after) if seen is None or seen.after else None
        if m and (best is None or -m.start() > best[2]):
            best = (ind.priority, 1, -m.start())
    if best is None and ind.verbs is not None and (seen is None or seen.verbs) and ind.verbs.search(before):
        ends = [m.end() for m in ind.subjects.finditer(context)] if ind.subjects is not None else []
        if ends:
            best = (ind.priority, 0, ends[-1] - len(context))
    return best


class _Seen(NamedTuple):
    """Which kinds of naming some indicator of the unit shows around a figure."""

    around: bool
    before: bool  # phrases before the figure
    after: bool  # phrases after it
    verbs: bool


@dataclass(frozen=True)
class _UnitNames:
    """A unit's indicators' `around`, `phrases` and `verbs` patterns, each kind as one alternation.

    An indicator scores only when one of its own patterns matches, so a figure none of the alternations
    matches skips the per-indicator loop (half of all figures), and the loop searches only the kinds some
    indicator shows: same answer, fewer searches.
    """

    around: re.Pattern | None
    phrases: re.Pattern | None
    verbs: re.Pattern | None

    def seen(self, before: str, after: str, rest: str) -> _Seen:
        """Which kinds of naming any indicator of the unit shows around a figure."""
        return _Seen(around=self.around is not None and self.around.search(f"{before}{_AT}{rest}") is not None,
                     before=self.phrases is not None and self.phrases.search(before) is not None,
                     after=self.phrases is not None and self.phrases.search(after) is not None,
                     verbs=self.verbs is not None and self.verbs.search(before) is not None)


def _either(patterns: list[re.Pattern | None]) -> re.Pattern | None:
    found = [p.pattern for p in patterns if p is not None]
    return re.compile("|".join(f"(?:{p})" for p in found)) if found else None


def _groups(norm: str, metrics: list[Metric]) -> list[list[Metric]]:
    """Figures joined only by 、/和/及 share one noun phrase (a per-item list)."""
    groups: list[list[Metric]] = []
    for metric in metrics:
        prev = groups[-1][-1] if groups else None
        if (prev and prev.unit == metric.unit and prev.end <= metric.start
                and _LIST_JOINER_RE.match(norm[prev.end:metric.start])):
            groups[-1].append(metric)
        else:
            groups.append([metric])
    return groups


@dataclass(frozen=True)
class _TextIndex:
    """Sorted offsets in the normalised text: figure ends, clause breaks (all one character) and newlines."""

    ends: list[int]
    breaks: list[int]
    newlines: list[int]


def _last_before(offsets: list[int], start: int) -> int | None:
    """The greatest offset below `start`, or None."""
    i = bisect_left(offsets, start)
    return offsets[i - 1] if i else None


def _clause_before(norm: str, start: int, index: _TextIndex) -> str:
    """Text from the last clause break (or the previous figure) up to offset `start`."""
    i = bisect_right(index.ends, start)
    left = index.ends[i - 1] if i else 0
    brk = _last_before(index.breaks, start)
    if brk is not None and brk >= left:
        left = brk + 1
    return norm[left:start].strip()


def _follows_trailing_noun(before: str, metric: Metric, index: _TextIndex) -> bool:
    """True when `before` is the previous figure's own noun plus a joiner (「4名法律顾问、」 before 「20名」)."""
    if not _TRAILING_NOUN_RE.match(before):
        return False
    previous_end = _last_before(index.ends, metric.start + 1)
    return previous_end is not None and metric.start - len(before) - previous_end <= 1


def _rest_of_clause(norm: str, metric: Metric) -> str:
    """The rest of the figure's clause, titles blanked: what `around` patterns read after the figure."""
    window = norm[metric.end:metric.end + _REST_CHARS]
    cut = _CLAUSE_BREAK_RE.search(window)
    return window[:cut.start()] if cut else window


def _previous_clause(norm: str, start: int, index: _TextIndex) -> str:
    """The clause before the one holding offset `start`, with its closing break."""
    brk = _last_before(index.breaks, start)
    if brk is None:
        return ""
    return _clause_before(norm, brk, index) + norm[brk]


def _paragraph_before(norm: str, start: int, index: _TextIndex) -> str:
    """The paragraph up to the figure (at most _CONTEXT_CHARS): where an elided subject (受理…件 after 复议申请)
    is found."""
    newline = _last_before(index.newlines, start)
    return norm[max(0 if newline is None else newline + 1, start - _CONTEXT_CHARS):start]


def _clause_after(norm: str, metric: Metric) -> str:
    window = norm[metric.end:metric.end + _AFTER_CHARS]
    cut = _CLAUSE_BREAK_RE.search(window)
    window = window[:cut.start()] if cut else window
    digit = _DIGIT_RE.search(window)
    return (window[:digit.start()] if digit else window).strip()


def _label(before: str, after: str) -> str:
    label = _LABEL_TRIM_RE.sub("", before).strip("“”\"、 ")
    if len(label) < 2 and after:
        label = _LABEL_TRIM_RE.sub("", after).strip("“”\"、 ")
    return label


def _compile(patterns: list[str], anchor: bool = False) -> re.Pattern | None:
    """One alternation per list; verbs must sit right before the figure, so they are anchored at the end."""
    if not patterns:
        return None
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(f"(?:{joined}){_LINK_WORDS}$" if anchor else joined)


def _by_unit(indicators: list[Indicator]) -> dict[str, list[Indicator]]:
    """Indicators per unit, so a figure only tries the indicators its unit allows."""
    table: dict[str, list[Indicator]] = {}
    for ind in indicators:
        for unit in ind.units:
            table.setdefault(unit, []).append(ind)
    return table


_CACHE: list[list[Indicator]] = []
_BY_UNIT_CACHE: list[dict[str, list[Indicator]]] = []
_NAMES_CACHE: list[dict[str, _UnitNames]] = []


def _default_indicators() -> list[Indicator]:
    if not _CACHE:
        _CACHE.append(load_indicators())
    return _CACHE[0]


def _default_by_unit() -> dict[str, list[Indicator]]:
    if not _BY_UNIT_CACHE:
        _BY_UNIT_CACHE.append(_by_unit(_default_indicators()))
    return _BY_UNIT_CACHE[0]


def _default_names() -> dict[str, _UnitNames]:
    """_UnitNames per unit of the default table."""
    if not _NAMES_CACHE:
        _NAMES_CACHE.append({unit: _UnitNames(around=_either([i.around for i in inds]),
                                              phrases=_either([i.phrases for i in inds]),
                                              verbs=_either([i.verbs for i in inds]))
                             for unit, inds in _default_by_unit().items()})
    return _NAMES_CACHE[0]
