-- Scanned reports: how many PDF pages the body text came from (read from the text layer or by OCR).
alter table reports add column body_pages integer;
comment on column reports.body_pages is '正文页数 / PDF pages the body text was read from (OCR or text layer); null for HTML bodies';
