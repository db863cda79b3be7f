-- depends on: metrics, stg_reports
-- One value per chosen report × canonical indicator: the first mention in the text (lowest metric_no).
-- Only levels (qualifier null) count; changes, bounds and ranges are not the indicator's value.
-- Rates must be in %, counts and money must not be, so a mis-tagged figure cannot mix units.
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
        m.raw
    from chosen as c
    inner join metrics as m on m.report_id = c.report_id
    where m.indicator is not null
        and m.qualifier is null
        and (m.indicator like '%\_rate' escape '\') = (m.unit = '%')
        and m.unit <> '百分点'
),
ranked as (
    select
        *,
        row_number() over (partition by report_id, indicator order by metric_no) as mention_no,
        count(*) over (partition by report_id, indicator) as mentions_n
    from figures
),
final as (
    select * exclude (mention_no), 'first_mention' as value_rule
    from ranked
    where mention_no = 1
)
select * from final;

comment on table stg_indicator_values is '区县×年度×指标取值 / One value per chosen report × indicator (first mention); grain: district × year × indicator';
