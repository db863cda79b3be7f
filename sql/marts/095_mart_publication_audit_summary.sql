-- depends on: mart_publication_audit
-- The audit counted per province, level and year, as auditors tabulate it.
create or replace table mart_publication_audit_summary as
with final as (
    select
        province,
        level,
        year,
        count(*) as governments_n,
        count(*) filter (where is_found) as found_n,
        count(*) filter (where audit_status = 'on_time') as on_time_n,
        count(*) filter (where audit_status = 'late') as late_n,
        count(*) filter (where audit_status = 'found_undated') as found_undated_n,
        count(*) filter (where audit_status = 'missing') as missing_n,
        count(*) filter (where audit_status = 'not_yet_due') as not_yet_due_n,
        count(*) filter (where audit_status = 'unknown') as unknown_n,
        count(*) filter (where is_complete) as complete_n,
        round(100.0 * count(*) filter (where audit_status = 'on_time')
              / nullif(count(*) filter (where audit_status not in ('unknown', 'not_yet_due')), 0), 1)
            as governments_on_time_pct,
        max(days_late) as max_days_late
    from mart_publication_audit
    group by province, level, year
)
select * from final
order by province, level, year;

comment on table mart_publication_audit_summary is '公开审计汇总 / Publication audit counted per province, level and year; governments_on_time_pct is over governments whose column was reached or whose report was found, leaving out those whose report is not yet due; grain: province × level × year';
