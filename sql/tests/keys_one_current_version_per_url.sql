-- Every report URL has exactly one current version.
select url, count(*) filter (where is_current) as current_n
from reports
group by url
having count(*) filter (where is_current) <> 1
