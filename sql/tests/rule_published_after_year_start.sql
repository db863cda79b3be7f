-- A report on year Y cannot be published before 1 January of Y.
select report_id, url, year, published
from reports
where published is not null and year is not null and published < make_date(year, 1, 1)
