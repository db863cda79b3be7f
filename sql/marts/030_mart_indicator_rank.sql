-- Rank and percentile of each value among districts of the same province, city and level, per year.
-- Rank 1 is the largest value; percentile 100 is the largest (for loss or correction rates, lower is better).
create or replace table mart_indicator_rank as
with ranked as (
    select
        *,
        rank() over (partition by year, indicator, province order by value desc) as rank_in_province,
        count(*) over (partition by year, indicator, province) as province_n,
        percent_rank() over (partition by year, indicator, province order by value) as pr_province,
        rank() over (partition by year, indicator, province, city order by value desc) as rank_in_city,
        count(*) over (partition by year, indicator, province, city) as city_n,
        percent_rank() over (partition by year, indicator, province, city order by value) as pr_city,
        rank() over (partition by year, indicator, level order by value desc) as rank_in_level,
        count(*) over (partition by year, indicator, level) as level_n,
        percent_rank() over (partition by year, indicator, level order by value) as pr_level
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
        round(pr_province * 100, 1) as percentile_in_province,
        case when city is not null then rank_in_city end as rank_in_city,
        case when city is not null then city_n end as city_n,
        case when city is not null then round(pr_city * 100, 1) end as percentile_in_city,
        rank_in_level,
        level_n,
        round(pr_level * 100, 1) as percentile_in_level
    from ranked
)
select * from final;

comment on table mart_indicator_rank is '省/市/层级内排名 / Rank (1 = largest) and percentile within province, city and level; grain: district × year × indicator';
