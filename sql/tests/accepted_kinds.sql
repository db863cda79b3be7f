-- Document kinds are the classifier's (ref_kinds, generated from fzzf.vocab.DocKind), and a link taken for a report is an annual_report.
with bad as (
    select 'reports.kind' as col, kind as value from reports where kind not in (select kind from ref_kinds)
    union all
    select 'links.kind', kind from links where kind not in (select kind from ref_kinds)
    union all
    select 'links.is_report', kind from links where is_report <> (kind = 'annual_report')
),
final as (
    select col, value, count(*) as rows_n from bad group by col, value
)
select * from final
