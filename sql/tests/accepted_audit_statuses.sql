-- The audit's statuses are the five it documents, and they agree with the flags beside them.
select *
from mart_publication_audit
where audit_status not in ('on_time', 'late', 'found_undated', 'missing', 'unknown')
    or (audit_status in ('on_time', 'late', 'found_undated')) <> is_found
    or (audit_status = 'late' and (days_late is null or days_late < 1))
    or (audit_status = 'missing' and not column_reached)
