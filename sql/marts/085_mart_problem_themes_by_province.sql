-- depends on: mart_problem_themes
-- How many districts of a province name each problem theme in a year, out of those listing any shortcoming.
create or replace table mart_problem_themes_by_province as
with listing as (
    select province, year, count(distinct district_id) as districts_with_problems_n
    from mart_problem_themes
    group by province, year
),
by_theme as (
    select province, year, theme, any_value(theme_zh) as theme_zh,
           count(distinct district_id) as districts_n, sum(items_n) as items_n
    from mart_problem_themes
    group by province, year, theme
),
final as (
    select
        t.province,
        t.year,
        t.theme,
        t.theme_zh,
        t.districts_n,
        l.districts_with_problems_n,
        round(t.districts_n * 100.0 / l.districts_with_problems_n, 1) as districts_pct,
        t.items_n
    from by_theme as t
    inner join listing as l on l.province = t.province and l.year = t.year
)
select * from final;

comment on table mart_problem_themes_by_province is '各省问题主题分布 / Share of a province''s districts naming each problem theme per year; grain: province × year × theme';
