"""Fixtures for parser tests: Pages built from plain text, and the seed report (a real published page)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fzzf.parsers.records import Report
from fzzf.parsers.report import parse_report
from fzzf.scrapers.records import Page

# The real seed report's text, copied into the repo from shared/seed so the tests run on any clone.
SEED_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "000_461943bee37e8ec1.txt"
SEED_TITLE = "高新区2023年法治政府建设年度报告"


def _page(text: str, *, title: str | None = None, published: date | None = None, chrome: str = "",
          site_id_code: str | None = None, site_name: str | None = None,
          url: str = "http://www.example-fict.gov.cn/art/2024/3/1/art_1_1.html") -> Page:
    return Page(url=url, title=title, published=published, published_from="test" if published else None,
                body=text, chrome=chrome, site_id_code=site_id_code, site_name=site_name)


@pytest.fixture
def make_page():
    """Factory: a Page as extraction hands it over, built from plain text."""
    return _page


@pytest.fixture(scope="session")
def seed_page() -> Page:
    """The seed report as extraction hands it over: breadcrumb/byline and footer are chrome.

    Built from the plain-text seed in tests/fixtures/seed/.
    """
    lines = SEED_TEXT.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("2023年,"))
    end = next(i for i, line in enumerate(lines) if line.startswith("主办单位"))
    body = "\n".join(line for line in lines[start:end] if line.strip())
    chrome = "\n".join(lines[:start] + lines[end:])
    return _page(body, title=SEED_TITLE, published=date(2024, 2, 22), chrome=chrome,
                 site_id_code="4206000055")


@pytest.fixture(scope="session")
def seed_report(seed_page: Page) -> Report:
    """The seed page parsed once for all seed tests."""
    return parse_report(seed_page)
