-- Document kinds are snake_case keys, and a link taken for a report is of kind annual_report.
with bad as (
    select 'reports.kind' as col, kind as value from reports where not regexp_full_match(kind, '[a-z][a-z0-9_]*')
    union all
    select 'links.kind', kind from links where not regexp_full_match(kind, '[a-z][a-z0-9_]*')
    union all
    select 'links.is_report', kind from links where is_report and kind <> 'annual_report'
),
final as (
    select col, value, count(*) as rows_n from bad group by col, value
)
select * from final
