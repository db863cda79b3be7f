"""`fzzf parse` reads a saved report as plain text (the seed's own form) and says which it read."""
from __future__ import annotations

import json
from pathlib import Path

from fzzf.cli import main

SEED_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "000_461943bee37e8ec1.txt"


def test_parse_seed_text(capsys):
    assert main(["parse", str(SEED_TEXT), "--url", "http://www.example.gov.cn/a.html", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["read_as"] == "text"
    assert out["title"] == "高新区2023年法治政府建设年度报告"
    assert (out["district"], out["year"], out["published"], out["kind"]) == ("襄阳高新区", 2023, "2024-02-22",
                                                                             "annual_report")
    assert "spam_injection" in out["flags"]


def test_parse_says_what_it_read(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>青禾市2023年法治政府建设年度报告</title></head><body><p>2023年,青禾市推进"
                    "法治政府建设。</p></body></html>", encoding="utf-8")
    assert main(["parse", str(page), "--url", "http://www.example.gov.cn/a.html"]) == 0
    assert capsys.readouterr().out.startswith(f"read {page} as html")
    assert main(["parse", str(SEED_TEXT)]) == 0
    assert capsys.readouterr().out.startswith(f"read {SEED_TEXT} as text")
