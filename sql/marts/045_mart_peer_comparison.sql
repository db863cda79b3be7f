-- depends on: mart_indicator_matrix, mart_peer_groups
-- Each value against the median of its peer group (same level and size group) in the same year.
create or replace table mart_peer_comparison as
with joined as (
    select
        m.*,
        p.peer_group
    from mart_indicator_matrix as m
    inner join mart_peer_groups as p on p.district_id = m.district_id
),
final as (
    select
        district_id,
        district,
        province,
        level,
        peer_group,
        year,
        indicator,
        indicator_name,
        unit,
        value,
        median(value) over w as peer_median,
        count(*) over w as peers_reporting_n,
        round(value / nullif(median(value) over w, 0), 3) as value_to_peer_median
    from joined
    window w as (partition by level, peer_group, year, indicator)
)
select * from final;

comment on table mart_peer_comparison is '与同类组中位数比较 / Value against its peer group''s median; grain: district × year × indicator';
