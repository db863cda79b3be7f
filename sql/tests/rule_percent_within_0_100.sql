-- A percentage level (not a change) lies between 0 and 100.
select report_id, metric_no, indicator, value, raw
from metrics
where unit = '%' and qualifier is null and (value < 0 or value > 100)
