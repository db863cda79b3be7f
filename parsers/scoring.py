"""Score parsed reports against the hand labels of `tests/corpus/` (figure precision/recall, indicators, scopes,
metadata)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from fzzf.parsers.records import Metric, Report

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus"
META_FIELDS = ("title", "year", "published", "district")
_REL_TOLERANCE = 1e-6


@dataclass
class PageScore:
    """One page's counts: figures predicted, labelled and matched, indicator and metadata hits."""

    page: str
    predicted: int
    labelled: int
    matched: int
    indicator_hits: int
    meta_hits: int
    scope_hits: int = 0
    meta_total: int = len(META_FIELDS)
    parts_ok: bool = True
    flags_ok: bool = True
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    @property
    def indicator_accuracy(self) -> float:
        return self.indicator_hits / self.matched if self.matched else 1.0

    @property
    def scope_accuracy(self) -> float:
        return self.scope_hits / self.matched if self.matched else 1.0


@dataclass
class Totals:
    """Micro-averaged scores over all pages."""

    precision: float
    recall: float
    indicator_accuracy: float
    metadata_accuracy: float
    parts_accuracy: float
    flags_accuracy: float
    scope_accuracy: float = 1.0


def corpus_pages(corpus: Path = CORPUS_DIR) -> list[tuple[Path, dict]]:
    """(html path, labels) for every labelled page of the corpus, sorted by name."""
    pages = []
    for label_path in sorted(corpus.glob("*.json")):
        html = label_path.with_suffix(".html")
        if html.exists():
            pages.append((html, json.loads(label_path.read_text(encoding="utf-8"))))
    return pages


def score_page(name: str, report: Report, labels: dict) -> PageScore:
    """Match predicted figures to labels one-to-one in order of appearance, then count the hits."""
    pairs = align(report.metrics, labels["metrics"])
    matched_pred = {p for p, _ in pairs}
    matched_gold = {g for _, g in pairs}
    hits = sum(1 for p, g in pairs if report.metrics[p].indicator == labels["metrics"][g]["indicator"])
    # A label without `scope` is a figure of the year reported on.
    scope_hits = sum(1 for p, g in pairs if report.metrics[p].scope == labels["metrics"][g].get("scope"))
    misses = [f"extra {m.raw!r} {m.value:g}{m.unit} q={m.qualifier}" for i, m in enumerate(report.metrics)
              if i not in matched_pred]
    misses += [f"missed {g['raw']!r} {g['value']:g}{g['unit']} q={g['qualifier']}"
               for i, g in enumerate(labels["metrics"]) if i not in matched_gold]
    misses += [f"indicator {report.metrics[p].raw!r}: got {report.metrics[p].indicator} want "
               f"{labels['metrics'][g]['indicator']} (label {report.metrics[p].label!r})"
               for p, g in pairs if report.metrics[p].indicator != labels["metrics"][g]["indicator"]]
    misses += [f"scope {report.metrics[p].raw!r}: got {report.metrics[p].scope} want {labels['metrics'][g].get('scope')}"
               for p, g in pairs if report.metrics[p].scope != labels["metrics"][g].get("scope")]
    got = report.to_json()
    wrong_meta = [k for k in META_FIELDS if got[k] != labels[k]]
    notes = [f"{k}: got {got[k]!r} want {labels[k]!r}" for k in wrong_meta]
    # Parts are compared as sets: the label lists them in a fixed order, not page order.
    parts_ok = set(report.parts) == set(labels.get("parts", []))
    flags_ok = sorted(report.flags) == sorted(labels.get("flags", []))
    if not parts_ok:
        notes.append(f"parts: got {report.parts} want {labels.get('parts')}")
    if not flags_ok:
        notes.append(f"flags: got {report.flags} want {labels.get('flags')}")
    return PageScore(page=name, predicted=len(report.metrics), labelled=len(labels["metrics"]),
                     matched=len(pairs), indicator_hits=hits, meta_hits=len(META_FIELDS) - len(wrong_meta),
                     scope_hits=scope_hits,
                     parts_ok=parts_ok, flags_ok=flags_ok, misses=notes + misses)


def totals(scores: list[PageScore]) -> Totals:
    """Overall scores, summing counts over pages."""
    predicted = sum(s.predicted for s in scores)
    labelled = sum(s.labelled for s in scores)
    matched = sum(s.matched for s in scores)
    return Totals(
        precision=matched / predicted if predicted else 1.0,
        recall=matched / labelled if labelled else 1.0,
        indicator_accuracy=sum(s.indicator_hits for s in scores) / matched if matched else 1.0,
        metadata_accuracy=sum(s.meta_hits for s in scores) / sum(s.meta_total for s in scores) if scores else 1.0,
        parts_accuracy=sum(s.parts_ok for s in scores) / len(scores) if scores else 1.0,
        flags_accuracy=sum(s.flags_ok for s in scores) / len(scores) if scores else 1.0,
        scope_accuracy=sum(s.scope_hits for s in scores) / matched if matched else 1.0,
    )


def align(predicted: list[Metric], gold: list[dict]) -> list[tuple[int, int]]:
    """Longest order-preserving one-to-one matching on (value, unit, qualifier)."""
    n, m = len(predicted), len(gold)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if _same(predicted[i], gold[j]):
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if _same(predicted[i], gold[j]) and table[i][j] == table[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _same(metric: Metric, label: dict) -> bool:
    value = float(label["value"])
    close = abs(metric.value - value) <= _REL_TOLERANCE * max(1.0, abs(value))
    return close and metric.unit == label["unit"] and metric.qualifier == label["qualifier"]
