-- depends on: mart_indicator_matrix
-- Rank and percentile of each value among districts of the same province, city and level, per year.
-- Rank 1 is the largest value (ties share a rank). The percentile is the share of the other districts whose
-- value is at or below this one (100 = largest), taken from the same descending rank so each grouping
-- needs one sort. For loss or correction rates, lower is better.
create or replace table mart_indicator_rank as
with ranked as (
    select
        *,
        rank() over (partition by year, indicator, province order by value desc) as rank_in_province,
        count(*) over (partition by year, indicator, province) as province_n,
        rank() over (partition by year, indicator, province, city order by value desc) as rank_in_city,
        count(*) over (partition by year, indicator, province, city) as city_n,
        rank() over (partition by year, indicator, level order by value desc) as rank_in_level,
        count(*) over (partition by year, indicator, level) as level_n
    from mart_indicator_matrix
),
final as (
    select
        district_id,
        district,
        province,
        city,
        level,
        year,
        indicator,
        indicator_name,
        value,
        unit,
        rank_in_province,
        province_n,
        round(coalesce((province_n - rank_in_province) / nullif(province_n - 1, 0), 0) * 100, 1) as percentile_in_province,
        case when city is not null then rank_in_city end as rank_in_city,
        case when city is not null then city_n end as city_n,
        case when city is not null then round(coalesce((city_n - rank_in_city) / nullif(city_n - 1, 0), 0) * 100, 1) end as percentile_in_city,
        rank_in_level,
        level_n,
        round(coalesce((level_n - rank_in_level) / nullif(level_n - 1, 0), 0) * 100, 1) as percentile_in_level
    from ranked
)
select * from final;

comment on table mart_indicator_rank is '省/市/层级内排名 / Rank (1 = largest) and percentile within province, city and level; grain: district × year × indicator';
