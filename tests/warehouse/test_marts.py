"""The comparison marts on a small fictional dataset with values worked out by hand."""
from __future__ import annotations

from datetime import date

import pytest

from fzzf.warehouse import db


def rows(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def test_matrix_holds_one_value_per_district_year_indicator(known_con):
    got = rows(known_con, "select district_id, year, value from mart_indicator_matrix "
                          "where indicator = 'disputes_screened' order by district_id, year")
    assert got == [("a", 2021, 100.0), ("a", 2022, 120.0), ("a", 2023, 150.0), ("b", 2022, 200.0),
                   ("b", 2023, 180.0), ("c", 2023, 50.0), ("d", 2023, 300.0)]


def test_matrix_takes_first_mention_and_counts_the_others(known_con):
    got = rows(known_con, "select value, mentions_n, value_rule from mart_indicator_matrix "
                          "where district_id = 'a' and year = 2022 and indicator = 'disputes_screened'")
    assert got == [(120.0, 2, "first_in_year_mention")]


def test_lookalike_documents_never_reach_the_marts(known_con):
    assert rows(known_con, "select count(*) from mart_indicator_matrix where value = 9999") == [(0,)]
    assert rows(known_con, "select count(*) from reports where kind = 'disclosure_report'") == [(1,)]


def test_rate_with_a_count_unit_is_left_out(known_con):
    got = rows(known_con, "select district_id, year, value from mart_indicator_matrix "
                          "where indicator = 'dispute_resolution_rate'")
    assert got == [("a", 2021, 90.0)]


def test_duplicate_district_year_picks_latest_published_and_says_so(known_con):
    got = rows(known_con, "select url, candidates_n, chosen_rule from mart_report_compliance "
                          "where district_id = 'c' and year = 2023")
    assert got == [("http://c.example.test/2023b.html", 2, "latest_published_then_longest_then_lowest_report_id")]


def test_year_over_year_change(known_con):
    got = rows(known_con, "select year, prev_year, prev_value, change, change_pct, is_consecutive "
                          "from mart_indicator_change where district_id = 'a' and indicator = 'disputes_screened' "
                          "order by year")
    assert got == [(2022, 2021, 100.0, 20.0, 20.0, True), (2023, 2022, 120.0, 30.0, 25.0, True)]
    b = rows(known_con, "select change, change_pct from mart_indicator_change "
                        "where district_id = 'b' and indicator = 'disputes_screened'")
    assert b == [(-20.0, -10.0)]


def test_cagr_from_first_to_last_year(known_con):
    got = rows(known_con, "select first_year, last_year, years_n, cagr_pct from mart_indicator_cagr "
                          "where district_id = 'a' and indicator = 'disputes_screened'")
    assert got == [(2021, 2023, 3, 22.47)]  # (150/100)^(1/2) - 1
    assert rows(known_con, "select count(*) from mart_indicator_cagr where district_id in ('c', 'd')") == [(0,)]


def test_rank_and_percentile_within_province_city_and_level(known_con):
    got = rows(known_con, """
        select district_id, rank_in_province, province_n, percentile_in_province,
               rank_in_city, city_n, rank_in_level, level_n, percentile_in_level
        from mart_indicator_rank where year = 2023 and indicator = 'disputes_screened' order by district_id""")
    assert got == [
        ("a", 2, 3, 50.0, 2, 2, 3, 3, 0.0),
        ("b", 1, 3, 100.0, 1, 2, 2, 3, 50.0),
        ("c", 3, 3, 0.0, 1, 1, 1, 1, 0.0),
        ("d", 1, 1, 0.0, 1, 1, 1, 3, 100.0),
    ]


def test_peer_groups_order_districts_by_size_within_level(known_con):
    got = rows(known_con, "select district_id, level, size_score, peer_group from mart_peer_groups "
                          "order by district_id")
    assert got == [("a", "district", 0.0, 1), ("b", "district", 75.0, 2), ("c", "county", 0.0, 1),
                   ("d", "district", 100.0, 3)]
    assert rows(known_con, "select peer_median, value_to_peer_median from mart_peer_comparison "
                           "where district_id = 'b' and year = 2023 and indicator = 'disputes_screened'") \
        == [(180.0, 1.0)]


@pytest.mark.parametrize(("district_id", "year", "days", "on_time"), [
    ("a", 2021, 1, True),     # 31 March: the last day on time
    ("a", 2022, 0, False),    # 1 April: late
    ("a", 2023, 46, True),
    ("b", 2023, -9, False),
])
def test_timeliness_counts_days_before_first_of_april(known_con, district_id, year, days, on_time):
    got = rows(known_con, "select deadline, days_before_deadline, is_on_time from mart_report_compliance "
                          "where district_id = ? and year = ?", [district_id, year])
    assert got == [(date(year + 1, 4, 1), days, on_time)]


def test_completeness_per_report(known_con):
    got = rows(known_con, "select required_parts_n, missing_parts, is_complete from mart_report_compliance "
                          "where district_id = 'b' and year = 2023")
    assert got == [(2, ["problems", "plans"], False)]


def test_compliance_summary_per_year_and_province(known_con):
    got = rows(known_con, "select reports_n, on_time_n, on_time_pct, complete_n, missing_plans_n "
                          "from mart_compliance_summary where scope = 'year' and year = 2023")
    assert got == [(4, 3, 75.0, 3, 1)]
    by_province = rows(known_con, "select province, reports_n, on_time_n from mart_compliance_summary "
                                  "where scope = 'province' order by province")
    assert by_province == [("乙省", 1, 1), ("甲省", 6, 4)]


def test_coverage_lists_every_indicator_for_every_district(known_con):
    assert rows(known_con, "select count(distinct indicator), count(distinct district_id) from mart_coverage") \
        == [(35, 4)]
    got = rows(known_con, "select indicator, years_reported_n, coverage_pct, years, is_in_latest_report "
                          "from mart_coverage where district_id = 'a' and years_reported_n > 0 order by indicator")
    assert got == [("dispute_resolution_rate", 1, 33.3, [2021], False),
                   ("disputes_resolved", 3, 100.0, [2021, 2022, 2023], True),
                   ("disputes_screened", 3, 100.0, [2021, 2022, 2023], True)]


def test_copied_report_stands_out_between_districts(known_con):
    got = rows(known_con, "select year, district_id_a, district_id_b, jaccard from mart_text_reuse_districts")
    assert got == [(2023, "a", "b", 1.0)]


def test_text_reuse_between_years_of_one_district(known_con):
    got = dict(((r[0], r[1]), r[2]) for r in rows(
        known_con, "select district_id, year, share_of_report_reused from mart_text_reuse_years"))
    assert 0.35 <= got[("a", 2023)] <= 0.65  # half the 2023 text is the 2022 text
    assert got[("a", 2022)] < 0.05 and got[("b", 2023)] < 0.05


def test_problem_themes_per_district_and_province(known_con):
    got = rows(known_con, "select district_id, theme from mart_problem_themes order by district_id, theme")
    assert got == [("a", "enforcement"), ("a", "publicity"), ("b", "grassroots"), ("b", "staffing")]
    by_province = rows(known_con, "select theme, districts_n, districts_with_problems_n, districts_pct "
                                  "from mart_problem_themes_by_province where year = 2023 order by theme")
    assert by_province == [("enforcement", 1, 2, 50.0), ("grassroots", 1, 2, 50.0), ("publicity", 1, 2, 50.0),
                           ("staffing", 1, 2, 50.0)]


def test_every_relation_and_column_is_documented(known_con):
    undocumented = rows(known_con, """
        select table_name, column_name from duckdb_columns()
        where database_name = current_database() and schema_name = 'main' and comment is null""")
    assert undocumented == []
    relations = rows(known_con, """
        select table_name from duckdb_tables() where database_name = current_database() and comment is null
        union all
        select view_name from duckdb_views() where not internal and database_name = current_database()
            and comment is null""")
    assert relations == []


def test_tied_values_share_rank_and_percentile(db_path, synth):
    batches = [(synth.make_site(sid, name), [synth.PageSpec(f"http://{sid}.example.test/2023.html", 2023,
                                                            synth.body(sid), date(2024, 3, 1),
                                                            [("legal_aid_cases", value, "件")])])
               for sid, name, value in (("x", "甲镇区", 10.0), ("y", "乙镇区", 10.0), ("z", "丙镇区", 5.0))]
    synth.load_all(db_path, batches)
    con = db.connect_work(db_path)
    try:
        got = rows(con, "select district_id, rank_in_province, percentile_in_province from mart_indicator_rank "
                        "order by district_id")
    finally:
        con.close()
    assert got == [("x", 1, 100.0), ("y", 1, 100.0), ("z", 3, 0.0)]
