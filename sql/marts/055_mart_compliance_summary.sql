-- depends on: mart_report_compliance
-- Timeliness and completeness per year and per province (scope says which grouping a row is).
create or replace table mart_compliance_summary as
with grouped as (
    select
        case
            when grouping(year) = 0 and grouping(province) = 0 then 'year_province'
            when grouping(year) = 0 then 'year'
            when grouping(province) = 0 then 'province'
            else 'all'
        end as scope,
        year,
        province,
        count(*) as reports_n,
        count(published) as dated_n,
        count(*) filter (where is_on_time) as on_time_n,
        median(days_before_deadline) as median_days_before_deadline,
        count(*) filter (where is_complete) as complete_n,
        count(*) filter (where list_contains(missing_parts, 'measures')) as missing_measures_n,
        count(*) filter (where list_contains(missing_parts, 'problems')) as missing_problems_n,
        count(*) filter (where list_contains(missing_parts, 'leadership_duty')) as missing_leadership_duty_n,
        count(*) filter (where list_contains(missing_parts, 'plans')) as missing_plans_n
    from mart_report_compliance
    group by grouping sets ((year, province), (year), (province), ())
),
final as (
    select
        scope,
        year,
        province,
        reports_n,
        dated_n,
        on_time_n,
        round(on_time_n * 100.0 / nullif(dated_n, 0), 1) as on_time_pct,
        median_days_before_deadline,
        complete_n,
        round(complete_n * 100.0 / reports_n, 1) as complete_pct,
        missing_measures_n,
        missing_problems_n,
        missing_leadership_duty_n,
        missing_plans_n
    from grouped
    order by scope, year, province
)
select * from final;

comment on table mart_compliance_summary is '及时性与完整性汇总 / Timeliness and completeness per year, per province and both; grain: scope × year × province';
