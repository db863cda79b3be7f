"""Closed vocabularies of fzzf, each defined once: site outcomes, fetch errors, document kinds, parts, levels,
unit kinds, figure scopes, publication audit statuses.

A leaf module (imports nothing of fzzf) so every layer can use it. The warehouse's `ref_*` tables and the
vocabulary column comments are generated from these enums; tests/meta/test_vocab.py checks every other use.
Indicators are defined once in parsers/indicators.toml, units once in parsers/units.toml, the wording of
scopes in parsers/scopes.toml; the default database and export paths once in fzzf.warehouse.db, the run-id
format once in fzzf.flows.run_id.
"""
from __future__ import annotations

from enum import StrEnum


class SiteStatus(StrEnum):
    """Typed outcome of one site's nightly crawl."""

    OK = "ok"
    ROBOTS_DENIED = "robots_denied"
    TLS_ERROR = "tls_error"
    WAF_CHALLENGE = "waf_challenge"
    NOT_FOUND = "not_found"
    TIMEOUT = "timeout"
    REDESIGN_SUSPECTED = "redesign_suspected"
    UNREACHABLE = "unreachable"
    ERROR = "error"


class FetchError(StrEnum):
    """Typed reason a single fetch did not yield a usable body (the `fetches.error` column)."""

    ROBOTS_DENIED = "robots_denied"
    HOST_NOT_ALLOWED = "host_not_allowed"
    OFF_SITE_REDIRECT = "off_site_redirect"
    TLS_ERROR = "tls_error"
    TIMEOUT = "timeout"
    CONNECTION_ERROR = "connection_error"
    TOO_LARGE = "too_large"
    HTTP_ERROR = "http_error"
    WAF_CHALLENGE = "waf_challenge"


class DocKind(StrEnum):
    """Kind of document the title classifier assigns; only ANNUAL_REPORT is a report."""

    ANNUAL_REPORT = "annual_report"
    TEMPLATE = "template"
    INTERPRETATION = "interpretation"
    DISCLOSURE_REPORT = "disclosure_report"
    SHUFA_REPORT = "shufa_report"
    EVALUATION = "evaluation"
    ASSESSMENT_RESULT = "assessment_result"
    WORK_PLAN = "work_plan"
    IMPLEMENTATION_PLAN = "implementation_plan"
    NOTICE = "notice"
    UNRELATED = "unrelated"


DOC_KIND_DESCRIPTIONS: dict[DocKind, str] = {
    DocKind.ANNUAL_REPORT: "法治政府建设年度报告 / the annual rule-of-law government report",
    DocKind.TEMPLATE: "范文或模板 / writing template or sample text",
    DocKind.INTERPRETATION: "解读或图解 / interpretation or graphic of a report",
    DocKind.DISCLOSURE_REPORT: "政府信息公开工作年度报告 / government information disclosure report",
    DocKind.SHUFA_REPORT: "述法述职报告 / 述法 or 述职 report by an official",
    DocKind.EVALUATION: "第三方评估 / third-party evaluation or ranking",
    DocKind.ASSESSMENT_RESULT: "考核结果 / assessment or inspection result",
    DocKind.WORK_PLAN: "工作要点 / work plan for the year ahead",
    DocKind.IMPLEMENTATION_PLAN: "实施方案 / implementation plan, outline or opinion",
    DocKind.NOTICE: "通知公告 / notice or circular about reports",
    DocKind.UNRELATED: "无关 / not about rule-of-law reports",
}


class Part(StrEnum):
    """The five required contents of 厅字〔2019〕28号 Art. 24, as canonical part keys."""

    MEASURES = "measures"
    PROBLEMS = "problems"
    LEADERSHIP_DUTY = "leadership_duty"
    PLANS = "plans"
    OTHER = "other"


# The four a report must have; "other" is optional.
REQUIRED_PARTS = (Part.MEASURES, Part.PROBLEMS, Part.LEADERSHIP_DUTY, Part.PLANS)


class AuditStatus(StrEnum):
    """Publication audit outcome of one government and year (mart_publication_audit.audit_status)."""

    ON_TIME = "on_time"
    LATE = "late"
    FOUND_UNDATED = "found_undated"
    MISSING = "missing"
    NOT_YET_DUE = "not_yet_due"
    UNKNOWN = "unknown"


class Level(StrEnum):
    """Government level of a registered site."""

    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"
    COUNTY = "county"
    DEPARTMENT = "department"


class UnitKind(StrEnum):
    """What a figure's unit measures (the `ref_units.unit_kind` column)."""

    COUNT = "count"
    MONEY = "money"
    FOREIGN_MONEY = "foreign_money"  # 美元 and other currencies: their own unit, never summed with 元
    PERCENT = "percent"
    PERCENTAGE_POINTS = "percentage_points"
    PHYSICAL = "physical"


class Scope(StrEnum):
    """The time a figure covers when it is not the year reported on (null `metrics.scope`)."""

    CUMULATIVE = "cumulative"  # since a start: 自…以来, 累计
    MULTI_YEAR = "multi_year"  # several years: 近三年, 五年来
    AS_OF = "as_of"  # a stock at a date: 截至目前
    PER_PERIOD = "per_period"  # each period of a cadence: 每两月1次 (a rule, not work done)


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The plain string values of an enum, in definition order."""
    return tuple(member.value for member in enum)
