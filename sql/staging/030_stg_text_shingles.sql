-- depends on: report_shingles, stg_reports
-- Shingles of the chosen reports, for the text-reuse marts (sql/base/010_report_shingles.sql computes
-- them once per report version).
create or replace table stg_text_shingles as
with chosen as (
    select report_id, district_id, year from stg_reports where is_chosen
),
final as (
    select c.report_id, c.district_id, c.year, s.shingle
    from chosen as c
    inner join report_shingles as s on s.report_id = c.report_id
)
select * from final;

comment on table stg_text_shingles is '入选报告的文本片段 / Sampled 8-character shingle hashes of the chosen reports; grain: report × distinct shingle';
