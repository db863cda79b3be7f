"""Internal-consistency checks over a report's figures: rates against their parts, conflicting repeats."""
from __future__ import annotations

from fzzf.parsers.indicators import rate_parts
from fzzf.parsers.records import Check, Metric

# A rate written as a whole number is rounded to 1 point; one with decimals to 0.1 (plus float slack).
_WHOLE_TOLERANCE = 1.0
_DECIMAL_TOLERANCE = 0.15
# How far back (in figures) a rate's part and whole may stand.
_LOOKBACK = 4


def consistency_checks(metrics: list[Metric], ratios: dict[str, tuple[str, str]] | None = None) -> list[Check]:
    """Rate mismatches (化解率 beside 化解/排查 counts) and one figure restated with another value."""
    ratios = ratios if ratios is not None else rate_parts()
    return _rate_checks(metrics, ratios) + _conflict_checks(metrics)


def _rate_checks(metrics: list[Metric], ratios: dict[str, tuple[str, str]]) -> list[Check]:
    checks = []
    for i, rate in enumerate(metrics):
        if rate.unit != "%" or rate.qualifier is not None:
            continue
        found = _parts_before(metrics, i, ratios)
        if found is None:
            continue
        part, whole = found
        expected = 100.0 * part.value / whole.value
        tolerance = _WHOLE_TOLERANCE if float(rate.value).is_integer() else _DECIMAL_TOLERANCE
        if abs(expected - rate.value) > tolerance:
            checks.append(Check(
                kind="rate_mismatch",
                detail=f"{rate.label or rate.indicator} {rate.value:g}% but {part.value:g}/{whole.value:g} = "
                       f"{expected:.1f}%",
                section=rate.section,
            ))
    return checks


def _parts_before(metrics: list[Metric], index: int, ratios: dict[str, tuple[str, str]]) -> tuple | None:
    """(part, whole) a rate is computed from, or None when the text does not show both."""
    rate = metrics[index]
    window = [m for m in metrics[max(0, index - _LOOKBACK):index]
              if m.section == rate.section and m.qualifier is None and m.unit != "%"]
    if rate.indicator in ratios:
        part_key, whole_key = ratios[rate.indicator]
        part = next((m for m in reversed(window) if m.indicator == part_key), None)
        whole = next((m for m in reversed(window) if m.indicator == whole_key), None)
    else:
        # 「排查1845起,调处1833起,调处率99%」: the part is the bare verb the rate names, the whole stands before it.
        stem = rate.label.removesuffix("率")
        same = [m for m in window if m.sentence == rate.sentence]
        part = same[-1] if same and stem and same[-1].label == stem else None
        whole = same[-2] if part and len(same) >= 2 else None
    if part is None or whole is None or part.unit != whole.unit or whole.value <= 0 or part.value > whole.value:
        return None
    return part, whole


def _conflict_checks(metrics: list[Metric]) -> list[Check]:
    """The same indicator and noun phrase stated in different sentences with different values."""
    seen: dict[tuple[str, str], list[Metric]] = {}
    for metric in metrics:
        if metric.indicator and metric.qualifier is None:
            seen.setdefault((metric.indicator, metric.label), []).append(metric)
    checks = []
    for (key, _), found in seen.items():
        if len({m.value for m in found}) > 1 and len({m.sentence for m in found}) > 1:
            checks.append(Check(
                kind="conflicting_values",
                detail=f"{key}: " + ", ".join(f"{m.raw} ({m.section or '-'})" for m in found),
                section=found[0].section,
            ))
    return checks
