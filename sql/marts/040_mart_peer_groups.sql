-- depends on: mart_indicator_matrix
-- Peer groups of similar size. Without population data, size is read from the reports themselves: the
-- district's mean percentile, within its level, across every count or money indicator and year it reports.
-- Districts of one level are then cut into five groups (1 = smallest).
create or replace table mart_peer_groups as
with volumes as (
    select
        district_id,
        level,
        percent_rank() over (partition by level, indicator, year order by value) as pr
    from mart_indicator_matrix
    where unit <> '%'
),
sizes as (
    select
        district_id,
        level,
        avg(pr) as size_score,
        count(*) as figures_used_n
    from volumes
    group by district_id, level
),
grouped as (
    select
        s.*,
        ntile(5) over (partition by s.level order by s.size_score, s.district_id) as peer_group
    from sizes as s
),
final as (
    select
        g.district_id,
        d.district,
        d.province,
        d.city,
        g.level,
        round(g.size_score * 100, 1) as size_score,
        g.figures_used_n,
        g.peer_group,
        count(*) over (partition by g.level, g.peer_group) as peers_n
    from grouped as g
    inner join (
        select district_id, any_value(district) as district, any_value(province) as province,
               any_value(city) as city
        from mart_indicator_matrix
        group by district_id
    ) as d on d.district_id = g.district_id
)
select * from final;

comment on table mart_peer_groups is '规模相近的同类组 / Peer groups of similar size within a level (1 = smallest of 5); grain: one row per district';
