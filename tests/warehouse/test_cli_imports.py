"""The analyst commands load no more than they use: no matplotlib, Prefect or pyarrow (issue #13, item 4)."""
from __future__ import annotations

import json
import subprocess
import sys

# Each of these costs 0.3-1 s of imports; together they made `fzzf compare` 4-6× the duckdb client's time.
HEAVY = ("matplotlib", "prefect", "pyarrow")
RUN = """
import json, sys
from fzzf.cli import main
codes = [main(argv + ["--db", sys.argv[1]]) for argv in json.loads(sys.argv[2])]
print(json.dumps({"codes": codes, "heavy": sorted(m for m in sys.modules if m.split(".")[0] in json.loads(sys.argv[3]))}))
"""
COMMANDS = [["compare", "--indicator", "disputes_screened"], ["compare", "--indicator", "disputes_screened", "--by",
            "year", "--format", "md"], ["indicators"], ["districts"], ["schema", "--table", "reports"]]


def test_analyst_commands_do_not_import_matplotlib_prefect_or_pyarrow(known_db):
    done = subprocess.run([sys.executable, "-c", RUN, str(known_db), json.dumps(COMMANDS), json.dumps(HEAVY)],
                          capture_output=True, text=True, check=True, timeout=120)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"codes": [0] * len(COMMANDS), "heavy": []}


def test_the_outputs_that_need_them_still_load_them(known_db, tmp_path):
    # The check above would pass vacuously if the import probe could not see a lazy import happen.
    out = tmp_path / "x.parquet"
    probe = [["compare", "--indicator", "disputes_screened", "--out", str(out)]]
    done = subprocess.run([sys.executable, "-c", RUN, str(known_db), json.dumps(probe), json.dumps(HEAVY)],
                          capture_output=True, text=True, check=True, timeout=120)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["codes"] == [0] and "pyarrow" in result["heavy"] and out.stat().st_size > 0
