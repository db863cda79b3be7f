"""The run's log file: every line of the run, and the lines kept out of Prefect's console and API."""
from __future__ import annotations

import logging

from fzzf.flows.nightly import batch_line
from fzzf.flows.runlog import file_only_logger, run_log
from fzzf.scrapers.records import SiteCrawl


class _Seen(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_file_only_lines_reach_the_run_log_and_nothing_else(tmp_path):
    # Prefect's console and API handlers hang on the root logger (pytest's caplog would attach itself to the
    # non-propagating logger too, so the root is watched by hand).
    root, seen = logging.getLogger(), _Seen()
    root.addHandler(seen)
    try:
        with run_log(tmp_path / "fzzf.duckdb", "r1") as path:
            file_only_logger().info("site 1/3000 done: sim00001 ok")
            logging.getLogger("fzzf.flows").warning("site 2/3000 done: sim00002 not_found")
    finally:
        root.removeHandler(seen)
    text = path.read_text(encoding="utf-8")
    assert "site 1/3000 done: sim00001 ok" in text
    assert "site 2/3000 done: sim00002 not_found" in text
    assert seen.lines == ["site 2/3000 done: sim00002 not_found"]


def test_file_only_lines_outside_a_run_go_nowhere(tmp_path, capsys):
    file_only_logger().info("site 1/1 done: stray")
    assert "stray" not in capsys.readouterr().err


def test_batch_line_counts_the_batch_by_status():
    def crawl(site_id: str, status: str) -> SiteCrawl:
        return SiteCrawl(site_id=site_id, status=status, started_at=None, finished_at=None)  # type: ignore[arg-type]

    parsed = [(crawl("a", "ok"), []), (crawl("b", "not_found"), []), (crawl("c", "ok"), [])]
    assert batch_line("a+2", parsed, 28, 3000, 4, 112) == (
        "stored store-a+2: 3 sites (28/3000 done: 1 not_found, 2 ok), 4 new report versions (run: 112 requests)")
