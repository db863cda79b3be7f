-- reports.report_id is unique and not null.
select report_id, count(*) as rows_n
from reports
group by report_id
having report_id is null or count(*) > 1
