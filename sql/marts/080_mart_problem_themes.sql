-- depends on: ref_problem_themes, report_items, stg_reports
-- Shortcomings items (存在的不足) of each chosen report grouped by theme via the keyword seed
-- (sql/seeds/problem_themes.csv). An item may touch several themes; one matching none is 'other'.
create or replace table mart_problem_themes as
with items as (
    select c.district_id, c.district, c.province, c.city, c.level, c.year, i.report_id, i.item_no, i.text
    from stg_reports as c
    inner join report_items as i on i.report_id = c.report_id
    where c.is_chosen and i.item_kind = 'problem'
),
matched as (
    select distinct it.district_id, it.year, it.item_no, t.theme, t.theme_zh
    from items as it
    inner join ref_problem_themes as t on contains(it.text, t.keyword)
),
themed as (
    select it.*, coalesce(m.theme, 'other') as theme, coalesce(m.theme_zh, '其他') as theme_zh
    from items as it
    left join matched as m on m.district_id = it.district_id and m.year = it.year and m.item_no = it.item_no
),
final as (
    select
        district_id,
        any_value(district) as district,
        any_value(province) as province,
        any_value(city) as city,
        any_value(level) as level,
        year,
        theme,
        any_value(theme_zh) as theme_zh,
        count(*) as items_n,
        any_value(report_id) as report_id
    from themed
    group by district_id, year, theme
)
select * from final;

comment on table mart_problem_themes is '问题主题 / Shortcomings items per theme; grain: district × year × theme';
