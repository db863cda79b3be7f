-- A report cannot resolve more disputes than it screened, nor mediate more successes than cases.
with pairs as (
    select
        report_id,
        district,
        year,
        max(value) filter (where indicator = 'disputes_screened') as disputes_screened,
        max(value) filter (where indicator = 'disputes_resolved') as disputes_resolved,
        max(value) filter (where indicator = 'mediation_cases') as mediation_cases,
        max(value) filter (where indicator = 'mediation_success') as mediation_success
    from stg_indicator_values
    group by report_id, district, year
),
final as (
    select *
    from pairs
    where disputes_resolved > disputes_screened or mediation_success > mediation_cases
)
select * from final
