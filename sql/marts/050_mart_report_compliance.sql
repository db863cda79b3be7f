-- depends on: stg_reports
-- Timeliness and completeness of each chosen report. Reports must be public before 1 April of the year
-- after the year reported on (厅字〔2019〕28号 Art. 24), with the four required contents.
create or replace table mart_report_compliance as
with chosen as (
    select * from stg_reports where is_chosen
),
final as (
    select
        district_id,
        district,
        admin_code,
        province,
        city,
        level,
        year,
        report_id,
        title,
        url,
        published,
        make_date(year + 1, 4, 1) as deadline,
        date_diff('day', published, make_date(year + 1, 4, 1)) as days_before_deadline,
        published < make_date(year + 1, 4, 1) as is_on_time,
        4 - len(coalesce(missing_parts, [])) as required_parts_n,
        missing_parts,
        len(coalesce(missing_parts, [])) = 0 as is_complete,
        list_contains(coalesce(flags, []), 'spam_injection') as is_spam_flagged,
        candidates_n,
        chosen_rule
    from chosen
)
select * from final;

comment on table mart_report_compliance is '报告及时性与完整性 / Timeliness (days before 1 April of the next year) and completeness per report; grain: district × year';
