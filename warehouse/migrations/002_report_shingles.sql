-- Shingles are computed once per report version (its text never changes: the id is content-addressed),
-- so the nightly build only shingles new versions instead of the whole archive.
create table report_shingles (
    report_id varchar not null,
    shingle ubigint not null
);
comment on table report_shingles is '报告文本片段哈希 / Sampled 8-character shingle hashes of each annual-report version, computed once; grain: report version × distinct shingle';
comment on column report_shingles.report_id is '报告版本编号 / Report version id';
comment on column report_shingles.shingle is '片段哈希 / Hash of an 8-character window of the normalised text (kept when divisible by 4)';
