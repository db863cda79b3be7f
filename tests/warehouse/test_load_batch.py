"""Batched stores: many sites in one transaction store what loading them one by one stores (fictional data)."""
from __future__ import annotations

from dataclasses import replace

import duckdb
import pyarrow as pa
import pytest

from fzzf.flows.batches import store_batch
from fzzf.parsers.records import Check, Section
from fzzf.scrapers.records import Attachment
from fzzf.warehouse import bulk, db, load
from fzzf.warehouse.rows import fact_tables

TABLES = ("sites", "run_sites", "fetches", "raw_pages", "links", "reports", "report_texts", "metrics", "sections",
          "report_parts", "documents", "report_items", "report_flags", "report_checks", "attachments")


def _dump(db_path) -> dict[str, list[tuple]]:
    con = db.connect_work(db_path)
    try:
        return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        con.close()


def _batched(db_path, synth, batches, subject: dict[str, str] | None = None) -> load.LoadStats:
    con = db.connect_work(db_path)
    try:
        load.start_run(con, synth.RUN, synth.T0, "tests/registry.toml", [site for site, _ in batches])
        return load.load_sites(con, [(site, *synth.make_crawl(site, pages, subject=(subject or {}).get(site.id)))
                                     for site, pages in batches], synth.RUN)
    finally:
        con.close()


def test_a_batch_of_sites_stores_what_loading_them_one_by_one_stores(tmp_path, synth):
    # A repost of 甲区's 2021 report, and a near-identical one (one sentence more), on a city site.
    a_2021 = synth.known_batches()[0][1][0]
    reposts = [replace(a_2021, url="http://e.example.test/1.html"),
               replace(a_2021, url="http://e.example.test/2.html", body=a_2021.body + "另有一句虚构的话。")]
    batches = [*synth.known_batches(), (synth.make_site("e", "某市"), reposts)]
    one_by_one = synth.load_all(tmp_path / "one.duckdb", batches, subject={"e": "甲区"})
    batched = _batched(tmp_path / "batch.duckdb", synth, batches, subject={"e": "甲区"})
    total = load.LoadStats()
    for stats in one_by_one:
        for name, value in vars(stats).items():
            setattr(total, name, getattr(total, name) + value)
    assert batched == total and batched.metrics > 0
    single, batch = _dump(tmp_path / "one.duckdb"), _dump(tmp_path / "batch.duckdb")
    assert single == batch
    # The reposts are decided in the batch as one by one: 甲区's own copy stays the current one.
    assert sorted(r[2] for r in batch["reports"] if not r[6]) == ["http://e.example.test/1.html",
                                                                   "http://e.example.test/2.html"]


def test_rows_prepared_in_the_parse_task_store_what_the_writer_would_build(tmp_path, synth, monkeypatch):
    batches = synth.known_batches()
    sites = {site.id: site for site, _ in batches}
    dumps = []
    for name, prepare in (("writer", False), ("prepared", True)):
        parsed = [synth.make_crawl(site, pages) for site, pages in batches]
        if prepare:
            parsed = [(crawl, load.prepared(sites[crawl.site_id], crawl, pages)) for crawl, pages in parsed]
            # The writer takes the prepared rows as they are: it builds none itself.
            monkeypatch.setattr(load, "site_rows", None)
        con = db.connect_work(tmp_path / f"{name}.duckdb")
        try:
            load.start_run(con, synth.RUN, synth.T0, "tests/registry.toml", list(sites.values()))
            store_batch(con, synth.RUN, sites, parsed)
        finally:
            con.close()
        dumps.append(_dump(tmp_path / f"{name}.duckdb"))
    assert dumps[0] == dumps[1] and dumps[0]["metrics"]


def test_a_bad_site_in_a_batch_loses_only_its_own_rows(db_path, synth):
    batches = synth.known_batches()
    con = db.connect_work(db_path)
    try:
        load.start_run(con, synth.RUN, synth.T0, "tests/registry.toml", [site for site, _ in batches])
        parsed = [synth.make_crawl(site, pages) for site, pages in batches]
        bad = parsed[1][0]
        bad.links[0] = replace(bad.links[0], url=None)  # links.url is not null: the site's load fails
        with pytest.raises(duckdb.ConstraintException):
            store_batch(con, synth.RUN, {site.id: site for site, _ in batches}, parsed)
        stored = dict(con.execute("select site_id, count(*) from reports group by site_id").fetchall())
        outcomes = {r[0] for r in con.execute("select site_id from run_sites").fetchall()}
    finally:
        con.close()
    assert stored == {"a": 3, "c": 3, "d": 1}
    assert outcomes == {"a", "c", "d"}


