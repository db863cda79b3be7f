"""Every CSV opens in Excel with Chinese headers: BOM, one Chinese header row (English keys with --lang en), and
the same numbers as on screen. Every place and figure below is fictional."""
from __future__ import annotations

import csv
import io
import json
import math
from datetime import date

import duckdb
import pytest

from fzzf.cli import main
from fzzf.warehouse import csvsafe, db, headers, marts
from fzzf.warehouse.export import export_marts

BOM = b"\xef\xbb\xbf"


def parse(raw: bytes) -> list[list[str]]:
    """A CSV file's bytes as Excel reads them: the BOM first, then UTF-8 rows."""
    assert raw.startswith(BOM)
    return list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture(scope="module")
def money_db(tmp_path_factory, synth):
    """Two districts with a fractional rate, a large amount in 元 and whole counts."""
    east = synth.make_site("dongpo", "东坡区", province="虚构省")
    west = synth.make_site("xipo", "西坡区", province="虚构省")
    pages = [(east, [synth.PageSpec("http://dongpo.example.test/2023.html", 2023, synth.body("dongpo"),
                                    date(2024, 3, 1), [("disputes_screened", 205.0, "件"),
                                                       ("dispute_resolution_rate", 91.5, "%"),
                                                       ("penalty_amount", 123456789.0, "元")])]),
             (west, [synth.PageSpec("http://xipo.example.test/2023.html", 2023, synth.body("xipo"),
                                    date(2024, 3, 1), [("disputes_screened", 48.0, "件"),
                                                       ("dispute_resolution_rate", 97.25, "%")])])]
    path = tmp_path_factory.mktemp("csvheaders") / "fzzf.duckdb"
    synth.load_all(path, pages)
    db.publish(path)
    return path


def test_every_mart_csv_has_a_bom_and_one_chinese_header_row(known_db, tmp_path):
    export_marts(known_db, tmp_path, "run-1")
    con = db.connect_read(known_db)
    try:
        columns = {mart: con.sql(f"select * from {mart}").columns for mart in marts.mart_names(con)}
    finally:
        con.close()
    for mart, keys in columns.items():
        head = parse((tmp_path / f"{mart}.csv").read_bytes())[0]
        assert head == headers.header(keys), mart
        # Every column has its own Chinese name: none falls back to its key, no two share one.
        assert all(_cjk(name) for name in head) and len(set(head)) == len(head), mart
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    matrix = next(m for m in manifest["marts"] if m["mart"] == "mart_indicator_matrix")
    assert manifest["csv_lang"] == "zh" and matrix["csv_header"][:2] == ["区县编号", "区县名称"]
    assert matrix["columns"][:2] == ["district_id", "district"]


def test_lang_en_exports_the_english_keys(known_db, tmp_path):
    export_marts(known_db, tmp_path, "run-1", lang="en")
    head = parse((tmp_path / "mart_indicator_matrix.csv").read_bytes())[0]
    assert head[:4] == ["district_id", "district", "admin_code", "province"]


def test_unknown_lang_is_refused():
    with pytest.raises(ValueError, match="lang must be one of zh, en"):
        headers.header(["year"], "fr")


def test_chinese_names_are_unique_across_the_seed():
    names = headers.chinese_names()
    assert len(set(names.values())) == len(names)
    assert names["indicator_name"] == "指标名称" and names["unit"] == "单位"


def test_python_and_sql_print_numbers_alike():
    values = [205.0, 91.5, 97.25, -1.0, 0.0, -0.0, 123456789.0, 0.1 + 0.2, 1e-7, 1e15, 2.5e16, math.inf, math.nan]
    con = duckdb.connect()
    csvsafe.install(con)
    got = [con.execute(f"select {csvsafe.NUMBER_MACRO}(?::double)", [v]).fetchall()[0][0] for v in values]
    assert got == [str(csvsafe.number(v)) for v in values]
    assert got[:3] == ["205", "91.5", "97.25"] and got[6] == "123456789"


def test_exported_matrix_and_compare_show_the_same_numbers(money_db, tmp_path, capsys):
    export_marts(money_db, tmp_path, "run-1")
    matrix = parse((tmp_path / "mart_indicator_matrix.csv").read_bytes())
    col = {name: i for i, name in enumerate(matrix[0])}
    exported = {(r[col["区县名称"]], r[col["指标键"]]): r[col["数值"]] for r in matrix[1:]}
    assert exported[("东坡区", "disputes_screened")] == "205"
    assert exported[("东坡区", "dispute_resolution_rate")] == "91.5"
    assert exported[("东坡区", "penalty_amount")] == "123456789"
    for indicator in ("disputes_screened", "dispute_resolution_rate", "penalty_amount"):
        out_file = tmp_path / f"{indicator}.csv"
        assert main(["compare", "--indicator", indicator, "--db", str(money_db), "--out", str(out_file)]) == 0
        assert main(["compare", "--indicator", indicator, "--db", str(money_db)]) == 0
        assert main(["compare", "--indicator", indicator, "--db", str(money_db), "--format", "md"]) == 0
        screen_csv, _, markdown = capsys.readouterr().out.partition("**")
        raw = out_file.read_bytes()
        assert raw == screen_csv.encode("utf-8")  # the file is the screen's bytes, BOM included
        rows = parse(raw)
        assert rows[0][:6] == ["指标键", "指标名称", "单位", "区县编号", "区县名称", "省份"]
        for row in rows[1:]:
            # Each row names the indicator, its Chinese name and unit; its number is the export's and the screen's.
            assert row[0] == indicator and _cjk(row[1]) and row[2]
            assert row[rows[0].index("2023")] == exported[(row[4], indicator)]
            assert f"| {row[4]} | 虚构省 | {exported[(row[4], indicator)]} |" in markdown
