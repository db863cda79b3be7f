-- Site outcomes, fetch errors and levels are typed values.
with bad as (
    select 'run_sites.status' as col, status as value from run_sites
    where status not in (select status from ref_site_statuses)
    union all
    select 'fetches.error', error from fetches
    where error is not null and error not in (select error from ref_fetch_errors)
    union all
    select 'sites.level', level from sites
    where level not in (select level from ref_levels)
),
final as (
    select col, value, count(*) as rows_n from bad group by col, value
)
select * from final
