"""Every command's bad input is one line on stderr and exit code 2, never a traceback (issue 9, item 10)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from fzzf.cli import main

REPO = Path(__file__).resolve().parents[2]
ANALYST_COMMANDS = [
    ["compare", "--indicator", "disputes_screened"],
    ["chart", "--indicator", "disputes_screened", "--out", "{tmp}/c.png"],
    ["indicators"],
    ["districts"],
    ["schema"],
    ["status"],
]
WRITER_COMMANDS = [
    ["demo"],
    ["run", "--registry", str(REPO / "sites" / "demo" / "registry.toml")],
    ["serve", "--registry", str(REPO / "sites" / "registry.toml")],
    ["reparse"],
]
REGISTRY_COMMANDS = [["run", "--db", "{tmp}/w.duckdb"], ["serve", "--db", "{tmp}/w.duckdb"], ["sites"]]


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """The real entry point; argparse's own exits included."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err, err


@pytest.fixture(scope="module")
def bad_paths(tmp_path_factory) -> dict[str, Path]:
    """A text file, a binary file, a folder, and a DuckDB file without fzzf's tables."""
    tmp = tmp_path_factory.mktemp("bad")
    (tmp / "notes.txt").write_text("not a database\n", encoding="utf-8")
    (tmp / "blob.bin").write_bytes(bytes(range(256)) * 8)
    (tmp / "folder").mkdir()
    con = duckdb.connect(str(tmp / "other.duckdb"))
    con.execute("create table t (x integer)")
    con.close()
    return {"text": tmp / "notes.txt", "binary": tmp / "blob.bin", "folder": tmp / "folder",
            "foreign": tmp / "other.duckdb"}


def _fill(argv: list[str], tmp: Path) -> list[str]:
    return [a.replace("{tmp}", str(tmp)) for a in argv]


@pytest.mark.parametrize("kind", ["text", "folder", "foreign", "binary"])
@pytest.mark.parametrize("command", ANALYST_COMMANDS + WRITER_COMMANDS, ids=lambda c: c[0])
def test_a_db_that_is_not_a_warehouse_is_one_line(command, kind, bad_paths, tmp_path, capsys):
    code, _, err = run([*_fill(command, tmp_path), "--db", str(bad_paths[kind])], capsys)
    assert_one_line_error(code, err, "--db", f"fzzf {command[0]}:")


def test_a_missing_warehouse_is_one_line_for_analyst_commands(tmp_path, capsys):
    for command in ANALYST_COMMANDS:
        code, _, err = run([*_fill(command, tmp_path), "--db", str(tmp_path / "none.duckdb")], capsys)
        assert_one_line_error(code, err, "no warehouse")


@pytest.mark.parametrize("kind", ["binary", "folder", "missing"])
@pytest.mark.parametrize("command", REGISTRY_COMMANDS, ids=lambda c: c[0])
def test_a_registry_that_is_not_a_registry_is_one_line(command, kind, bad_paths, tmp_path, capsys):
    path = bad_paths.get(kind, tmp_path / "missing.toml")
    code, _, err = run([*_fill(command, tmp_path), "--registry", str(path)], capsys)
    assert_one_line_error(code, err, "registry")


@pytest.mark.parametrize("command", WRITER_COMMANDS, ids=lambda c: c[0])
def test_an_export_folder_that_is_a_file_is_one_line(command, bad_paths, tmp_path, capsys):
    code, _, err = run([*command, "--db", str(tmp_path / "w.duckdb"), "--export", str(bad_paths["text"])], capsys)
    assert_one_line_error(code, err, "--export")


@pytest.mark.parametrize("out,fmt,fragment", [
    ("folder", None, "is a folder"),
    ("{tmp}/missing/x.csv", None, "does not exist"),
    ("{tmp}/x.parquet", "csv", "ends in .parquet but --format is csv"),
    ("{tmp}/x.csv", "md", "ends in .csv but --format is md"),
])
def test_compare_out_problems_are_one_line(out, fmt, fragment, known_db, bad_paths, tmp_path, capsys):
    target = str(bad_paths["folder"]) if out == "folder" else out.replace("{tmp}", str(tmp_path))
    argv = ["compare", "--indicator", "disputes_screened", "--db", str(known_db), "--out", target]
    code, _, err = run(argv + (["--format", fmt] if fmt else []), capsys)
    assert_one_line_error(code, err, fragment)


