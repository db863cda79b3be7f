"""Internal-consistency checks over a report's figures: rates against their parts, conflicting repeats."""
from __future__ import annotations

from parsers.records import Check, Metric

# A rate written as a whole number is rounded to 1 point; one with decimals to 0.1 (plus float slack).
_WHOLE_TOLERANCE = 1.0
_DECIMAL_TOLERANCE = 0.15
_COUNT_UNITS_EXCLUDED = ("%", "百分点", "元")


def consistency_checks(metrics: list[Metric]) -> list[Check]:
    """Rate mismatches (化解率 beside 化解/排查 counts) and indicators repeated with different values."""
    return _rate_checks(metrics) + _conflict_checks(metrics)


def _rate_checks(metrics: list[Metric]) -> list[Check]:
    checks = []
    for i, rate in enumerate(metrics):
        if rate.unit != "%" or rate.qualifier is not None:
            continue
        parts = _parts_before(metrics, i)
        if parts is None:
            continue
        whole, part = parts
        expected = 100.0 * part.value / whole.value
        tolerance = _WHOLE_TOLERANCE if float(rate.value).is_integer() else _DECIMAL_TOLERANCE
        if abs(expected - rate.value) > tolerance:
            name = rate.label or rate.indicator or "rate"
            checks.append(Check(
                kind="rate_mismatch",
                detail=f"{name} {rate.value:g}% but {part.value:g}/{whole.value:g} = {expected:.1f}%",
                section=rate.section,
            ))
    return checks


def _parts_before(metrics: list[Metric], index: int) -> tuple[Metric, Metric] | None:
    """The whole and the part a rate is computed from: the two counts right before it in its sentence."""
    rate = metrics[index]
    if index < 2:
        return None
    whole, part = metrics[index - 2], metrics[index - 1]
    same_sentence = whole.sentence == part.sentence == rate.sentence and whole.start < part.start < rate.start
    comparable = (whole.unit == part.unit and whole.unit not in _COUNT_UNITS_EXCLUDED
                  and whole.qualifier is None and part.qualifier is None)
    if not (same_sentence and comparable) or whole.value <= 0 or part.value > whole.value:
        return None
    return whole, part


def _conflict_checks(metrics: list[Metric]) -> list[Check]:
    seen: dict[str, list[Metric]] = {}
    for metric in metrics:
        if metric.indicator and metric.qualifier is None:
            seen.setdefault(metric.indicator, []).append(metric)
    checks = []
    for key, found in seen.items():
        values = sorted({m.value for m in found})
        if len(values) > 1:
            checks.append(Check(
                kind="conflicting_values",
                detail=f"{key}: " + ", ".join(f"{m.raw} ({m.section or '-'})" for m in found),
                section=found[0].section,
            ))
    return checks
