-- depends on: mart_indicator_matrix, metrics, reports
-- Where each matrix value comes from: its figure as written, sentence, section and report page, no join needed.
create or replace table mart_indicator_sources as
with matrix as (
    select * from mart_indicator_matrix
),
final as (
    select
        x.district_id,
        x.district,
        x.province,
        x.year,
        x.indicator,
        x.indicator_name,
        x.value,
        x.unit,
        x.approx,
        m.raw,
        m.sentence,
        m.section,
        r.title,
        r.url,
        r.published,
        x.report_id,
        x.metric_id
    from matrix as x
    inner join metrics as m on m.report_id = x.report_id and m.metric_no = x.metric_no
    inner join reports as r on r.report_id = x.report_id
)
select * from final;

comment on table mart_indicator_sources is '指标出处 / Where each matrix value comes from: figure as written, sentence, section and report URL; grain: district × year × indicator';
