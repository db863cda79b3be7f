"""A wheel built from the repository installs outside the checkout and runs the demo from package data alone."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _build_wheel(out: Path) -> Path:
    # Build from a copy so the test leaves no build/ or egg-info in the checkout.
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".prefect", "exports", "*.duckdb*", "archive", "__pycache__", "build", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(src)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("fzzf-*.whl"))


def test_wheel_installs_and_runs_the_demo_outside_the_checkout(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "fzzf/sql/marts/010_mart_indicator_matrix.sql" in names
    assert "fzzf/parsers/indicators.toml" in names
    assert not [n for n in names if n.split("/")[0] in {"scrapers", "parsers", "warehouse", "flows", "sites", "sql", "tests"}]

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    # Dependencies come from this test environment's site-packages; a plain path line in a .pth adds them
    # to sys.path without running that directory's own .pth files (so the editable checkout stays out).
    deps = Path(sysconfig.get_path("purelib"))
    (site / "zz_deps.pth").write_text(f"{deps}\n", encoding="utf-8")

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    # A fresh Prefect home starts its temporary server in 17-19 s on an idle machine; give a loaded one room.
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "240")
    python = venv / "bin" / "python"
    where = subprocess.run([str(python), "-c", "import fzzf.scrapers.session as s; print(s.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert where.returncode == 0, where.stderr
    assert str(site) in where.stdout

    demo = subprocess.run([str(python), "-m", "fzzf", "demo", "--db", "w/fzzf.duckdb", "--export", "out"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert (work / "w" / "fzzf.duckdb").stat().st_size > 0
    assert (work / "out" / "latest" / "mart_indicator_matrix.csv").exists()
