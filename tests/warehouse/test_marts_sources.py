"""Marts without traps: coverage says what is reported, and every matrix value reaches its sentence."""
from __future__ import annotations


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_coverage_says_which_indicators_are_reported(known_con):
    assert rows(known_con, "select indicator from mart_coverage where district_id = 'a' and is_reported "
                           "order by indicator") == [("dispute_resolution_rate",), ("disputes_resolved",),
                                                     ("disputes_screened",)]
    assert rows(known_con, "select count(*) from mart_coverage where is_reported <> (years_reported_n > 0)") == [(0,)]


def test_what_one_district_reports_that_another_does_not(known_con):
    got = rows(known_con, """
        select a.indicator from mart_coverage as a
        join mart_coverage as b on b.indicator = a.indicator and b.district_id = 'b'
        where a.district_id = 'a' and a.is_reported and not b.is_reported order by a.indicator""")
    assert got == [("dispute_resolution_rate",), ("disputes_resolved",)]


def test_every_matrix_value_reaches_its_figure_in_one_join(known_con):
    orphans = rows(known_con, """
        select count(*) from mart_indicator_matrix as x
        left join metrics as m on m.report_id || '/' || m.metric_no = x.metric_id
        where m.report_id is null or m.value <> x.value or m.indicator <> x.indicator""")
    assert orphans == [(0,)]


def test_sources_give_value_sentence_section_and_page(known_con):
    assert rows(known_con, "select count(*) from mart_indicator_sources") == \
        rows(known_con, "select count(*) from mart_indicator_matrix")
    got = rows(known_con, "select value, unit, url, sentence is not null, raw is not null from mart_indicator_sources "
                          "where district_id = 'a' and year = 2022 and indicator = 'disputes_screened'")
    assert got == [(120.0, "件", "http://a.example.test/2022.html", True, True)]
