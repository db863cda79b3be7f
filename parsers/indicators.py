"""Map figures to the canonical indicator keys of DESIGN.md, using the synonyms in indicators.toml."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from parsers.figures import sentence_bounds
from parsers.numbers import normalize_width
from parsers.records import Metric

INDICATORS_FILE = Path(__file__).with_name("indicators.toml")
# A clause ends at these; the noun phrase a figure quantifies lives inside its clause.
_CLAUSE_BREAK_RE = re.compile(r"[，,；;。：:！!？?\n（(）)]")
# Joiners between the items of a per-item list: 83项、10项、42项、12项政务服务事项.
_LIST_JOINER_RE = re.compile(r"^\s*(?:、|和|及|与|以及)\s*$")
# Words that open a clause but are not part of the noun phrase.
_LABEL_TRIM_RE = re.compile(r"^(?:[一二三四五六七八九十]+是|同时|其中|全年|全区|全县|全市|全镇|我区|我县|我市|我局|共计|累计|"
                            r"共|已|并|均|还|为|分别)+|(?:达到|达|为|共计|共|累计|合计|分别|计)+$")
_SUBSET_RE = re.compile(r"^其中")
_AFTER_CHARS = 16


@dataclass(frozen=True)
class Indicator:
    """One canonical indicator and the ways prose names it."""

    key: str
    name: str
    units: tuple[str, ...]
    phrases: tuple[re.Pattern, ...]
    verbs: tuple[re.Pattern, ...]
    subjects: tuple[re.Pattern, ...]
    exclude: tuple[re.Pattern, ...]
    priority: int


def load_indicators(path: Path = INDICATORS_FILE) -> list[Indicator]:
    """Read the indicator table (keys, units, synonym regexes) from TOML."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Indicator(
            key=row["key"], name=row["name"], units=tuple(row["units"]),
            phrases=_compile(row.get("phrases", [])), verbs=_compile(row.get("verbs", []), anchor=True),
            subjects=_compile(row.get("subjects", [])), exclude=_compile(row.get("exclude", [])),
            priority=int(row.get("priority", 0)),
        )
        for row in data["indicator"]
    ]


def assign_indicators(text: str, metrics: list[Metric], indicators: list[Indicator] | None = None) -> None:
    """Fill `label` and `indicator` of each figure (in place) from the words around it in `text`."""
    indicators = indicators if indicators is not None else _default_indicators()
    norm = normalize_width(text)
    previous: tuple[str, str | None] = ("", None)  # (sentence, key) of the last figure
    for group in _groups(norm, metrics):
        first, last = group[0], group[-1]
        before = _clause_before(norm, first, metrics)
        after = _clause_after(norm, last)
        label = _label(before, after)
        if len(label) < 2:
            # 「梳理公布区级行政许可事项清单,共203项」: the noun sits in the clause before.
            before = _previous_clause(norm, first, metrics) + before
            label = _label(before, after) or label
        if before.endswith("对"):
            after = ""  # 「对46项…事项实行告知承诺」: the figure is what a measure targets, not a stock
        key = None
        if first.qualifier != "change":
            key = _best(indicators, first.unit, before, after, _paragraph_before(norm, first.start))
        sentence = sentence_bounds(norm, first.start, first.end)
        if _SUBSET_RE.match(before) and previous == (sentence, key):
            key = None  # 「其中…59条」 after 「73条」: a subset of the same indicator would double count
        previous = (sentence, key) if key or not _SUBSET_RE.match(before) else previous
        for metric in group:
            metric.label = label
            metric.indicator = key


def _best(indicators: list[Indicator], unit: str, before: str, after: str, context: str) -> str | None:
    best: tuple | None = None
    for ind in indicators:
        if unit not in ind.units or any(p.search(before) for p in ind.exclude):
            continue
        score = _score(ind, before, after, context)
        if score is not None and (best is None or score > best[0]):
            best = (score, ind.key)
    return best[1] if best else None


def _score(ind: Indicator, before: str, after: str, context: str) -> tuple | None:
    """(priority, direct?, -distance) of the nearest way `ind` names this figure, or None."""
    candidates = []
    for pattern in ind.phrases:
        for m in pattern.finditer(before):
            candidates.append((ind.priority, 1, m.start() - len(before)))
        m = pattern.search(after)
        if m:
            candidates.append((ind.priority, 1, -m.start()))
    if any(p.search(before) for p in ind.verbs):
        ends = [m.end() for p in ind.subjects for m in p.finditer(context)]
        if ends:
            candidates.append((ind.priority, 0, max(ends) - len(context)))
    return max(candidates) if candidates else None


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


def _clause_before(norm: str, metric: Metric, metrics: list[Metric]) -> str:
    start = metric.start
    prev_ends = [m.end for m in metrics if m.end <= start]
    left = max(prev_ends) if prev_ends else 0
    breaks = [m.end() for m in _CLAUSE_BREAK_RE.finditer(norm, left, start)]
    left = breaks[-1] if breaks else left
    return norm[left:start].strip()


def _previous_clause(norm: str, metric: Metric, metrics: list[Metric]) -> str:
    breaks = [m.start() for m in _CLAUSE_BREAK_RE.finditer(norm, 0, metric.start)]
    if not breaks:
        return ""
    probe = Metric(indicator=None, label="", value=0, unit="", approx=False, raw="", section=None,
                   start=breaks[-1], end=breaks[-1])
    return _clause_before(norm, probe, metrics) + norm[breaks[-1]]


def _paragraph_before(norm: str, start: int) -> str:
    """The paragraph up to the figure: where an elided subject (受理…件 after 复议申请) is found."""
    return norm[norm.rfind("\n", 0, start) + 1:start]


def _clause_after(norm: str, metric: Metric) -> str:
    window = norm[metric.end:metric.end + _AFTER_CHARS]
    cut = _CLAUSE_BREAK_RE.search(window)
    window = window[:cut.start()] if cut else window
    digit = re.search(r"\d", window)
    return (window[:digit.start()] if digit else window).strip()


def _label(before: str, after: str) -> str:
    label = _LABEL_TRIM_RE.sub("", before).strip("“”\"、 ")
    if len(label) < 2 and after:
        label = _LABEL_TRIM_RE.sub("", after).strip("“”\"、 ")
    return label


def _compile(patterns: list[str], anchor: bool = False) -> tuple[re.Pattern, ...]:
    # Verbs must sit right before the figure ("化解769件"), so they are anchored at the clause end.
    return tuple(re.compile(f"(?:{p})$" if anchor else p) for p in patterns)


_CACHE: list[list[Indicator]] = []


def _default_indicators() -> list[Indicator]:
    if not _CACHE:
        _CACHE.append(load_indicators())
    return _CACHE[0]
