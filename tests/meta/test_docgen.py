"""Generated docs are never stale: each committed file is what `make docs` would write now."""
from __future__ import annotations

from pathlib import Path

import pytest

from fzzf.warehouse import docgen

ROOT = Path(__file__).resolve().parents[2]
GENERATED = docgen.generated(ROOT)


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: p.name)
def test_generated_doc_is_current(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == GENERATED[path], f"{path.name} is stale: run `make docs`"


def test_a_changed_source_makes_the_doc_stale(tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "data_dictionary.md"
    doc.parent.mkdir()
    doc.write_text("x\n<!-- generated: csv-headers -->\n| old |\n<!-- end: csv-headers -->\ny\n", encoding="utf-8")
    fresh = docgen.generated(tmp_path)[doc]
    assert fresh != doc.read_text(encoding="utf-8") and "| `district_id` | 区县编号 |" in fresh
    assert docgen.main([str(tmp_path)]) == 0 and doc.read_text(encoding="utf-8") == fresh


def test_a_missing_block_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "data_dictionary.md").write_text("no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no '<!-- generated: csv-headers -->'"):
        docgen.generated(tmp_path)


def test_every_indicator_has_written_definitions_in_both_languages() -> None:
    import tomllib

    from fzzf.parsers.indicators import INDICATORS_FILE

    rows = tomllib.loads(INDICATORS_FILE.read_text(encoding="utf-8"))["indicator"]
    for row in rows:
        for field in ("definition", "not_included"):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in row[field]), (row["key"], field)
            assert row[f"{field}_en"][:1].isupper() and row[f"{field}_en"].endswith("."), (row["key"], field)


def test_indicators_doc_follows_the_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fzzf.parsers.indicators import INDICATORS_FILE

    changed = tmp_path / "indicators.toml"
    changed.write_text(INDICATORS_FILE.read_text(encoding="utf-8").replace(
        'definition = "排查、摸排的矛盾纠纷件数。"', 'definition = "排查的纠纷。"', 1), encoding="utf-8")
    monkeypatch.setattr(docgen, "INDICATORS_FILE", changed)
    doc = docgen.indicators_doc()
    assert "- **计入**: 排查的纠纷。<br>" in doc
    assert doc != GENERATED[ROOT / "docs" / "indicators.md"]
    assert doc.count("\n## ") == 35
