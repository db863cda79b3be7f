"""`fzzf sites --check` against loopback sites: each start URL fetched once, its outcome and family typed."""
from __future__ import annotations

import socket

from fzzf.cli import main
from fzzf.loopback import SiteServer
from fzzf.sites.registry import DEMO_DIR

ENTRY = ('[[site]]\nid = "{id}"\nname = "虚构区"\nprovince = "岚川省"\nlevel = "district"\n{family}'
         'start_urls = ["{url}"]\n')


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_check_reports_outcome_and_family_of_each_start_url(tmp_path, capsys):
    with SiteServer(DEMO_DIR / "weichuan").start() as weichuan:
        base = weichuan.base_url
        registry = tmp_path / "registry.toml"
        registry.write_text(
            ENTRY.format(id="good", family='family = "hanweb"\n', url=f"{base}/col/col1234/index.html")
            + ENTRY.format(id="wrongfamily", family='family = "trs"\n', url=f"{base}/col/col1234/index.html")
            + ENTRY.format(id="gone", family="", url=f"{base}/no/such/list.html")
            + ENTRY.format(id="dead", family="", url=f"http://127.0.0.1:{_closed_port()}/index.html"),
            encoding="utf-8")
        code = main(["sites", "--check", "--registry", str(registry)])
        hits = sum(weichuan.hits.values())
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert code == 1
    assert lines["good"].split()[1:3] == ["ok", "hanweb"]
    assert "(registry says trs)" in lines["wrongfamily"]
    assert lines["gone"].split()[1] == "http_error" and "HTTP 404" in lines["gone"]
    assert lines["dead"].split()[1] == "connection_error"
    assert hits <= 6  # robots.txt once per host and each start URL once


def test_check_of_one_site(tmp_path, capsys):
    with SiteServer(DEMO_DIR / "weichuan").start() as weichuan:
        registry = tmp_path / "registry.toml"
        registry.write_text(ENTRY.format(id="a", family="", url=f"{weichuan.base_url}/col/col1234/index.html")
                            + ENTRY.format(id="b", family="", url=f"http://127.0.0.1:{_closed_port()}/"),
                            encoding="utf-8")
        assert main(["sites", "--check", "--registry", str(registry), "--site", "a"]) == 0
    assert "every start URL answered" in capsys.readouterr().out
