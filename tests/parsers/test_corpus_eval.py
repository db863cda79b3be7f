"""The labelled pages (tests/corpus/ and the held-out tests/holdout/): figure precision/recall ≥ 0.95,
indicator accuracy ≥ 0.90, on each set."""
from __future__ import annotations

import pytest

from fzzf.parsers.report import parse_page
from fzzf.parsers.records import Metric
from fzzf.parsers.scoring import CORPUS_DIR, align, corpus_pages, score_page, totals

LABELLED_SETS = {"corpus": CORPUS_DIR, "holdout": CORPUS_DIR.parent / "holdout"}


@pytest.fixture(scope="module", params=sorted(LABELLED_SETS))
def scores(request):
    pages = corpus_pages(LABELLED_SETS[request.param])
    assert pages, f"no labelled pages in {LABELLED_SETS[request.param]}"
    return [score_page(html.stem, parse_page(html.read_bytes(), labels["url"]), labels) for html, labels in pages]


def test_corpus_has_at_least_twelve_pages():
    assert len(corpus_pages(CORPUS_DIR)) >= 12


def test_figure_precision(scores):
    assert totals(scores).precision >= 0.95


def test_figure_recall(scores):
    assert totals(scores).recall >= 0.95


def test_indicator_accuracy(scores):
    assert totals(scores).indicator_accuracy >= 0.90


def test_metadata_accuracy(scores):
    assert totals(scores).metadata_accuracy >= 0.95


def test_required_parts(scores):
    assert totals(scores).parts_accuracy >= 0.90


def test_flags(scores):
    assert totals(scores).flags_accuracy >= 0.90


def _metric(value: float, unit: str = "件", qualifier: str | None = None) -> Metric:
    return Metric(indicator=None, label="", value=value, unit=unit, approx=False, raw="", section=None,
                  qualifier=qualifier)


def test_align_is_one_to_one_and_ordered():
    gold = [{"value": 5, "unit": "件", "qualifier": None}, {"value": 7, "unit": "件", "qualifier": None},
            {"value": 5, "unit": "件", "qualifier": None}]
    assert align([_metric(7), _metric(5)], gold) == [(0, 1), (1, 2)]


def test_align_requires_unit_and_qualifier():
    gold = [{"value": 12.5, "unit": "%", "qualifier": "change"}]
    assert align([_metric(12.5, "%"), _metric(12.5, "件", "change")], gold) == []
