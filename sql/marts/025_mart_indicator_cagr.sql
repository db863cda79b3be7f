-- depends on: mart_indicator_matrix
-- Compound annual growth between a district's first and last reported year of an indicator.
create or replace table mart_indicator_cagr as
with spans as (
    select
        district_id,
        any_value(district) as district,
        any_value(province) as province,
        any_value(city) as city,
        any_value(level) as level,
        indicator,
        any_value(indicator_name) as indicator_name,
        any_value(unit) as unit,
        min(year) as first_year,
        max(year) as last_year,
        count(*) as years_n,
        arg_min(value, year) as first_value,
        arg_max(value, year) as last_value
    from mart_indicator_matrix
    group by district_id, indicator
),
final as (
    select
        *,
        case
            when last_year > first_year and first_value > 0 and last_value >= 0
            then round((pow(last_value / first_value, 1.0 / (last_year - first_year)) - 1) * 100, 2)
        end as cagr_pct
    from spans
    where years_n >= 2
)
select * from final;

comment on table mart_indicator_cagr is '年均复合增长率 / CAGR from first to last reported year; grain: district × indicator (two or more years)';
