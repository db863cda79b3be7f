-- depends on: mart_indicator_matrix
-- Year-over-year change: each value against the same district's previous reported year.
create or replace table mart_indicator_change as
with series as (
    select
        *,
        lag(year) over w as prev_year,
        lag(value) over w as prev_value
    from mart_indicator_matrix
    window w as (partition by district_id, indicator order by year)
),
final as (
    select
        district_id,
        district,
        province,
        city,
        level,
        indicator,
        indicator_name,
        unit,
        year,
        value,
        prev_year,
        prev_value,
        value - prev_value as change,
        case when prev_value <> 0 then round((value - prev_value) / abs(prev_value) * 100, 2) end as change_pct,
        prev_year = year - 1 as is_consecutive
    from series
    where prev_year is not null
)
select * from final;

comment on table mart_indicator_change is '同比变化 / Year-over-year change against the previous reported year; grain: district × indicator × year (years with a predecessor)';
