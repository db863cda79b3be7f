"""`fzzf compare`, `indicators`, `districts`, `schema` and `chart`: every option, and bad input (exit 2)."""
from __future__ import annotations

import argparse
import csv
import io

import pyarrow.parquet as pq
import pytest

from fzzf.cli import main
from fzzf.cli_warehouse import years_range


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """The real `fzzf` entry point, as a user calls it."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(known_db, capsys):
    """Run an analyst command against the known warehouse."""
    return lambda *argv: run([*argv, "--db", str(known_db)], capsys)


def table(text: str) -> list[list[str]]:
    """A CSV as written to standard output: it must start with the BOM Excel needs."""
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# Every compare export names its indicator, the indicator's Chinese name and unit on every row; headers are the
# columns' Chinese names unless `--lang en`.
KEYS = ["指标键", "指标名称", "单位"]
PLACE = ["区县编号", "区县名称", "省份"]
SCREENED = ["disputes_screened", "排查矛盾纠纷", "件"]


def test_compare_by_district_is_a_district_by_year_table(cli):
    code, out, _ = cli("compare", "--indicator", "disputes_screened")
    assert code == 0
    assert table(out) == [
        KEYS + PLACE + ["2021", "2022", "2023"],
        SCREENED + ["d", "丁区", "乙省", "", "", "300"],
        SCREENED + ["c", "丙县", "甲省", "", "", "50"],
        SCREENED + ["b", "乙区", "甲省", "", "200", "180"],
        SCREENED + ["a", "甲区", "甲省", "100", "120", "150"],
    ]


def test_compare_by_year_puts_districts_in_columns(cli):
    code, out, _ = cli("compare", "--indicator", "disputes_screened", "--by", "year", "--province", "甲省",
                       "--years", "2022-2023")
    assert code == 0
    assert table(out) == [KEYS + ["报告年度", "丙县", "乙区", "甲区"], SCREENED + ["2022", "", "200", "120"],
                          SCREENED + ["2023", "50", "180", "150"]]


def test_compare_filters_districts_by_name_or_id(cli):
    code, out, _ = cli("compare", "--indicator", "disputes_resolved", "--districts", "甲区", "b")
    assert code == 0
    assert [row[3] for row in table(out)[1:]] == ["a"]  # 乙区 reports no disputes_resolved


def test_compare_accepts_the_chinese_indicator_name_and_a_single_year(cli):
    code, out, _ = cli("compare", "--indicator", "排查矛盾纠纷", "--years", "2021")
    assert code == 0
    assert table(out) == [KEYS + [*PLACE, "2021"], SCREENED + ["a", "甲区", "甲省", "100"]]


def test_compare_writes_csv_with_bom_to_a_file(cli, tmp_path):
    out_file = tmp_path / "cmp.csv"
    code, out, _ = cli("compare", "--indicator", "disputes_screened", "--out", str(out_file))
    assert code == 0 and out == ""
    assert out_file.read_bytes().startswith("\ufeff指标键,指标名称,单位,区县编号,区县名称".encode())


def test_compare_keeps_the_english_keys_with_lang_en(cli, tmp_path):
    code, out, _ = cli("compare", "--indicator", "disputes_screened", "--by", "year", "--lang", "en")
    assert code == 0 and table(out)[0][:4] == ["indicator", "indicator_name", "unit", "year"]
    out_file = tmp_path / "cmp.csv"
    assert cli("compare", "--indicator", "disputes_screened", "--lang", "en", "--out", str(out_file))[0] == 0
    assert out_file.read_bytes().startswith(b"\xef\xbb\xbfindicator,indicator_name,unit,district_id,district")


def test_compare_prints_and_writes_the_same_bytes_and_numbers(cli, tmp_path):
    out_file = tmp_path / "cmp.csv"
    _, screen, _ = cli("compare", "--indicator", "disputes_screened")
    cli("compare", "--indicator", "disputes_screened", "--out", str(out_file))
    assert out_file.read_bytes() == screen.encode("utf-8")
    assert ".0" not in screen
    _, markdown, _ = cli("compare", "--indicator", "disputes_screened", "--format", "md")
    md_cells = [line.strip("|").split(" | ") for line in markdown.splitlines() if line.startswith("| ")][1:]
    # The same numbers in the same cells: CSV rows carry the indicator, its name and unit first.
    assert [row[3:] for row in table(screen)[1:]] == [[c.strip() for c in row] for row in md_cells]


def test_compare_writes_parquet(cli, tmp_path):
    out_file = tmp_path / "cmp.parquet"
    code, _, _ = cli("compare", "--indicator", "disputes_screened", "--format", "parquet", "--out", str(out_file))
    assert code == 0
    got = pq.read_table(out_file).to_pylist()
    assert got[-1] == {"indicator": "disputes_screened", "indicator_name": "排查矛盾纠纷", "unit": "件",
                       "district_id": "a", "district": "甲区", "province": "甲省", "2021": 100.0, "2022": 120.0,
                       "2023": 150.0}


def test_compare_prints_markdown(cli):
    code, out, _ = cli("compare", "--indicator", "disputes_screened", "--format", "md", "--districts", "a")
    assert code == 0
    assert out.splitlines()[2:] == ["| district_id | district | province | 2021 | 2022 | 2023 |",
                                    "|---|---|---|---|---|---|", "| a | 甲区 | 甲省 | 100 | 120 | 150 |"]


def test_compare_with_nothing_selected_says_so(cli):
    code, out, err = cli("compare", "--indicator", "legal_aid_cases")
    assert code == 0 and table(out) == [KEYS + PLACE]
    assert "no values of legal_aid_cases" in err


@pytest.mark.parametrize(("argv", "message"), [
    (["--indicator", "disputes_screend"], "Did you mean: disputes_screened"),
    (["--indicator", "disputes_screened", "--districts", "甲"], "unknown district '甲'. Did you mean: 甲区"),
    (["--indicator", "disputes_screened", "--districts", "a", "zzz"], "unknown district 'zzz'"),
    (["--indicator", "disputes_screened", "--province", "甲"], "unknown province '甲'. Did you mean: 甲省"),
    (["--indicator", "disputes_screened", "--years", "2023-2021"], "first year is after the last"),
    (["--indicator", "disputes_screened", "--years", "last year"], "years must look like 2021 or 2020-2023"),
    (["--indicator", "disputes_screened", "--by", "city"], "invalid choice: 'city'"),
    (["--indicator", "disputes_screened", "--format", "xlsx"], "invalid choice: 'xlsx'"),
    (["--indicator", "disputes_screened", "--format", "parquet"], "--format parquet needs --out"),
    ([], "the following arguments are required: --indicator"),
])
def test_compare_bad_input_exits_2_with_help(cli, argv, message):
    code, out, err = cli("compare", *argv)
    assert code == 2
    assert message in err and out == ""


def test_missing_database_exits_2(capsys, tmp_path):
    code, _, err = run(["compare", "--indicator", "disputes_screened", "--db", str(tmp_path / "none.duckdb")], capsys)
    assert code == 2 and "no warehouse at" in err


def test_years_range_parses_spans():
    assert years_range("2020-2023") == (2020, 2023)
    assert years_range(" 2022 ") == (2022, 2022)
    with pytest.raises(argparse.ArgumentTypeError):
        years_range("1850-1851")


def test_indicators_lists_every_key_with_counts(cli):
    code, out, _ = cli("indicators", "--format", "csv")
    rows = table(out)
    assert code == 0 and len(rows) == 36
    assert rows[0] == ["指标键", "中文名称", "单位", "区县数", "数值数", "首个年度", "最近年度"]
    assert rows[1] == ["disputes_screened", "排查矛盾纠纷", "件", "4", "7", "2021", "2023"]
    assert table(cli("indicators", "--format", "csv", "--lang", "en")[1])[0][:2] == ["indicator", "name_zh"]


def test_districts_lists_reports_and_figures(cli):
    code, out, _ = cli("districts")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["district_id", "district", "province", "city", "level", "reports_n",
                                              "first_year", "last_year", "values_n"]
    assert lines[1].split() == ["d", "丁区", "乙省", "三市", "district", "1", "2023", "2023", "1"]
    assert lines[-1].split() == ["c", "丙县", "甲省", "二市", "county", "1", "2023", "2023", "1"]


def test_schema_prints_grains_and_column_comments(cli):
    code, out, _ = cli("schema", "--table", "metrics")
    assert code == 0
    assert out.startswith("metrics (table): 数字指标 / Figures; grain: one row per figure")
    assert "value in base units" in out.lower()
    assert cli("schema", "--table", "nope")[0] == 2


def test_schema_covers_tables_and_marts(cli):
    code, out, _ = cli("schema")
    assert code == 0
    assert "reports (table)" in out and "mart_indicator_matrix (table)" in out


def test_chart_writes_a_png(cli, tmp_path):
    out_file = tmp_path / "chart.png"
    code, out, _ = cli("chart", "--indicator", "disputes_screened", "--province", "甲省", "--out", str(out_file))
    assert code == 0 and "3 districts" in out
    assert out_file.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_chart_bad_indicator_exits_2(cli, tmp_path):
    code, _, err = cli("chart", "--indicator", "nope", "--out", str(tmp_path / "x.png"))
    assert code == 2 and "unknown indicator" in err and not (tmp_path / "x.png").exists()
