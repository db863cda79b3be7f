"""Bulk loads: idempotency, versions on changed bytes, validators for conditional GETs."""
from __future__ import annotations

from datetime import date, timedelta

from fzzf.warehouse import db, load, marts

TABLES = ("fetches", "raw_pages", "links", "reports", "report_texts", "metrics", "report_parts", "report_items",
          "run_sites", "sites", "runs")


def counts(db_path) -> dict[str, int]:
    con = db.connect_work(db_path)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}
    finally:
        con.close()


def later(synth, days: int):
    """A fetch time `days` after the first run's."""
    return synth.T0 + timedelta(days=days)


def pages(synth, year_bodies: dict[int, str], fetched_at=None) -> list:
    return [synth.PageSpec(f"http://s.example.test/{y}.html", y, text, date(y + 1, 3, 1),
                     [("disputes_screened", 10.0 * y, "件"), (None, 3, "次")], problems=["执法不规范"],
                     fetched_at=fetched_at or synth.T0) for y, text in year_bodies.items()]


SITE_ID = "s"


def test_second_load_of_the_same_pages_adds_nothing(db_path, synth):
    site = synth.make_site(SITE_ID, "示例区")
    first = synth.load_all(db_path, [(site, pages(synth, {2022: synth.body("x"), 2023: synth.body("y")}))])
    before = counts(db_path)
    second = synth.load_all(db_path, [(site, pages(synth, {2022: synth.body("x"), 2023: synth.body("y")}))])
    assert first[0].report_versions == 2 and first[0].metrics == 4 and first[0].items == 2
    assert second[0] == load.LoadStats()
    assert counts(db_path) == before
    assert before["reports"] == 2 and before["metrics"] == 4 and before["raw_pages"] == 2


def test_changed_bytes_make_a_new_current_version_and_keep_the_old(db_path, synth):
    site = synth.make_site(SITE_ID, "示例区")
    synth.load_all(db_path, [(site, pages(synth, {2023: synth.body("old")}))])
    stats = synth.load_all(db_path, [(site, pages(synth, {2023: synth.body("new")}, later(synth, 1)))], run_id="run-2")
    assert stats[0].report_versions == 1
    con = db.connect_work(db_path)
    try:
        got = con.execute("select version_no, is_current, run_id from reports order by version_no").fetchall()
        assert got == [(1, False, synth.RUN), (2, True, "run-2")]
        assert con.execute("select count(*) from metrics").fetchall() == [(4,)]
        assert con.execute("select count(*) from stg_reports where is_chosen").fetchall() == [(1,)]
    finally:
        con.close()


def test_a_page_reverting_to_old_bytes_makes_the_old_version_current_again(db_path, synth):
    site = synth.make_site(SITE_ID, "示例区")
    synth.load_all(db_path, [(site, pages(synth, {2023: synth.body("old")}))])
    synth.load_all(db_path, [(site, pages(synth, {2023: synth.body("new")}, later(synth, 1)))], run_id="run-2")
    stats = synth.load_all(db_path, [(site, pages(synth, {2023: synth.body("old")}, later(synth, 2)))], run_id="run-3")
    assert stats[0].report_versions == 0
    con = db.connect_work(db_path)
    try:
        got = con.execute("select version_no, is_current from reports order by version_no").fetchall()
        assert got == [(1, True), (2, False)]
    finally:
        con.close()


def test_same_bytes_at_two_urls_are_archived_once(db_path, synth):
    site = synth.make_site(SITE_ID, "示例区")
    text = synth.body("shared")
    specs = [synth.PageSpec(f"http://s.example.test/{name}.html", 2023, text) for name in ("a", "b")]
    stats = synth.load_all(db_path, [(site, specs)])
    assert stats[0].raw_pages == 1 and stats[0].report_versions == 2


def test_lookalike_links_are_kept_with_their_kind(db_path, synth):
    site = synth.make_site(SITE_ID, "示例区")
    con = db.connect_work(db_path)
    try:
        load.start_run(con, synth.RUN, synth.T0, "r.toml", [site])
        lookalikes = ("示例区2023年政府信息公开工作年度报告",)
        crawl, parsed = synth.make_crawl(site, pages(synth, {2023: synth.body("z")}), lookalikes=lookalikes)
        load.load_site(con, site, crawl, parsed, synth.RUN)
        got = con.execute("select is_report, kind from links order by is_report").fetchall()
        assert got == [(False, "disclosure_report"), (True, "annual_report")]
        assert con.execute("select status, reports_found, lookalikes_skipped, pages_parsed from run_sites"
                           ).fetchall() == [("ok", 1, 1, 1)]
    finally:
        con.close()


def test_metric_rows_keep_value_unit_and_provenance(db_path, synth):
    site = synth.make_site(SITE_ID, "示例区")
    synth.load_all(db_path, [(site, pages(synth, {2023: synth.body("m")}))])
    con = db.connect_work(db_path)
    try:
        got = con.execute("select metric_no, indicator, value, unit, approx, raw, section from metrics "
                          "order by metric_no").fetchall()
        assert got == [(1, "disputes_screened", 20230.0, "件", False, "20230件", "一"),
                       (2, None, 3.0, "次", False, "3次", "一")]
    finally:
        con.close()


def test_known_pages_give_validators_of_the_current_version(db_path, synth):
    site = synth.make_site(SITE_ID, "示例区")
    synth.load_all(db_path, [(site, pages(synth, {2023: synth.body("old")}))])
    synth.load_all(db_path, [(site, pages(synth, {2023: synth.body("new")}, later(synth, 1)))], run_id="run-2")
    con = db.connect_work(db_path)
    try:
        known = load.known_pages(con, "s")
        current_sha = con.execute("select sha256 from reports where is_current").fetchall()[0][0]
    finally:
        con.close()
    page = known["http://s.example.test/2023.html"]
    assert page.sha256 == current_sha
    assert page.etag == f'"{current_sha[:8]}"'
    assert page.fetched_at == later(synth, 1)
    assert list(known) == ["http://s.example.test/2023.html"]


def test_runs_record_start_and_finish(db_path, synth):
    site = synth.make_site(SITE_ID, "示例区")
    synth.load_all(db_path, [(site, pages(synth, {2023: synth.body("r")}))])
    con = db.connect_work(db_path)
    try:
        assert con.execute("select run_id, started_at, finished_at, sites_n from runs").fetchall() == [
            (synth.RUN, synth.T0, synth.T0 + timedelta(hours=1), 1)]
    finally:
        con.close()


def test_shingles_are_computed_once_per_report_version(db_path, synth):
    site = synth.make_site(SITE_ID, "示例区")
    synth.load_all(db_path, [(site, pages(synth, {2022: synth.body("x"), 2023: synth.body("y")}))])
    con = db.connect_work(db_path)
    try:
        first = con.execute("select report_id, count(*) from report_shingles group by all order by all").fetchall()
        con.execute("delete from report_texts")  # a rebuild must not need the texts of shingled versions again
        marts.build_marts(con)
        again = con.execute("select report_id, count(*) from report_shingles group by all order by all").fetchall()
        assert len(first) == 2 and first == again
        assert con.execute("select count(*) from stg_text_shingles").fetchall() == [(sum(n for _, n in first),)]
    finally:
        con.close()
