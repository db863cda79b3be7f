"""The seed report (a real published page): metadata, parts, key figures, and the numbers that are not figures."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from fzzf.parsers.report import parse_report

SEED_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "000_461943bee37e8ec1.txt"
SEED_TITLE = "高新区2023年法治政府建设年度报告"


def _find(report, raw_value: float, unit: str):
    return [m for m in report.metrics if m.value == raw_value and m.unit == unit]


def test_title(seed_report):
    assert seed_report.title == "高新区2023年法治政府建设年度报告"


def test_year_reported_on(seed_report):
    assert seed_report.year == 2023


def test_published(seed_report):
    assert seed_report.published == date(2024, 2, 22)


def test_district_qualified_by_parent_place(seed_report):
    assert seed_report.district == "襄阳高新区"


def test_seed_admin_code_from_site_id_code(seed_report):
    assert seed_report.admin_code == "420600"


def test_kind(seed_report):
    assert seed_report.kind == "annual_report"


def test_four_required_parts(seed_report):
    assert set(seed_report.parts) == {"measures", "leadership_duty", "problems", "plans"}


def test_no_missing_parts(seed_report):
    assert seed_report.missing_parts == []


@pytest.mark.parametrize(("value", "unit", "indicator"), [
    (845, "件", "disputes_screened"),
    (769, "件", "disputes_resolved"),
    (91, "%", "dispute_resolution_rate"),
    (13750, "件", "mediation_cases"),
    (1691220, "元", "penalty_amount"),
    (6075, "件", "mediation_success"),
])
def test_key_figures_and_indicators(seed_report, value, unit, indicator):
    assert [m.indicator for m in _find(seed_report, value, unit)] == [indicator]


def test_dispute_figures_keep_their_section(seed_report):
    assert _find(seed_report, 845, "件")[0].section == "一/(八)/3"


def test_dispute_figure_keeps_its_sentence(seed_report):
    assert "化解率91%" in _find(seed_report, 845, "件")[0].sentence


def test_offsets_point_at_the_raw_text(seed_report, seed_page):
    metric = _find(seed_report, 13750, "件")[0]
    assert seed_page.body[metric.start:metric.end] == metric.raw


def test_rate_agrees_with_its_parts(seed_report):
    assert not [c for c in seed_report.checks if c.kind == "rate_mismatch"]


def _spans(text: str, pattern: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text)]


def _body_metrics_inside(report, spans):
    return [m for m in report.metrics for lo, hi in spans if lo <= m.start < hi]


def test_no_figure_from_doc_numbers(seed_report, seed_page):
    spans = _spans(seed_page.body, r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")
    assert len(spans) == 5 and not _body_metrics_inside(seed_report, spans)


def test_no_figure_from_dates(seed_report, seed_page):
    spans = _spans(seed_page.body, r"\d{4}年(\d{1,2}月(\d{1,2}日)?)?|\d{1,2}月\d{1,2}日")
    assert spans and not _body_metrics_inside(seed_report, spans)


def test_no_figure_from_set_phrases(seed_report, seed_page):
    spans = _spans(seed_page.body, "四个意识|四个自信|两个维护|三个规定|五大行动|两代表一委员|二十大")
    assert len(spans) >= 7 and not _body_metrics_inside(seed_report, spans)


def test_no_figure_from_document_titles(seed_report, seed_page):
    spans = _spans(seed_page.body, "《[^》]*》")
    assert spans and not _body_metrics_inside(seed_report, spans)


def test_no_figure_from_address_phone_or_icp(make_page):
    # Extraction sometimes leaves the footer inside the body; its numbers must still not become figures.
    footer = SEED_TEXT.read_text(encoding="utf-8").split("主办单位", 1)[1]
    report = parse_report(make_page("2023年,全区共排查矛盾纠纷845件。\n主办单位" + footer, title=SEED_TITLE))
    assert [(m.value, m.unit) for m in report.metrics] == [(845, "件")]


def test_763_work_method_is_not_a_figure(seed_report):
    assert not [m for m in seed_report.metrics if m.value == 763]


def test_per_item_list_shares_label_and_indicator(seed_report):
    items = [m for m in seed_report.metrics if m.unit == "项" and m.value in (83, 10, 42, 12)]
    assert {(m.label, m.indicator) for m in items} == {(items[0].label, "cross_province_services")}


def test_approx_figure(seed_report):
    assert [m.approx for m in _find(seed_report, 4165, "人次")] == [True]


def test_seed_lower_bound(seed_report):
    assert [m.qualifier for m in _find(seed_report, 4, "次")] == ["lower_bound"]


def test_spam_footer_flagged(seed_report):
    assert "spam_injection" in seed_report.flags


def test_doc_number_cited(seed_report):
    numbers = {d.doc_number for d in seed_report.documents}
    assert "襄高管办函〔2022〕7号" in numbers


def test_problems_listed_as_items(seed_report):
    assert len(seed_report.problems) == 3


def test_plans_listed_as_items(seed_report):
    assert len(seed_report.plans) == 4


def test_figure_count(seed_report):
    # Hand count of the seed's figures (tests/corpus/seed_xiangyang_gxq_2023.json has the list).
    assert len(seed_report.metrics) == 66


def test_to_json_contract(seed_report):
    out = seed_report.to_json()
    assert {"title", "district", "admin_code", "year", "published", "source", "kind", "metrics", "sections",
            "documents", "flags"} <= set(out) and out["published"] == "2024-02-22"
