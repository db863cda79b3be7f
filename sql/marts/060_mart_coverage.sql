-- depends on: mart_indicator_matrix, ref_indicators, stg_reports
-- Which indicators each district reports: every district × canonical indicator, reported or not
-- (`is_reported` says which; filter on it for "what does A report that B does not").
create or replace table mart_coverage as
with districts as (
    select
        district_id,
        any_value(district) as district,
        any_value(province) as province,
        any_value(city) as city,
        any_value(level) as level,
        count(*) as report_years_n,
        max(year) as latest_year
    from stg_reports
    where is_chosen
    group by district_id
),
reported as (
    select
        district_id,
        indicator,
        count(*) as years_reported_n,
        min(year) as first_year,
        max(year) as last_year,
        list(year order by year) as years
    from mart_indicator_matrix
    group by district_id, indicator
),
final as (
    select
        d.district_id,
        d.district,
        d.province,
        d.city,
        d.level,
        i.indicator,
        i.name_zh as indicator_name,
        r.district_id is not null as is_reported,
        d.report_years_n,
        coalesce(r.years_reported_n, 0) as years_reported_n,
        round(coalesce(r.years_reported_n, 0) * 100.0 / d.report_years_n, 1) as coverage_pct,
        r.first_year,
        r.last_year,
        r.years,
        coalesce(r.last_year = d.latest_year, false) as is_in_latest_report
    from districts as d
    cross join ref_indicators as i
    left join reported as r on r.district_id = d.district_id and r.indicator = i.indicator
)
select * from final;

comment on table mart_coverage is '指标覆盖 / Which canonical indicators each district reports, in how many of its report years; grain: district × indicator';
