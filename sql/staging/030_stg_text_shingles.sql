-- Character 8-gram shingles of each chosen report's text, for text-reuse marts. Materialised (a table)
-- because it is the expensive step. Whitespace and punctuation are dropped and every digit run becomes
-- '0', so a report copied with new figures still matches. Only shingles whose hash is divisible by 4 are
-- kept: the same shingle is kept or dropped in every report, so Jaccard similarity estimates stay unbiased.
create or replace table stg_text_shingles as
with texts as (
    select
        c.report_id,
        c.district_id,
        c.year,
        regexp_replace(
            regexp_replace(t.body, '[\s\p{P}\p{S}]+', '', 'g'),
            '[0-9０-９]+', '0', 'g'
        ) as norm
    from stg_reports as c
    inner join report_texts as t on t.report_id = c.report_id
    where c.is_chosen
),
grams as (
    -- One list per report: hash every 8-character window, keep the sampled ones, each once.
    select
        report_id,
        district_id,
        year,
        list_distinct(list_filter(
            list_transform(range(1, greatest(length(norm) - 6, 1)), lambda i: hash(substr(norm, i, 8))),
            lambda h: h % 4 = 0
        )) as shingles
    from texts
),
final as (
    select report_id, district_id, year, unnest(shingles) as shingle from grams
)
select * from final;

comment on table stg_text_shingles is '文本片段(8字哈希抽样) / Sampled 8-character shingle hashes of chosen reports; grain: report × distinct shingle';
