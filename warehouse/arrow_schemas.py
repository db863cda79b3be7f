"""Arrow schemas of the rows `warehouse.load` inserts, one per table (column names match the migrations)."""
from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
STR = pa.string()
STRS = pa.list_(pa.string())
RUN_SCHEMA = pa.schema([("run_id", STR), ("started_at", TS), ("finished_at", TS), ("registry_path", STR),
                        ("sites_n", pa.int32()), ("status", STR), ("failure", STR)])
SITE_SCHEMA = pa.schema([("site_id", STR), ("name", STR), ("province", STR), ("city", STR), ("district", STR),
                         ("level", STR), ("admin_code", STR), ("family", STR), ("start_urls", STRS),
                         ("updated_run_id", STR)])
RUN_SITE_SCHEMA = pa.schema([("run_id", STR), ("site_id", STR), ("status", STR), ("detail", STR),
                             ("started_at", TS), ("finished_at", TS), ("list_pages", pa.int32()),
                             ("links_n", pa.int32()), ("reports_found", pa.int32()),
                             ("lookalikes_skipped", pa.int32()), ("pages_parsed", pa.int32()),
                             ("unchanged_n", pa.int32()), ("failed_n", pa.int32()), ("requests_n", pa.int32())])
FETCH_SCHEMA = pa.schema([("fetch_id", STR), ("run_id", STR), ("site_id", STR), ("url", STR), ("final_url", STR),
                          ("status", pa.int32()), ("etag", STR), ("last_modified", STR), ("content_type", STR),
                          ("fetched_at", TS), ("size_bytes", pa.int64()), ("sha256", STR), ("error", STR),
                          ("error_detail", STR), ("elapsed_s", pa.float64()), ("is_from_cache", pa.bool_())])
RAW_SCHEMA = pa.schema([("sha256", STR), ("body", pa.binary()), ("size_bytes", pa.int64()),
                        ("content_type", STR), ("first_url", STR), ("first_fetched_at", TS)])
LINK_SCHEMA = pa.schema([("link_id", STR), ("site_id", STR), ("url", STR), ("title", STR), ("list_url", STR),
                         ("is_report", pa.bool_()), ("kind", STR), ("listed_date", pa.date32()), ("reason", STR),
                         ("first_run_id", STR)])
REPORT_SCHEMA = pa.schema([("report_id", STR), ("site_id", STR), ("url", STR), ("final_url", STR), ("sha256", STR),
                           ("fetched_at", TS), ("run_id", STR), ("title", STR), ("district", STR),
                           ("admin_code", STR), ("year", pa.int32()), ("published", pa.date32()),
                           ("published_from", STR), ("source", STR), ("kind", STR), ("issuer", STR),
                           ("body_source", STR), ("body_chars", pa.int32()), ("body_pages", pa.int32()),
                           ("parts", STRS), ("missing_parts", STRS), ("flags", STRS), ("text_sha", STR),
                           ("text_simhash", pa.uint64())])
TEXT_SCHEMA = pa.schema([("report_id", STR), ("body", STR)])
METRIC_SCHEMA = pa.schema([("report_id", STR), ("metric_no", pa.int32()), ("indicator", STR), ("label", STR),
                           ("value", pa.float64()), ("unit", STR), ("approx", pa.bool_()), ("raw", STR),
                           ("section", STR), ("sentence", STR), ("start_pos", pa.int32()), ("end_pos", pa.int32()),
                           ("qualifier", STR), ("scope", STR)])
SECTION_SCHEMA = pa.schema([("report_id", STR), ("section_no", pa.int32()), ("path", STR), ("level", pa.int32()),
                            ("number", STR), ("heading", STR), ("part", STR), ("start_pos", pa.int32()),
                            ("end_pos", pa.int32())])
PART_SCHEMA = pa.schema([("report_id", STR), ("part", STR)])
DOC_SCHEMA = pa.schema([("report_id", STR), ("document_no", pa.int32()), ("title", STR), ("doc_number", STR),
                        ("issuer_abbr", STR), ("year", pa.int32()), ("number", pa.int32())])
ITEM_SCHEMA = pa.schema([("report_id", STR), ("item_kind", STR), ("item_no", pa.int32()), ("text", STR)])
FLAG_SCHEMA = pa.schema([("report_id", STR), ("flag", STR)])
CHECK_SCHEMA = pa.schema([("report_id", STR), ("check_no", pa.int32()), ("kind", STR), ("detail", STR),
                          ("section", STR)])
ATTACHMENT_SCHEMA = pa.schema([("report_id", STR), ("attachment_no", pa.int32()), ("url", STR), ("name", STR),
                               ("kind", STR)])
