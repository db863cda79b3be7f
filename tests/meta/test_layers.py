"""The layer rule of docs/architecture.md, enforced by import-linter on the tree as the wheel lays it out."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# pyproject's package-dir mapping: the client's top-level folders are installed as fzzf.<folder>.
MAPPED = ("flows", "scrapers", "parsers", "warehouse", "sites", "sql")


def _wheel_shaped(tmp: Path) -> Path:
    """Copy the Python sources into tmp/fzzf/... exactly as the wheel installs them."""
    ignore = shutil.ignore_patterns("__pycache__", "*.duckdb", "demo", "archive")
    shutil.copytree(ROOT / "fzzf", tmp / "fzzf", ignore=ignore)
    for folder in MAPPED:
        shutil.copytree(ROOT / folder, tmp / "fzzf" / folder, ignore=ignore)
    return tmp


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=300,
    )


def test_layers_call_only_downward(tmp_path: Path) -> None:
    result = _lint(_wheel_shaped(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("module", "upward"), [("scrapers/hosts.py", "fzzf.warehouse.db"), ("sites/registry.py", "fzzf.flows.nightly")])
def test_an_upward_import_fails_the_contract(tmp_path: Path, module: str, upward: str) -> None:
    tree = _wheel_shaped(tmp_path)
    target = tree / "fzzf" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\nimport {upward}  # planted\n", encoding="utf-8")
    result = _lint(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_no_module_imports_the_checkout_layout() -> None:
    offenders = []
    for folder in (*MAPPED, "fzzf", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                stripped = line.strip()
                for name in MAPPED:
                    if stripped.startswith((f"import {name}", f"from {name}.", f"from {name} ")):
                        offenders.append(f"{path.relative_to(ROOT)}: {stripped}")
    assert offenders == []
