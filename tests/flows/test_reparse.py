"""`fzzf reparse`: archived bytes parsed again offline restore the warehouse's facts, with no new versions."""
from __future__ import annotations

import io
import zipfile
from contextlib import redirect_stdout
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pytest

from fzzf.scrapers.archive import page_from_archive
from fzzf.cli import main
from fzzf.demo import DEMO_MIN_INTERVAL_S, DEMO_REGISTRY, aliases, substitutions
from fzzf.scrapers.records import DiscoveredLink, FetchResult, Page
from fzzf.sites.registry import Site
from fzzf.warehouse import db
from fzzf.warehouse.reparse import ArchivedVersion

URL = "http://x.example.test/fzzf/content_123.html"
DOCX_URL = "http://x.example.test/files/fzzf2023.docx"
# A fictional attachment-only report page (a real one keeps its report in a linked DOCX).
ATTACHMENT_PAGE = (
    "<html><head><meta name='ArticleTitle' content='虚构县2023年法治政府建设年度报告'></head><body>"
    "<div class='top'>虚构县人民政府</div><div id='zoom'><p>见附件。</p>"
    "<a href='/files/fzzf2023.docx'>虚构县2023年法治政府建设年度报告.docx</a></div></body></html>").encode()
DOCX_LINES = ["一、主要举措", "全县共排查矛盾纠纷120件,化解110件。"]
SITE = Site(id="x", name="虚构县", province="虚构省", level="county", start_urls=("http://x.example.test/",))
FACT_TABLES = ("metrics", "sections", "report_flags", "report_checks", "report_items", "documents")


def _docx(lines: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paras = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{ns}"><w:body>{paras}</w:body></w:document>')
    return out.getvalue()


def _version(body: bytes | None, attachments: dict[str, bytes] | None = None, stored_source: str = "docx",
             listed: date | None = date(2024, 3, 21)) -> ArchivedVersion:
    fetch = FetchResult(url=URL, final_url=URL, status=200, fetched_at=datetime(2025, 3, 1, tzinfo=timezone.utc),
                        content_type="text/html", body=body)
    link = DiscoveredLink(url=URL, title="列表上的标题", list_url="", is_report=True, kind="annual_report",
                          listed_date=listed)
    stored = Page(url=URL, title="存储的标题", published=date(2024, 3, 1), published_from="meta",
                  body="存储的附件正文", body_source=stored_source, flags=["needs_ocr", "spam_injection"])
    return ArchivedVersion("r1", SITE, fetch, link, stored, attachments or {})


def test_an_archived_attachment_is_read_again():
    page = _page_of(_version(ATTACHMENT_PAGE, {DOCX_URL: _docx(DOCX_LINES)}))
    assert (page.body.splitlines(), page.body_source) == (DOCX_LINES, "docx")
    assert (page.title, page.published, page.published_from) == ("虚构县2023年法治政府建设年度报告", date(2024, 3, 21),
                                                                 "list")


def test_an_attachment_not_archived_keeps_the_stored_text_with_the_page_extracted_again():
    page = _page_of(_version(ATTACHMENT_PAGE))
    assert (page.body, page.body_source, page.title) == ("存储的附件正文", "docx", "虚构县2023年法治政府建设年度报告")
    assert "needs_ocr" in page.flags and "spam_injection" not in page.flags


def test_an_attachment_the_crawl_never_read_stays_unavailable():
    page = _page_of(_version(ATTACHMENT_PAGE, stored_source="html", listed=None))
    assert "attachment_unavailable" in page.flags and page.published is None


def test_without_archived_bytes_the_stored_page_is_parsed_again():
    version = _version(None)
    assert _page_of(version) == version.stored


def test_reparse_without_a_warehouse_says_so(tmp_path, capsys):
    assert main(["reparse", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no warehouse" in capsys.readouterr().err


def test_reparse_of_an_unknown_site_says_which(tmp_path, capsys):
    db.connect_work(tmp_path / "fzzf.duckdb").close()
    assert main(["reparse", "--db", str(tmp_path / "fzzf.duckdb"), "--site", "nope", "--site", "nada"]) == 2
    assert "no stored reports for site(s): nada, nope" in capsys.readouterr().err


def _facts(db_path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        facts = {t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in FACT_TABLES}
        facts["reports"] = con.execute("select * from reports order by report_id").fetchall()
        facts["fetches"] = con.execute("select count(*) from fetches").fetchall()
        return facts
    finally:
        con.close()


@pytest.fixture(scope="module")
def tampered_then_reparsed(prefect_harness, tmp_path_factory):
    """One demo run; then, with the demo servers stopped, facts are tampered with and `fzzf reparse` runs."""
    from fzzf.flows.nightly import nightly
    from fzzf.demo import demo_servers

    tmp = tmp_path_factory.mktemp("reparse")
    db_path, export_dir = tmp / "fzzf.duckdb", tmp / "exports"
    with demo_servers() as servers:
        nightly(registry=str(DEMO_REGISTRY), db_path=str(db_path), export_dir=str(export_dir),
                substitutions=substitutions(servers), aliases=aliases(servers), min_interval_s=DEMO_MIN_INTERVAL_S)
    original = _facts(db_path)
    con = db.connect_work(db_path)
    try:
        victims = [r[0] for r in con.execute("select report_id from reports order by url limit 3").fetchall()]
        con.execute("delete from metrics where report_id = ?", [victims[0]])
        # Counts only: a rate above 100 % would (rightly) fail the data tests and never be published.
        con.execute("update metrics set value = value + 1000 where report_id = ? and unit <> '%'", [victims[1]])
        con.execute("delete from sections where report_id = ?", [victims[1]])
        con.execute("update reports set title = '篡改', year = 1999 where report_id = ?", [victims[2]])
    finally:
        con.close()
    db.publish(db_path)
    tampered = _facts(db_path)
    with redirect_stdout(io.StringIO()) as out:
        assert main(["reparse", "--db", str(db_path), "--export", str(export_dir)]) == 0
    return {"original": original, "tampered": tampered, "restored": _facts(db_path), "summary": out.getvalue()}


def test_reparse_restores_tampered_facts_from_the_archive(tampered_then_reparsed):
    runs = tampered_then_reparsed
    assert runs["tampered"] != runs["original"]
    assert runs["restored"] == runs["original"]


def test_reparse_adds_no_version_and_fetches_nothing(tampered_then_reparsed):
    runs = tampered_then_reparsed
    assert len(runs["restored"]["reports"]) == len(runs["original"]["reports"]) > 0
    assert runs["restored"]["fetches"] == runs["original"]["fetches"]


def test_reparse_summary_counts_versions_and_figures(tampered_then_reparsed):
    runs = tampered_then_reparsed
    figures = len(runs["original"]["metrics"])
    deleted = figures - len(runs["tampered"]["metrics"])
    summary = runs["summary"]
    assert f"report versions re-parsed: {len(runs['original']['reports'])} " in summary
    assert f"figures: {figures - deleted} before -> {figures} after" in summary
    assert "versions whose figures changed: 2; whose metadata changed: 1" in summary


def _page_of(version):
    return page_from_archive(version.fetch, version.link, version.attachments, version.stored)
