-- One audit row per registry government and year.
select site_id, year, count(*) as n
from mart_publication_audit
group by site_id, year
having count(*) > 1
