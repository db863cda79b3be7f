-- depends on: reports, sites
-- Current annual reports with their site's place attributes; one report is chosen per district × year.
-- A district is a registry site (site_id): its area name, province, city and level come from the registry,
-- which is stable across years, unlike the names reports print. Look-alike documents (kind other than
-- annual_report) and superseded versions never get here.
-- A repost (another government's site carrying a district's report) counts for its subject district when that
-- district is a registry site (one non-department site of that name); duplicates are never current.
create or replace table stg_reports as
with subjects as (
    select coalesce(district, name) as subject_district, any_value(site_id) as subject_site_id
    from sites
    where level <> 'department'
    group by 1
    having count(*) = 1
),
current_reports as (
    select
        r.report_id,
        s.site_id,
        r.url,
        r.title,
        r.year,
        r.published,
        r.body_chars,
        r.parts,
        r.missing_parts,
        r.flags,
        r.district as report_district,
        coalesce(s.district, s.name) as district,
        coalesce(s.admin_code, r.admin_code) as admin_code,
        s.province,
        s.city,
        s.level
    from reports as r
    inner join sites as host on host.site_id = r.site_id
    left join subjects as sub
        on sub.subject_district = r.district and r.district <> coalesce(host.district, host.name)
    inner join sites as s on s.site_id = coalesce(sub.subject_site_id, r.site_id)
    where r.is_current and r.kind = 'annual_report' and r.year is not null
),
ranked as (
    select
        *,
        row_number() over (
            partition by site_id, year
            order by published desc nulls last, body_chars desc nulls last, report_id
        ) as pick_rank,
        count(*) over (partition by site_id, year) as candidates_n
    from current_reports
),
final as (
    select
        report_id,
        site_id as district_id,
        district,
        report_district,
        admin_code,
        province,
        city,
        level,
        year,
        published,
        url,
        title,
        body_chars,
        parts,
        missing_parts,
        flags,
        candidates_n,
        pick_rank = 1 as is_chosen,
        case
            when candidates_n = 1 then 'only_report'
            else 'latest_published_then_longest_then_lowest_report_id'
        end as chosen_rule
    from ranked
)
select * from final;

comment on table stg_reports is '当前年度报告(每区县每年选一份) / Current annual reports, one chosen per district × year; grain: one row per current annual-report version';
