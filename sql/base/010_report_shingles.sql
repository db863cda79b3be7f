-- depends on: report_texts, reports
-- writes: report_shingles
-- Character 8-gram shingles of report texts, for the text-reuse marts. Whitespace and punctuation are
-- dropped and every digit run becomes '0', so a report copied with new figures still matches. Only
-- shingles whose hash is divisible by 4 are kept: the same shingle is kept or dropped in every report,
-- so Jaccard similarity estimates stay unbiased. Each new annual-report version is shingled once into the
-- base table report_shingles (a cache kept across nights); staging only reads it.
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
