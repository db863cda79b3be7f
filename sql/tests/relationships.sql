-- Child rows point at existing parents.
with orphans as (
    select 'metrics.report_id' as relation, report_id as key from metrics
    where report_id not in (select report_id from reports)
    union all
    select 'sections.report_id', report_id from sections where report_id not in (select report_id from reports)
    union all
    select 'report_texts.report_id', report_id from report_texts where report_id not in (select report_id from reports)
    union all
    select 'report_items.report_id', report_id from report_items where report_id not in (select report_id from reports)
    union all
    select 'reports.site_id', site_id from reports where site_id not in (select site_id from sites)
    union all
    select 'reports.sha256', sha256 from reports where sha256 not in (select sha256 from raw_pages)
    union all
    select 'fetches.site_id', site_id from fetches where site_id not in (select site_id from sites)
    union all
    select 'run_sites.run_id', run_id from run_sites where run_id not in (select run_id from runs)
),
final as (
    select relation, key, count(*) as rows_n from orphans group by relation, key
)
select * from final
