-- depends on: stg_reports, stg_text_shingles
-- Text reuse between one district's consecutive reports: how much of this year's report is last year's.
create or replace table mart_text_reuse_years as
with chosen as (
    select
        district_id,
        district,
        province,
        year,
        report_id,
        lag(year) over (partition by district_id order by year) as prev_year,
        lag(report_id) over (partition by district_id order by year) as prev_report_id
    from stg_reports
    where is_chosen
),
sizes as (
    select report_id, count(*) as shingles_n from stg_text_shingles group by report_id
),
shared as (
    select c.report_id, count(*) as shared_n
    from chosen as c
    inner join stg_text_shingles as a on a.report_id = c.report_id
    inner join stg_text_shingles as b on b.report_id = c.prev_report_id and b.shingle = a.shingle
    group by c.report_id
),
final as (
    select
        c.district_id,
        c.district,
        c.province,
        c.year,
        c.prev_year,
        coalesce(sh.shared_n, 0) as shared_n,
        sa.shingles_n,
        sb.shingles_n as prev_shingles_n,
        round(coalesce(sh.shared_n, 0) / (sa.shingles_n + sb.shingles_n - coalesce(sh.shared_n, 0)), 3) as jaccard,
        round(coalesce(sh.shared_n, 0) / sa.shingles_n, 3) as share_of_report_reused,
        c.report_id,
        c.prev_report_id
    from chosen as c
    inner join sizes as sa on sa.report_id = c.report_id
    inner join sizes as sb on sb.report_id = c.prev_report_id
    left join shared as sh on sh.report_id = c.report_id
)
select * from final;

comment on table mart_text_reuse_years is '同一区县逐年文本重复 / Text reuse between a district''s report and its previous one; grain: district × year (years with a predecessor)';