def test_a_failed_fact_insert_raises_its_own_error_and_restores_insertion_order(db_path, synth, monkeypatch):
    # The fact inserts run without insertion order; a failure there aborts the transaction, which then refuses
    # even a RESET: the setting comes back after the rollback, and the caller sees the insert's own error.
    site, pages = synth.known_batches()[0]
    real = load.insert_new

    def failing_on_metrics(con, table, *args, **kwargs):
        if table == "metrics":
            con.execute("insert into links (url) values (null)")  # a real constraint error: aborts the transaction
        return real(con, table, *args, **kwargs)

    monkeypatch.setattr(load, "insert_new", failing_on_metrics)
    con = db.connect_work(db_path)
    try:
        load.start_run(con, synth.RUN, synth.T0, "tests/registry.toml", [site])
        with pytest.raises(duckdb.ConstraintException):
            store_batch(con, synth.RUN, {site.id: site}, [synth.make_crawl(site, pages)])
        setting = con.execute("select current_setting('preserve_insertion_order')").fetchone()
        stored = con.execute("select count(*) from reports").fetchone()
    finally:
        con.close()
    assert setting == (True,)
    assert stored == (0,)


def test_insert_new_keeps_the_first_row_of_a_key_and_skips_stored_keys(db_path):
    schema = pa.schema([("k", pa.string()), ("v", pa.int32())])
    con = db.connect_work(db_path)
    try:
        con.execute("create table t (k varchar primary key, v integer)")
        con.execute("insert into t values ('stored', 0)")
        rows = [{"k": "x", "v": 1}, {"k": "stored", "v": 2}, {"k": "x", "v": 3}, {"k": "y", "v": 4}]
        assert bulk.insert_new(con, "t", rows, schema, ("k",)) == 2
        assert con.execute("select * from t order by k").fetchall() == [("stored", 0), ("x", 1), ("y", 4)]
        # Keys unique by construction and not stored yet: the primary key still refuses a stored one.
        with pytest.raises(duckdb.ConstraintException):
            bulk.insert_new(con, "t", [{"k": "y", "v": 5}], schema, ("k",), dedupe=False, skip_existing=False)
    finally:
        con.close()


def test_fact_tables_number_each_reports_rows_and_keep_list_values_once(synth):
    site = synth.make_site("n", "编号区")
    _, parsed = synth.make_crawl(site, [synth.PageSpec("http://n.example.test/1.html", 2023, synth.body("n"),
                                                           metrics=[("x", 1, "件"), (None, 2.5, "次")],
                                                           problems=["问题一", "问题二"])])
    page, report = parsed[0]
    report.plans = ["计划一"]
    report.parts = ["measures", "measures", "plans"]
    report.sections = [Section(path="一", level=1, number="一", heading="主要举措", part="measures", start=0, end=9)]
    report.checks = [Check("rate_mismatch", "比率不符")]
    page.page.attachments = [Attachment(url="http://user:pw@n.example.test/a.pdf", name="附件", kind="pdf")]
    tables = {name: t.to_pylist() for name, t in fact_tables([("r1", page, report), ("r2", page, report)]).items()}
    assert [(m["report_id"], m["metric_no"], m["value"]) for m in tables["metrics"]] == [
        ("r1", 1, 1.0), ("r1", 2, 2.5), ("r2", 1, 1.0), ("r2", 2, 2.5)]
    assert [(i["report_id"], i["item_kind"], i["item_no"], i["text"]) for i in tables["report_items"]][:3] == [
        ("r1", "problem", 1, "问题一"), ("r1", "problem", 2, "问题二"), ("r1", "plan", 1, "计划一")]
    assert tables["attachments"][0]["url"] == "http://n.example.test/a.pdf"
    assert tables["sections"][1] == {"report_id": "r2", "section_no": 1, "path": "一", "level": 1, "number": "一",
                                     "heading": "主要举措", "part": "measures", "start_pos": 0, "end_pos": 9}
    assert [(p["report_id"], p["part"]) for p in tables["report_parts"]] == [
        ("r1", "measures"), ("r1", "plans"), ("r2", "measures"), ("r2", "plans")]


def test_a_repeated_part_is_stored_once(db_path, synth):
    site = synth.make_site("p", "部分区")
    spec = synth.PageSpec("http://p.example.test/1.html", 2023, synth.body("p"),
                          parts=["measures", "measures", "plans"])
    stats = _batched(db_path, synth, [(site, [spec])])
    assert stats.report_versions == 1
    assert [part for _, part in _dump(db_path)["report_parts"]] == ["measures", "plans"]


def test_known_pages_of_many_sites_are_each_sites_known_pages(db_path, synth):
    batches = synth.known_batches()
    synth.load_all(db_path, batches)
    con = db.connect_work(db_path)
    try:
        ids = [site.id for site, _ in batches] + ["never-crawled"]
        many = load.known_pages_of(con, ids)
        one_by_one = {sid: load.known_pages(con, sid) for sid in ids}
    finally:
        con.close()
    assert many == {sid: pages for sid, pages in one_by_one.items() if pages}
    assert sum(map(len, many.values())) == 9 and "never-crawled" not in many
