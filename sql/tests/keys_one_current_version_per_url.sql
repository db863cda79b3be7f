-- Every report URL has exactly one current version, unless the URL's report is a duplicate of another
-- (the same text under another URL, or a repost: reports.duplicate_of), which has none.
select url, count(*) filter (where is_current) as current_n
from reports
group by url
having count(*) filter (where is_current) > 1
    or (count(*) filter (where is_current) = 0 and count(*) filter (where duplicate_of is not null) = 0)
