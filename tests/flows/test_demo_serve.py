"""The operator's scheduled demo in the README's two commands: `fzzf demo --serve`, then `prefect deployment run`."""
from __future__ import annotations

import os
import queue
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent
START_TIMEOUT_S = 240
RUN_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lines(stream, sink: queue.Queue) -> None:
    for line in stream:
        sink.put(line)


def _wait_for(sink: queue.Queue, text: str, seen: list[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = sink.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return line
    raise AssertionError(f"no {text!r} within {timeout}s:\n" + "".join(seen[-40:]))


def test_demo_serve_then_deployment_run_shows_in_status(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.pop("PREFECT_HOME", None)  # the command picks the working folder's .prefect, as for a user
    db, exports = tmp_path / "warehouse" / "fzzf.duckdb", tmp_path / "exports"
    serve = subprocess.Popen([str(BIN / "fzzf"), "demo", "--serve", "--port", str(_free_port()), "--db", str(db),
                              "--export", str(exports)], cwd=tmp_path, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    sink: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(serve.stdout, sink), daemon=True).start()
    seen: list[str] = []
    try:
        command = _wait_for(sink, "deployment run", seen, START_TIMEOUT_S).strip()
        # The banner's command, run as printed (`PREFECT_API_URL=... prefect deployment run NAME`).
        assignment, *argv = shlex.split(command)
        key, value = assignment.split("=", 1)
        triggered = subprocess.run([*argv, "--watch", "--watch-timeout", str(RUN_TIMEOUT_S)], cwd=tmp_path,
                                   env=env | {key: value}, capture_output=True, text=True, timeout=RUN_TIMEOUT_S + 30)
        assert triggered.returncode == 0, triggered.stdout[-3000:] + triggered.stderr[-3000:] + "".join(seen[-40:])
        assert "Completed" in triggered.stdout
        status = subprocess.run([str(BIN / "fzzf"), "status", "--db", str(db)], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=60)
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
    assert status.returncode == 0, status.stderr
    assert "last 1 runs" in status.stdout
    assert status.stdout.count(" ok ") + status.stdout.count(" ok\n") >= 5, status.stdout
    assert (tmp_path / ".prefect").is_dir()  # one Prefect home: the working folder's, as `make` uses
    output = "".join(seen)
    assert "Traceback" not in output and "telemetry" not in output.lower()
