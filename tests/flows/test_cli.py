"""The `fzzf` command line: documented commands, the parse contract, clear errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fzzf.cli import build_parser, main

SEED_PAGE = Path(__file__).resolve().parents[1] / "corpus" / "seed_xiangyang_gxq_2023.html"

CONTRACT_KEYS = {"title", "district", "admin_code", "year", "published", "source", "kind", "metrics", "sections",
                 "documents", "flags"}
METRIC_KEYS = {"indicator", "label", "value", "unit", "approx", "raw", "section"}


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return action.choices


def test_contract_commands_exist():
    assert {"demo", "run", "serve", "parse", "compare"} <= set(_subcommands())


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_is_documented(name):
    sub = _subcommands()[name]
    assert sub.description and len(sub.description) > 40, f"{name} has no real description"
    for action in sub._actions:
        if action.dest != "help":
            assert action.help, f"fzzf {name}: option {action.option_strings or action.dest} has no help"


def test_console_script_help_runs():
    out = subprocess.run([sys.executable, "-m", "fzzf", "--help"], capture_output=True, text=True, check=True)
    assert "法治政府建设年度报告" in out.stdout and "demo" in out.stdout


def test_parse_json_contract(capsys):
    labels = json.loads((SEED_PAGE.with_suffix(".json")).read_text(encoding="utf-8"))
    assert main(["parse", str(SEED_PAGE), "--url", labels["url"], "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert CONTRACT_KEYS <= set(doc)
    assert (doc["year"], doc["published"]) == (2023, "2024-02-22")
    assert doc["metrics"] and METRIC_KEYS <= set(doc["metrics"][0])
    assert "spam_injection" in doc["flags"]


def test_parse_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "nope.html"), "--url", "http://example.gov.cn/a.html"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_run_with_a_broken_registry_says_why(tmp_path, capsys):
    bad = tmp_path / "registry.toml"
    bad.write_text('[[site]]\nid = "x"\nname = "X"\nprovince = "P"\nlevel = "village"\nstart_urls = ["http://x.gov.cn/"]\n',
                   encoding="utf-8")
    assert main(["run", "--registry", str(bad), "--db", str(tmp_path / "db.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "level 'village'" in err and "district" in err


def test_real_registry_is_valid(capsys):
    assert main(["sites"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 20


def test_sites_add_derives_and_appends_a_valid_entry(tmp_path, capsys):
    registry = tmp_path / "registry.toml"
    registry.write_text('[[site]]\nid = "a"\nname = "A"\nprovince = "北京市"\nlevel = "district"\n'
                        'start_urls = ["http://a.gov.cn/"]\n', encoding="utf-8")
    url = "https://www.beijing.gov.cn/gongkai/fzzfjsbg/qzf/xcq/202503/t20250319_4038803.html"
    assert main(["sites", "--registry", str(registry), "--add", url, "--name", "北京市西城区人民政府",
                 "--area", "西城区", "--write"]) == 0
    out = capsys.readouterr().out
    assert 'admin_code = "110102"' in out and 'start_urls = ["https://www.beijing.gov.cn/gongkai/fzzfjsbg/qzf/xcq/"]' in out
    assert main(["sites", "--registry", str(registry)]) == 0
    listing = capsys.readouterr().out
    assert "110102" in listing and url in listing and "2 entries in 1 provinces; 0 verified" in listing


def test_sites_add_with_an_unknown_area_says_why(capsys):
    assert main(["sites", "--add", "https://www.hangzhou.gov.cn/art/2024/3/14/art_1_2.html", "--name", "X",
                 "--area", "不存在区"]) == 2
    assert "no division named" in capsys.readouterr().err


def test_discover_prints_the_column_from_a_loopback_portal(capsys):
    from fzzf.loopback import SiteServer

    server = SiteServer(Path(__file__).resolve().parents[1] / "fixtures" / "portals" / "hanweb").start()
    base = server.base_url
    try:
        assert main(["discover", base + "/", "--min-interval", "0"]) == 0
    finally:
        server.stop()
    out = capsys.readouterr().out
    assert f'start_urls = ["{base}/col/col102/index.html"]' in out and "政府信息公开年度报告" not in out


def test_summary_points_a_moved_column_to_discover():
    from datetime import datetime, timezone

    from fzzf.flows.summary import RunSummary
    from fzzf.scrapers.records import SiteCrawl

    now = datetime.now(timezone.utc)
    summary = RunSummary(run_id="r", db_path="w.duckdb")
    crawl = SiteCrawl("moved", "redesign_suspected", now, now)
    summary.add_site(crawl, 0, "http://x.gov.cn/zwgk/fzzfjsndbg/")
    assert "`fzzf discover http://x.gov.cn/` finds the report column" in summary.render()
