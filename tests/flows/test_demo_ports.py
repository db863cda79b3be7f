"""Demo report identities do not depend on which ports are free (issue 9, item 12)."""
from __future__ import annotations

import socket
from contextlib import ExitStack

from fzzf import runtime
from fzzf.demo import DEMO_BASE_PORT, aliases, demo_servers, stable_substitutions, substitutions
from fzzf.scrapers.session import PoliteSession

HELD = range(DEMO_BASE_PORT, DEMO_BASE_PORT + 11)


def _hold(stack: ExitStack) -> set[int]:
    """Bind and listen on every stable demo port (and a few more), as another program would; returns those held."""
    held = set()
    for port in HELD:
        s = stack.enter_context(socket.socket())
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
            held.add(port)
        except OSError:
            pass  # held by another program already: it may let go at any moment, so only ours count
    return held


def test_busy_stable_ports_change_neither_the_urls_nor_what_is_fetched():
    with ExitStack() as stack:
        held = _hold(stack)
        with demo_servers() as servers:
            assert substitutions(servers) == stable_substitutions()
            assert not {int(server.base_url.rsplit(":", 1)[1]) for server in servers.values()} & held
            stable = stable_substitutions()["luting"]
            with PoliteSession(min_interval=0, aliases=aliases(servers)) as session:
                result = session.fetch(f"{stable}/index.html", allowed_hosts=[stable.split("//")[1]])
    assert result.ok, result.error_detail
    assert result.final_url == f"{stable}/index.html"
    assert "鹭汀" in result.body.decode("utf-8")


def test_servers_started_twice_give_the_same_urls():
    with demo_servers() as first:
        bases = substitutions(first)
    with ExitStack() as stack:
        _hold(stack)
        with demo_servers() as second:
            assert substitutions(second) == bases


def test_prefect_defaults_keep_what_the_environment_sets(monkeypatch, tmp_path):
    for key in (*runtime.DEFAULTS, "PREFECT_HOME"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DO_NOT_TRACK", "0")
    monkeypatch.delitem(__import__("sys").modules, "prefect", raising=False)
    applied = runtime.configure(tmp_path)
    assert applied["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert applied["PREFECT_HOME"] == str(tmp_path.resolve() / ".prefect")
    assert "DO_NOT_TRACK" not in applied
