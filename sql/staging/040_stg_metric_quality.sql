-- depends on: metrics, report_checks
-- Quality marks per figure: the consistency checks (report_checks) that touch it, so a flagged value is never
-- shown as clean. A rate_mismatch names its rate (label or indicator, then the stated value and '%'); a
-- conflicting_values check names its indicator, and every restatement of it in that report is marked.
create or replace table stg_metric_quality as
with checks as (
    select
        report_id,
        kind,
        detail,
        regexp_extract(detail, '^(.*) (-?[0-9.]+)% but ', 1) as rate_name,
        try_cast(regexp_extract(detail, '^(.*) (-?[0-9.]+)% but ', 2) as double) as rate_value,
        regexp_extract(detail, '^([a-z0-9_]+): ', 1) as conflict_indicator
    from report_checks
),
touched as (
    select m.report_id, m.metric_no, c.kind, c.detail
    from checks as c
    inner join metrics as m on m.report_id = c.report_id
    where (c.kind = 'rate_mismatch' and m.unit = '%' and abs(m.value - c.rate_value) < 0.0001
            and c.rate_name in (m.label, m.indicator))
        or (c.kind = 'conflicting_values' and m.indicator = c.conflict_indicator)
),
final as (
    select
        report_id,
        metric_no,
        string_agg(distinct kind, ';' order by kind) as quality,
        string_agg(distinct detail, '; ' order by detail) as quality_detail
    from touched
    group by report_id, metric_no
)
select * from final;

comment on table stg_metric_quality is '数值质量标记 / Figures touched by a consistency check; grain: one row per flagged metric';