def test_compare_takes_its_format_from_the_suffix(known_db, tmp_path, capsys):
    out = tmp_path / "x.parquet"
    code, _, err = run(["compare", "--indicator", "disputes_screened", "--db", str(known_db), "--out", str(out)],
                       capsys)
    assert code == 0, err
    assert out.read_bytes()[:4] == b"PAR1"


@pytest.mark.parametrize("out,fragment", [("folder", "is a folder"), ("{tmp}/missing/c.png", "does not exist"),
                                          ("{tmp}/c.svg", "PNG")])
def test_chart_out_problems_are_one_line_and_create_nothing(out, fragment, known_db, bad_paths, tmp_path, capsys):
    target = str(bad_paths["folder"]) if out == "folder" else out.replace("{tmp}", str(tmp_path))
    code, _, err = run(["chart", "--indicator", "disputes_screened", "--db", str(known_db), "--out", target], capsys)
    assert_one_line_error(code, err, fragment)
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("content,fragment", [(b"", "is empty"), (b"  \n", "is empty"),
                                              (b"%PDF-1.7\n...", "neither HTML nor text"),
                                              (bytes(range(256)), "neither HTML nor text")])
def test_parse_rejects_empty_and_binary_files(content, fragment, tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    code, out, err = run(["parse", str(page), "--url", "http://www.example.gov.cn/a.html"], capsys)
    assert_one_line_error(code, err, fragment)
    assert out == ""


@pytest.mark.parametrize("url", ["notaurl", "ftp://example.gov.cn/a.html", "file:///etc/passwd", "http://"])
def test_parse_rejects_a_url_that_is_not_http(url, tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text("<html><body>2023年法治政府建设年度报告</body></html>", encoding="utf-8")
    code, _, err = run(["parse", str(page), "--url", url], capsys)
    assert_one_line_error(code, err, "not an http(s) URL")


def test_parse_reads_utf16_text(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_bytes("\ufeff<html><body><p>虚构区2023年法治政府建设年度报告</p></body></html>".encode("utf-16-le"))
    code, _, err = run(["parse", str(page), "--url", "http://www.example.gov.cn/a.html"], capsys)
    assert code == 0, err


def test_usage_errors_are_one_line(capsys):
    for argv in (["bogus"], ["compare"], ["status", "--runs", "0"], ["compare", "--indicator", "x", "--years", "20"]):
        code, _, err = run(argv, capsys)
        assert_one_line_error(code, err, "fzzf")


def test_run_with_an_unknown_site_is_one_line(tmp_path, capsys):
    code, _, err = run(["run", "--registry", str(REPO / "sites" / "demo" / "registry.toml"), "--site", "nope",
                        "--db", str(tmp_path / "w.duckdb")], capsys)
    assert_one_line_error(code, err, "'nope'")


def test_reparse_checks_site_ids_without_touching_the_working_file(known_db, tmp_path, capsys):
    live = tmp_path / "fzzf.duckdb"
    shutil.copyfile(known_db, live)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run(["reparse", "--db", str(live), "--export", str(tmp_path / "x"), "--site", "nope"], capsys)
    assert_one_line_error(code, err, "nope")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no work file copied, nothing migrated


def test_version(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == "fzzf 0.1.0"


def test_serving_the_demo_registry_points_to_demo_serve(tmp_path, capsys):
    code, _, err = run(["serve", "--registry", str(REPO / "sites" / "demo" / "registry.toml"),
                        "--db", str(tmp_path / "w.duckdb")], capsys)
    assert_one_line_error(code, err, "fzzf demo --serve")


def test_sites_lists_the_demo_registry(capsys):
    code, out, err = run(["sites", "--registry", str(REPO / "sites" / "demo" / "registry.toml")], capsys)
    assert code == 0, err
    assert "http://127.0.0.1:18400" in out and "5 entries" in out


def test_run_on_a_dask_scheduler_without_a_prefect_server_is_one_line(tmp_path, capsys, monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        code, _, err = run(["run", "--registry", str(REPO / "sites" / "demo" / "registry.toml"), "--db",
                            str(tmp_path / "w.duckdb"), "--dask-address", "tcp://127.0.0.1:9"], capsys)
    assert_one_line_error(code, err, "--dask-address needs PREFECT_API_URL")
    assert not (tmp_path / "w.duckdb").exists()
