-- Figure scopes are in the accepted list (parsers.records.SCOPES), or null for the year reported on.
select m.report_id, m.metric_no, m.scope, m.raw
from metrics as m
left join ref_scopes as s on s.figure_scope = m.scope
where m.scope is not null and s.figure_scope is null
