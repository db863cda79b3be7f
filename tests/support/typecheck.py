"""`make lint` type check: mypy over the package as the wheel lays it out (fzzf/scrapers -> scrapers/, ...)."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]
# pyproject's package-dir mapping: the client's top-level folders are installed as fzzf.<folder>.
MAPPED = ("flows", "scrapers", "parsers", "warehouse", "sites", "sql")


def main() -> int:
    """Lay the sources out as fzzf/... with symlinks and run mypy with pyproject's [tool.mypy] settings."""
    with tempfile.TemporaryDirectory(prefix="fzzf-typecheck-") as tmp:
        package = Path(tmp) / "fzzf"
        package.mkdir()
        for source in (ROOT / "fzzf").glob("*.py"):
            (package / source.name).symlink_to(source)
        for folder in MAPPED:
            (package / folder).symlink_to(ROOT / folder, target_is_directory=True)
        here = Path.cwd()
        os.chdir(tmp)  # mypy finds `fzzf` in the working directory before any installed copy
        try:
            out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                        "--cache-dir", str(ROOT / ".mypy_cache"), "-p", "fzzf"])
        finally:
            os.chdir(here)
    sys.stdout.write(out.replace(tmp + "/", ""))
    sys.stderr.write(err)
    return status


if __name__ == "__main__":
    sys.exit(main())
