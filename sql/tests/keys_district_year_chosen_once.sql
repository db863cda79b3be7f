-- The comparison marts see exactly one report per district × year.
select district_id, year, count(*) as chosen_n
from stg_reports
where is_chosen
group by district_id, year
having count(*) <> 1
