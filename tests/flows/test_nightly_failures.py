"""The nightly flow when sites fail: typed outcomes, the other sites still land, the warehouse stays whole."""
from __future__ import annotations

import duckdb

from fzzf.demo import DEMO_MIN_INTERVAL_S, aliases, demo_servers, substitutions
from tests.support.faults import FaultServer

REGISTRY = """
[[site]]
id = "luting"
name = "鹭汀区人民政府（虚构演示站点）"
province = "岚川省"
city = "云梧市"
district = "鹭汀区"
level = "district"
admin_code = "990102"
start_urls = ["{luting}/zwgk/fzzfjsndbg/index.html"]

[[site]]
id = "dead"
name = "一个关了门的站点（虚构）"
province = "岚川省"
level = "county"
start_urls = ["http://127.0.0.1:9/col/index.html"]

[[site]]
id = "waf"
name = "一个只给挑战页的站点（虚构）"
province = "岚川省"
level = "county"
start_urls = ["{faults}/challenge"]

[[site]]
id = "gone"
name = "一个栏目已删除的站点（虚构）"
province = "岚川省"
level = "county"
start_urls = ["{luting}/no-such-column/index.html"]
"""


def test_failing_sites_are_typed_and_do_not_stop_the_others(prefect_harness, tmp_path):
    from fzzf.flows.nightly import nightly

    registry = tmp_path / "registry.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    faults = FaultServer().start()
    try:
        with demo_servers() as servers:
            subs = substitutions(servers) | {"faults": faults.base_url}
            summary = nightly(registry=str(registry), db_path=str(tmp_path / "f.duckdb"),
                              export_dir=str(tmp_path / "exports"), substitutions=subs, aliases=aliases(servers),
                              min_interval_s=DEMO_MIN_INTERVAL_S,
                              site_retries=0)  # retries: test_site_retries.py
    finally:
        faults.stop()
    statuses = {s.site_id: s.status for s in summary.sites}
    assert statuses == {"luting": "ok", "dead": "unreachable", "waf": "waf_challenge", "gone": "not_found"}
    assert "! waf: waf_challenge" in summary.render()
    con = duckdb.connect(str(tmp_path / "f.duckdb"), read_only=True)
    try:
        loaded = con.execute("select count(*) from reports where is_current").fetchall()[0][0]
        recorded = dict(con.execute("select site_id, status from run_sites").fetchall())
    finally:
        con.close()
    assert loaded == 3  # luting's three reports
    assert recorded == statuses
