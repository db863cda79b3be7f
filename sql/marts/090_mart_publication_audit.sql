-- depends on: runs, sites, run_sites, stg_reports
-- The publication audit CASS's auditors do by hand each spring: for every government in the registry and every
-- year, was its report found, public before 1 April of the next year (厅字〔2019〕28号 Art. 24) or late (by how
-- many days), with the four required parts? A government whose column was reached but holds no report for a
-- year is `missing`; one whose column was never reached is `unknown` (not silently absent). Until 1 April of the
-- next year has come (on the day, Asia/Shanghai, the latest run started) a year without a report is
-- `not_yet_due`: a government is not late before its deadline. Years run from the earliest to the latest year
-- any report in the warehouse covers. The statuses are fzzf.vocab.AuditStatus (ref_audit_statuses).
create or replace table mart_publication_audit as
with latest_run as (
    select run_id from runs order by started_at desc, run_id desc limit 1
),
registry as (
    select s.*
    from sites as s
    where s.updated_run_id = (select run_id from latest_run) or not exists (select 1 from latest_run)
),
as_of as (
    select coalesce(
        (select cast(timezone('Asia/Shanghai', r.started_at) as date)
         from runs as r where r.run_id = (select run_id from latest_run)),
        current_date
    ) as as_of
),
reach as (
    select
        site_id,
        bool_or(coalesce(list_pages, 0) > 0) as column_reached,
        arg_max(status, started_at) as last_status
    from run_sites
    group by site_id
),
years as (
    select unnest(range(min(year), max(year) + 1)) as year from stg_reports
),
chosen as (
    select * from stg_reports where is_chosen
),
grid as (
    select
        g.site_id,
        g.name,
        coalesce(g.district, g.name) as district,
        g.admin_code,
        g.province,
        g.city,
        g.level,
        y.year,
        make_date(y.year + 1, 4, 1) as deadline,
        a.as_of,
        coalesce(r.column_reached, false) as column_reached,
        r.last_status
    from registry as g
    cross join years as y
    cross join as_of as a
    left join reach as r on r.site_id = g.site_id
),
final as (
    select
        grid.site_id,
        grid.name,
        grid.district,
        grid.admin_code,
        grid.province,
        grid.city,
        grid.level,
        grid.year,
        case
            when c.report_id is null and grid.as_of < grid.deadline then 'not_yet_due'
            when c.report_id is null and grid.column_reached then 'missing'
            when c.report_id is null then 'unknown'
            when c.published is null then 'found_undated'
            when c.published < grid.deadline then 'on_time'
            else 'late'
        end as audit_status,
        c.report_id is not null as is_found,
        case when c.published is not null then c.published < grid.deadline end as is_on_time,
        case when c.published >= grid.deadline then date_diff('day', grid.deadline, c.published) + 1 end as days_late,
        c.published,
        grid.deadline,
        grid.as_of,
        c.report_id,
        c.url,
        case when c.report_id is not null then 4 - len(coalesce(c.missing_parts, [])) end as parts_present_n,
        c.missing_parts,
        case when c.report_id is not null then len(coalesce(c.missing_parts, [])) = 0 end as is_complete,
        grid.column_reached,
        grid.last_status
    from grid
    left join chosen as c on c.district_id = grid.site_id and c.year = grid.year
)
select * from final
order by province, level, site_id, year;

comment on table mart_publication_audit is '法治政府建设年度报告公开审计 / Publication audit: found, on time (before 1 April), late (days), missing, not yet due or unknown, with required parts; grain: registry government × year';
