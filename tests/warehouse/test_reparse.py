"""Re-parse support: reading archived versions back, and replacing their parsed facts in one transaction."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

import duckdb
import pytest

from fzzf.parsers.records import Check, Metric, Report
from fzzf.scrapers.records import Attachment, CrawledPage, FetchResult
from fzzf.warehouse import db, load, marts, reparse

IDENTITY = "select report_id, url, sha256, version_no, is_current, run_id, fetched_at from reports order by report_id"
FACT_COUNTS = ("metrics", "sections", "report_parts", "documents", "report_items", "report_flags", "report_checks",
               "report_texts", "attachments")


@pytest.fixture
def known_work(db_path, synth):
    """The known dataset in a fresh working file (writable), with its connection."""
    synth.load_all(db_path, synth.known_batches())
    con = db.connect_work(db_path)
    yield con
    con.close()


def _reparsed(version: reparse.ArchivedVersion, report: Report) -> tuple[str, CrawledPage, Report]:
    return version.report_id, CrawledPage(version.link, version.fetch, version.stored), report


def _report(version: reparse.ArchivedVersion, **changes) -> Report:
    """A parse result for an archived version: new figures, title and items unless told otherwise."""
    base = Report(url=version.stored.url, title="新标题", district=version.site.name, admin_code=None, year=2023,
                  published=date(2024, 3, 30), source=version.site.name, kind="annual_report",
                  metrics=[Metric("disputes_screened", "排查矛盾纠纷", 4321, "件", False, "4321件", "一")],
                  parts=["measures", "plans"], problems=["新问题"], plans=["新计划"], flags=["spam_injection"],
                  checks=[Check("rate_mismatch", "90% ≠ 110/120")])
    return replace(base, **changes)


def _counts(con: duckdb.DuckDBPyConnection, report_id: str) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {t} where report_id = ?", [report_id]).fetchall()[0][0]
            for t in FACT_COUNTS}


def test_archived_versions_give_the_bytes_site_and_link_of_every_version(known_work, synth):
    versions = list(reparse.archived_versions(known_work))
    assert len(versions) == 9
    a2022 = next(v for v in versions if v.stored.url == "http://a.example.test/2022.html")
    html = f"<html><body>{synth.known_batches()[0][1][1].body}</body></html>".encode()
    assert a2022.fetch.body == html and a2022.fetch.sha256 == hashlib.sha256(html).hexdigest()
    assert (a2022.fetch.url, a2022.fetch.content_type) == ("http://a.example.test/2022.html", "text/html")
    assert a2022.site == synth.known_batches()[0][0]
    assert (a2022.link.title, a2022.metrics_n) == ("甲区2022年法治政府建设年度报告", 3)
    assert (a2022.stored.body, a2022.stored.published) == (synth.known_batches()[0][1][1].body, date(2023, 4, 1))


def test_archived_versions_of_chosen_sites_only(known_work):
    assert reparse.stored_site_ids(known_work, ["b", "nope"]) == ["b"]
    assert {v.site.id for v in reparse.archived_versions(known_work, ["b", "d"])} == {"b", "d"}
    assert len(list(reparse.archived_versions(known_work, ["b", "d"]))) == 3


def test_replace_swaps_facts_and_metadata_and_keeps_version_identity(known_work):
    identity = known_work.execute(IDENTITY).fetchall()
    version = next(v for v in reparse.archived_versions(known_work, ["a"]) if v.stored.url.endswith("2023.html"))
    other = _counts(known_work, next(v.report_id for v in reparse.archived_versions(known_work, ["b"])))
    stats = reparse.replace_parsed(known_work, [_reparsed(version, _report(version))])
    assert (stats.versions, stats.metrics_before, stats.metrics_after) == (1, 2, 1)
    assert stats.figures_changed == stats.metadata_changed == [version.report_id]
    assert known_work.execute(IDENTITY).fetchall() == identity
    assert known_work.execute("select indicator, value, raw from metrics where report_id = ?",
                              [version.report_id]).fetchall() == [("disputes_screened", 4321.0, "4321件")]
    assert known_work.execute("select title, published, parts, missing_parts, flags from reports where report_id = ?",
                              [version.report_id]).fetchall() == [
        ("新标题", date(2024, 3, 30), ["measures", "plans"], ["problems", "leadership_duty"], ["spam_injection"])]
    assert known_work.execute("select item_kind, text from report_items where report_id = ? order by all",
                              [version.report_id]).fetchall() == [("plan", "新计划"), ("problem", "新问题")]
    assert _counts(known_work, version.report_id)["report_checks"] == 1
    assert _counts(known_work, next(v.report_id for v in reparse.archived_versions(known_work, ["b"]))) == other


def test_replacing_with_the_same_parse_changes_nothing(known_work):
    version = next(iter(reparse.archived_versions(known_work, ["d"])))
    stored = [(m.indicator, m.value, m.unit) for m in _stored_metrics(known_work, version.report_id)]
    report = _report(version, title=version.stored.title, published=version.stored.published, year=2023,
                     source=version.stored.source, parts=["measures", "problems", "leadership_duty", "plans"],
                     problems=[], plans=[], flags=[], checks=[],
                     metrics=_stored_metrics(known_work, version.report_id))
    stats = reparse.replace_parsed(known_work, [_reparsed(version, report)])
    assert (stats.figures_changed, stats.metrics_before, stats.metrics_after) == ([], 2, 2)
    assert [(m.indicator, m.value, m.unit) for m in _stored_metrics(known_work, version.report_id)] == stored


def _stored_metrics(con: duckdb.DuckDBPyConnection, report_id: str) -> list[Metric]:
    rows = con.execute("select indicator, label, value, unit, approx, raw, section from metrics "
                       "where report_id = ? order by metric_no", [report_id]).fetchall()
    return [Metric(*row) for row in rows]


def test_a_failing_replace_leaves_every_fact_as_it_was(known_work):
    versions = list(reparse.archived_versions(known_work, ["a"]))
    before = {v.report_id: _counts(known_work, v.report_id) for v in versions}
    identity = known_work.execute("select * from reports order by report_id").fetchall()
    broken = [Metric("disputes_screened", "排查矛盾纠纷", 1, "件", False, None, "一")]  # metrics.raw is not null
    batch = [_reparsed(versions[0], _report(versions[0])), _reparsed(versions[1], _report(versions[1], metrics=broken))]
    with pytest.raises(duckdb.ConstraintException):
        reparse.replace_parsed(known_work, batch)
    assert {v.report_id: _counts(known_work, v.report_id) for v in versions} == before
    assert known_work.execute("select * from reports order by report_id").fetchall() == identity


def test_only_stored_versions_can_be_replaced(known_work):
    version = next(iter(reparse.archived_versions(known_work, ["d"])))
    ghost = replace(version, report_id="not-a-version")
    with pytest.raises(ValueError, match="not-a-version"):
        reparse.replace_parsed(known_work, [_reparsed(version, _report(version)), _reparsed(ghost, _report(ghost))])
    assert known_work.execute("select count(*) from metrics where report_id = 'not-a-version'").fetchall() == [(0,)]
    assert _stored_metrics(known_work, version.report_id)[0].value == 300


def test_a_changed_text_is_shingled_again(known_work):
    marts.build_marts(known_work)
    versions = {v.stored.url: v for v in reparse.archived_versions(known_work, ["a"])}
    changed, same = versions["http://a.example.test/2023.html"], versions["http://a.example.test/2022.html"]
    shingles = "select count(*) from report_shingles where report_id = ?"
    kept = known_work.execute(shingles, [same.report_id]).fetchall()
    new_text = replace(changed.stored, body="全新正文。" * 50)
    reparse.replace_parsed(known_work, [
        (changed.report_id, CrawledPage(changed.link, changed.fetch, new_text), _report(changed)),
        _reparsed(same, _report(same))])
    assert known_work.execute(shingles, [changed.report_id]).fetchall() == [(0,)]
    assert known_work.execute(shingles, [same.report_id]).fetchall() == kept
    marts.build_marts(known_work)
    assert 0 < known_work.execute(shingles, [changed.report_id]).fetchall()[0][0] < kept[0][0]


def test_archived_attachment_bytes_come_with_their_version(db_path, synth):
    site = synth.make_site("s", "示例县", level="county")
    crawl, parsed = synth.make_crawl(site, [synth.PageSpec("http://s.example.test/a.html", 2023, "见附件。"),
                                            synth.PageSpec("http://s.example.test/b.html", 2023, "见附件。。")])
    docx = b"PK\x03\x04 not really a docx"
    for no, (crawled, report) in enumerate(parsed):
        url = f"http://s.example.test/files/{no}.docx"
        crawled.page.attachments.append(Attachment(url, f"{no}.docx", "docx"))
        crawled.page.body, crawled.page.body_source = f"附件正文{no}", "docx"
        parsed[no] = (crawled, replace(report, body_source="docx"))
        if no == 0:  # only the first attachment's download is in this run's fetch log
            crawl.fetches.append(FetchResult(url=url, final_url=url, status=200, fetched_at=synth.T0, body=docx,
                                             sha256=hashlib.sha256(docx).hexdigest(), size_bytes=len(docx)))
    con = db.connect_work(db_path)
    try:
        load.start_run(con, synth.RUN, synth.T0, "tests/registry.toml", [site])
        load.load_site(con, site, crawl, parsed, synth.RUN)
        got = {v.stored.url: (v.attachments, v.stored.body, v.stored.body_source)
               for v in reparse.archived_versions(con)}
    finally:
        con.close()
    assert got == {"http://s.example.test/a.html": ({"http://s.example.test/files/0.docx": docx}, "附件正文0", "docx"),
                   "http://s.example.test/b.html": ({}, "附件正文1", "docx")}
