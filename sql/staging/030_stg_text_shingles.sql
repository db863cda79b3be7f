-- Character 8-gram shingles of report texts, for the text-reuse marts. Whitespace and punctuation are
-- dropped and every digit run becomes '0', so a report copied with new figures still matches. Only
-- shingles whose hash is divisible by 4 are kept: the same shingle is kept or dropped in every report,
-- so Jaccard similarity estimates stay unbiased. New annual-report versions are shingled into
-- report_shingles (once each); stg_text_shingles then selects the chosen reports' shingles.
insert into report_shingles
with pending as (
    select t.report_id, t.body
    from report_texts as t
    inner join reports as r on r.report_id = t.report_id
    where r.kind = 'annual_report'
        and not exists (select 1 from report_shingles as s where s.report_id = t.report_id)
),
texts as (
    select
        report_id,
        regexp_replace(regexp_replace(body, '[\s\p{P}\p{S}]+', '', 'g'), '[0-9０-９]+', '0', 'g') as norm
    from pending
),
grams as (
    -- One list per report: hash every 8-character window, keep the sampled ones, each once.
    select
        report_id,
        list_distinct(list_filter(
            list_transform(range(1, greatest(length(norm) - 6, 1)), lambda i: hash(substr(norm, i, 8))),
            lambda h: h % 4 = 0
        )) as shingles
    from texts
),
final as (
    select report_id, unnest(shingles) as shingle from grams
)
select * from final;

create or replace table stg_text_shingles as
with chosen as (
    select report_id, district_id, year from stg_reports where is_chosen
),
final as (
    select c.report_id, c.district_id, c.year, s.shingle
    from chosen as c
    inner join report_shingles as s on s.report_id = c.report_id
)
select * from final;

comment on table stg_text_shingles is '入选报告的文本片段 / Sampled 8-character shingle hashes of the chosen reports; grain: report × distinct shingle';
