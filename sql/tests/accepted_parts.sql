-- Part keys are the canonical ones (parsers.records.PARTS), in report_parts, sections and reports.parts.
with used as (
    select report_id, part, 'report_parts' as source from report_parts
    union all
    select report_id, part, 'sections' from sections where part is not null
    union all
    select report_id, unnest(parts), 'reports.parts' from reports
),
final as (
    select u.* from used as u left join ref_parts as p on p.part = u.part where p.part is null
)
select * from final
