-- Near-identical texts are one report too (issue #9): a repost with its own 来源 and 编辑 lines, a page re-typed
-- with one character corrected. The load compares the SimHash of current reports of one area and year.
alter table reports add column text_simhash ubigint;
comment on column reports.text_simhash is '正文近似指纹 / 64-bit SimHash of the normalised text over 8-character shingles (near-identical texts differ in few bits)';
