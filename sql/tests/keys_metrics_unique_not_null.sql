-- metrics (report_id, metric_no) is unique and not null.
select report_id, metric_no, count(*) as rows_n
from metrics
group by report_id, metric_no
having report_id is null or metric_no is null or count(*) > 1
