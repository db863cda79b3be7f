-- One report, counted once: the identity of a version's text, and the version it duplicates (the same
-- report reached under another URL of its site, or reposted by another government's site).
alter table reports add column text_sha varchar;
alter table reports add column duplicate_of varchar;
comment on column reports.text_sha is '正文标识 / SHA-256 of the report text in NFKC without whitespace or punctuation (same text, same report)';
comment on column reports.duplicate_of is '重复于 / The current version this one duplicates (same text under another URL, or a repost of the same district''s report); duplicates are never current';
