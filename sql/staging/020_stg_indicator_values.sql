-- depends on: metrics, stg_reports
-- One value per chosen report × canonical indicator. A figure of the year reported on (scope null) wins over one
-- that covers another span: the first mention of the year (value_rule 'first_in_year_mention'); only when the
-- report gives none, the first stock at a date (截至目前: 'first_as_of_mention'), then the first cumulative
-- (自…以来, 累计: 'first_cumulative_mention'), then the first multi-year one (近三年: 'first_multi_year_mention').
-- A cadence (每两月1次, scope per_period) is never a value. Only levels (qualifier null) count; changes, bounds and
-- ranges are not the indicator's value. Rates must be in %, counts and money must not be, so a mis-tagged figure
-- cannot mix units.
create or replace table stg_indicator_values as
with chosen as (
    select * from stg_reports where is_chosen
),
figures as (
    select
        c.district_id,
        c.district,
        c.admin_code,
        c.province,
        c.city,
        c.level,
        c.year,
        c.report_id,
        m.metric_no,
        m.indicator,
        m.value,
        m.unit,
        m.approx,
        m.raw,
        m.scope,
        case coalesce(m.scope, 'in_year')
            when 'in_year' then 1
            when 'as_of' then 2
            when 'cumulative' then 3
            when 'multi_year' then 4
        end as scope_rank
    from chosen as c
    inner join metrics as m on m.report_id = c.report_id
    where m.indicator is not null
        and m.qualifier is null
        and coalesce(m.scope, '') <> 'per_period'
        and (m.indicator like '%\_rate' escape '\') = (m.unit = '%')
        and m.unit <> '百分点'
),
ranked as (
    select
        *,
        row_number() over (partition by report_id, indicator order by scope_rank, metric_no) as mention_no,
        count(*) over (partition by report_id, indicator) as mentions_n,
        count(*) filter (where scope is null) over (partition by report_id, indicator) as in_year_mentions_n
    from figures
),
final as (
    select
        * exclude (mention_no, scope, scope_rank),
        scope as value_scope,
        'first_' || coalesce(scope, 'in_year') || '_mention' as value_rule
    from ranked
    where mention_no = 1
)
select * from final;

comment on table stg_indicator_values is '区县×年度×指标取值 / One value per chosen report × indicator (first mention of the year reported on, else of a stock, cumulative or multi-year span); grain: district × year × indicator';
