-- depends on: stg_reports, stg_text_shingles
-- Text reuse between districts in the same year: Jaccard similarity of sampled shingle sets, so copied
-- reports stand out. Boilerplate shingles found in more than 50 reports of a year (set phrases every
-- report uses) are not evidence of copying and are left out of the shared count. Only pairs with
-- Jaccard >= 0.2 or containment >= 0.5 (the shorter report mostly inside the longer) are kept.
create or replace table mart_text_reuse_districts as
with sizes as (
    select report_id, any_value(district_id) as district_id, any_value(year) as year, count(*) as shingles_n
    from stg_text_shingles
    group by report_id
),
frequency as (
    select year, shingle, count(*) as reports_n
    from stg_text_shingles
    group by year, shingle
),
informative as (
    select s.report_id, s.district_id, s.year, s.shingle
    from stg_text_shingles as s
    inner join frequency as f on f.year = s.year and f.shingle = s.shingle
    -- A shingle in one report only cannot be shared; dropping those first keeps the self-join small.
    where f.reports_n between 2 and 50
),
shared as (
    select
        a.report_id as report_id_a,
        b.report_id as report_id_b,
        a.year,
        count(*) as shared_n
    from informative as a
    inner join informative as b
        on a.shingle = b.shingle and a.year = b.year and a.district_id < b.district_id
    group by a.report_id, b.report_id, a.year
),
scored as (
    select
        sh.year,
        sa.district_id as district_id_a,
        sb.district_id as district_id_b,
        sh.report_id_a,
        sh.report_id_b,
        sh.shared_n,
        sa.shingles_n as shingles_a_n,
        sb.shingles_n as shingles_b_n,
        round(sh.shared_n / (sa.shingles_n + sb.shingles_n - sh.shared_n), 3) as jaccard,
        round(sh.shared_n / least(sa.shingles_n, sb.shingles_n), 3) as containment
    from shared as sh
    inner join sizes as sa on sa.report_id = sh.report_id_a
    inner join sizes as sb on sb.report_id = sh.report_id_b
),
final as (
    select
        s.year,
        s.district_id_a,
        ra.district as district_a,
        ra.province as province_a,
        s.district_id_b,
        rb.district as district_b,
        rb.province as province_b,
        s.jaccard,
        s.containment,
        s.shared_n,
        s.shingles_a_n,
        s.shingles_b_n,
        s.report_id_a,
        s.report_id_b
    from scored as s
    inner join stg_reports as ra on ra.report_id = s.report_id_a
    inner join stg_reports as rb on rb.report_id = s.report_id_b
    where s.jaccard >= 0.2 or s.containment >= 0.5
)
select * from final;

comment on table mart_text_reuse_districts is '区县间文本重复 / Text reuse between districts in one year (Jaccard of sampled 8-character shingles); grain: one row per similar pair';
