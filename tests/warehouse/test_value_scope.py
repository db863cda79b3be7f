"""A year's value comes from a figure of that year, not from one covering another span (issue #8, item 9)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fzzf.parsers.report import parse_report
from fzzf.scrapers.records import Page
from fzzf.warehouse import db, load, marts

SEED_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "000_461943bee37e8ec1.txt"


def _matrix(con, indicator: str) -> list[tuple]:
    return con.execute("select year, value, value_scope, value_rule, mentions_n, in_year_mentions_n "
                       "from mart_indicator_matrix where indicator = ? order by district_id, year",
                       [indicator]).fetchall()


def _load(db_path: Path, synth, site, specs, scopes: dict[tuple[int, int], str | None]) -> None:
    """Load one fictional site's reports, giving figure `i` of page `p` the scope scopes[(p, i)]."""
    con = db.connect_work(db_path)
    try:
        load.start_run(con, synth.RUN, synth.T0, "tests/registry.toml", [site])
        crawl, parsed = synth.make_crawl(site, specs)
        for p, (_, report) in enumerate(parsed):
            for i, metric in enumerate(report.metrics):
                metric.scope = scopes.get((p, i))
        load.load_site(con, site, crawl, parsed, synth.RUN)
        marts.build_marts(con)
        assert not marts.run_data_tests(con)
    finally:
        con.close()


@pytest.fixture
def scoped_con(db_path, synth):
    site = synth.make_site("s", "松禾县(虚构)", level="county")
    specs = [
        # Cumulative 331 is mentioned first, the year's 31 later: 31 is the year's value.
        synth.PageSpec("http://s.example.test/2023.html", 2023, synth.body("s2023"), date(2024, 3, 1),
                       [("law_publicity_events", 331, "次"), ("law_publicity_events", 31, "次"),
                        ("legal_advisers", 68, "名"), ("legal_consultations", 12, "次"),
                        ("legal_consultations", 4000, "人次")]),
        # Only a multi-year figure: it stands in, and the rule says so.
        synth.PageSpec("http://s.example.test/2022.html", 2022, synth.body("s2022"), date(2023, 3, 1),
                       [("law_publicity_events", 900, "次")]),
    ]
    scopes = {(0, 0): "cumulative", (0, 2): "as_of", (0, 3): "per_period", (1, 0): "multi_year"}
    _load(db_path, synth, site, specs, scopes)
    db.publish(db_path)
    con = db.connect_read(db_path)
    yield con
    con.close()


def test_in_year_figure_wins_over_an_earlier_cumulative_one(scoped_con):
    assert _matrix(scoped_con, "law_publicity_events")[1] == (2023, 31.0, None, "first_in_year_mention", 2, 1)


def test_span_figure_stands_in_only_when_the_year_has_none_and_says_so(scoped_con):
    assert _matrix(scoped_con, "law_publicity_events")[0] == (2022, 900.0, "multi_year", "first_multi_year_mention",
                                                               1, 0)
    assert _matrix(scoped_con, "legal_advisers") == [(2023, 68.0, "as_of", "first_as_of_mention", 1, 0)]


def test_a_cadence_is_never_a_value(scoped_con):
    assert _matrix(scoped_con, "legal_consultations") == [(2023, 4000.0, None, "first_in_year_mention", 1, 1)]


def test_seed_matrix_gives_the_years_own_figures(db_path, synth):
    """The real seed page, parsed and loaded: 2023 gets 31 publicity events and 760 consultations, not the
    「自“五大行动”启动以来」 totals 331 and 7760."""
    lines = SEED_TEXT.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("2023年,"))
    end = next(i for i, line in enumerate(lines) if line.startswith("主办单位"))
    url = "http://www.xyhtz-fict.gov.cn/zwgk/2024/t20240222_1.html"
    page = Page(url=url, title="高新区2023年法治政府建设年度报告", published=date(2024, 2, 22), published_from="test",
                body="\n".join(line for line in lines[start:end] if line.strip()))
    report = parse_report(page)
    site = synth.make_site("xy", "襄阳高新区", province="湖北省", city="襄阳市")
    crawl, parsed = synth.make_crawl(site, [synth.PageSpec(url, 2023, page.body, date(2024, 2, 22))])
    parsed = [(crawled, report) for crawled, _ in parsed]
    con = db.connect_work(db_path)
    try:
        load.start_run(con, synth.RUN, synth.T0, "tests/registry.toml", [site])
        load.load_site(con, site, crawl, parsed, synth.RUN)
        marts.build_marts(con)
        assert _matrix(con, "law_publicity_events") == [(2023, 31.0, None, "first_in_year_mention", 2, 1)]
        assert _matrix(con, "legal_consultations") == [(2023, 760.0, None, "first_in_year_mention", 2, 1)]
        assert con.execute("select scope, count(*) from metrics where scope is not null group by scope").fetchall() \
            == [("cumulative", 6)]
    finally:
        con.close()
