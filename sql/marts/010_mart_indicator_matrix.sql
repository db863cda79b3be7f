-- depends on: ref_indicators, stg_indicator_values, stg_metric_quality
-- Indicator matrix: one value per district × year × indicator, long form (pivot with `fzzf compare`).
create or replace table mart_indicator_matrix as
with values_ as (
    select * from stg_indicator_values
),
final as (
    select
        v.district_id,
        v.district,
        v.admin_code,
        v.province,
        v.city,
        v.level,
        v.year,
        v.indicator,
        i.name_zh as indicator_name,
        v.value,
        v.unit,
        v.approx,
        v.mentions_n,
        v.in_year_mentions_n,
        v.value_scope,
        v.value_rule,
        q.quality,
        q.quality_detail,
        v.report_id,
        v.metric_no,
        -- One key to the figure's own row: metrics where report_id || '/' || metric_no = metric_id.
        v.report_id || '/' || v.metric_no as metric_id
    from values_ as v
    left join ref_indicators as i on i.indicator = v.indicator
    left join stg_metric_quality as q on q.report_id = v.report_id and q.metric_no = v.metric_no
)
select * from final;

comment on table mart_indicator_matrix is '指标矩阵 / Indicator matrix; grain: one row per district × year × indicator (first mention of the year reported on in the chosen report; value_rule says when another span had to stand in)';
