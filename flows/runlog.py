"""One log file per run beside the warehouse: `<db folder>/logs/<run_id>.log`, plain lines."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOG_DIR = "logs"
# Prefect's flow and task run loggers do not propagate to the root logger, so the file joins each one.
LOGGERS = ("prefect.flow_runs", "prefect.task_runs", "fzzf", "fzzf.sites")
# Lines for the run's log file only (each site's progress line): not propagated to Prefect's console or API.
FILE_ONLY = "fzzf.sites"
LINE_FORMAT = "%(asctime)s %(levelname)-7s %(run_name)s: %(message)s"


class _RunFormatter(logging.Formatter):
    """Names the task or flow run a line comes from (`crawl-luting`), as Prefect's console does."""

    def format(self, record: logging.LogRecord) -> str:
        record.run_name = (getattr(record, "task_run_name", None) or getattr(record, "flow_run_name", None)
                           or record.name)
        return super().format(record)


def file_only_logger() -> logging.Logger:
    """The logger whose lines reach only the run's log file (none outside `run_log`)."""
    logger = logging.getLogger(FILE_ONLY)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def log_path(db_path: str | Path, run_id: str) -> Path:
    """Where the log of run `run_id` against `db_path` is written."""
    return Path(db_path).resolve().parent / LOG_DIR / f"{run_id}.log"


@contextmanager
def run_log(db_path: str | Path, run_id: str) -> Iterator[Path]:
    """Copy every flow, task and fzzf log line of the block into the run's log file."""
    path = log_path(db_path, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(_RunFormatter(LINE_FORMAT))
    handler.setLevel(logging.INFO)
    loggers = [logging.getLogger(name) for name in LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield path
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
        handler.close()
