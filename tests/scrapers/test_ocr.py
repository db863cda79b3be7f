"""Scanned reports: a PDF rendered from known text in the test is read by OCR and its figures are loaded."""
from __future__ import annotations

import difflib
from datetime import timedelta

import pytest

from fzzf.parsers.report import parse_report
from fzzf.scrapers import ocr
from fzzf.scrapers.attachments import attachment_text
from fzzf.scrapers.crawl import crawl_site
from fzzf.sites.registry import Site
from fzzf.warehouse import db, load
from tests.support.scans import SCAN_LINES, scanned_pdf

needs_ocr_extra = pytest.mark.skipif(not ocr.available(), reason="the fzzf[ocr] extra is not installed")
MIN_CHAR_ACCURACY = 0.95


def char_accuracy(expected: str, got: str) -> float:
    """Share of the expected characters (whitespace aside) that OCR returned, in order."""
    want, have = "".join(expected.split()), "".join(got.split())
    matcher = difflib.SequenceMatcher(None, want, have, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(want)


@pytest.fixture(scope="module")
def scan() -> bytes:
    return scanned_pdf()


@needs_ocr_extra
def test_scanned_pdf_is_read_by_ocr_with_95_percent_of_characters_right(scan):
    text = attachment_text(scan, "pdf")
    assert (text.source, text.pages, text.needs_ocr) == ("ocr", 1, False)
    assert char_accuracy("\n".join(SCAN_LINES), text.text) >= MIN_CHAR_ACCURACY


def test_without_the_ocr_extra_a_scan_stays_needs_ocr(scan, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    text = attachment_text(scan, "pdf")
    assert (text.source, text.needs_ocr, text.text, text.pages) == ("pdf", True, "", 1)


@needs_ocr_extra
def test_figures_of_a_scanned_attachment_land_in_the_warehouse(serve, session, scan, tmp_path):
    server = serve("generic")
    server.overrides["/files/liuchuan-2023.pdf"] = scan
    site = Site(id="s", name="s(虚构示例)", province="虚构省", level="district",
                start_urls=(server.base_url + "/news/list.html",))
    crawl = crawl_site(site, session, {}, revalidate_after=timedelta(days=7))
    (crawled,) = [c for c in crawl.pages if c.page.body_source == "ocr"]
    assert crawled.page.body_pages == 1
    report = parse_report(crawled.page, site)
    con = db.connect_work(tmp_path / "w.duckdb")
    try:
        load.load_site(con, site, crawl, [(crawled, report)], "run-1")
        row = con.execute("select body_source, body_pages from reports").fetchone()
        values = {v for (v,) in con.execute("select value from metrics").fetchall()}
    finally:
        con.close()
    assert row == ("ocr", 1)
    assert {128, 15, 2360} <= values
