-- fzzf core schema: runs, sites, the fetch log and raw archive, links, report versions and what was parsed from them.
-- Every table and column carries a comment "中文 / English"; `fzzf schema` prints them.

create table runs (
    run_id varchar primary key,
    started_at timestamptz not null,
    finished_at timestamptz,
    registry_path varchar,
    sites_n integer
);
comment on table runs is '夜间运行,每次一行 / Nightly runs; grain: one row per run';
comment on column runs.run_id is '运行编号 / Run id (UTC start time plus random suffix)';
comment on column runs.started_at is '开始时间 / When the run started';
comment on column runs.finished_at is '结束时间(未结束为空) / When the run finished (null while running or after a crash)';
comment on column runs.registry_path is '站点登记文件 / Registry TOML the run read';
comment on column runs.sites_n is '站点数 / Number of sites in the registry';

create table sites (
    site_id varchar primary key,
    name varchar not null,
    province varchar not null,
    city varchar,
    district varchar,
    level varchar not null,
    admin_code varchar,
    family varchar,
    start_urls varchar[],
    updated_run_id varchar
);
comment on table sites is '被采集的政府网站 / Sites crawled; grain: one row per registry site (latest registry wins)';
comment on column sites.site_id is '站点编号 / Registry site id';
comment on column sites.name is '站点名称 / Government or department name';
comment on column sites.province is '省份 / Province';
comment on column sites.city is '地级市 / Prefecture-level city';
comment on column sites.district is '区县名称 / District (area) the site reports for';
comment on column sites.level is '层级 / Level: province|city|district|county|department';
comment on column sites.admin_code is '行政区划代码(6位) / 6-digit administrative division code';
comment on column sites.family is '网站系统类型 / CMS family (trs, hanweb, ...)';
comment on column sites.start_urls is '栏目列表页 / List pages the crawl starts from';
comment on column sites.updated_run_id is '最近更新的运行 / Run that last wrote this row';

create table run_sites (
    run_id varchar not null,
    site_id varchar not null,
    status varchar not null,
    detail varchar,
    started_at timestamptz,
    finished_at timestamptz,
    list_pages integer,
    links_n integer,
    reports_found integer,
    lookalikes_skipped integer,
    pages_parsed integer,
    unchanged_n integer,
    failed_n integer,
    requests_n integer,
    primary key (run_id, site_id)
);
comment on table run_sites is '每次运行各站点的结果 / Typed outcome of each site in each run; grain: one row per run × site';
comment on column run_sites.run_id is '运行编号 / Run id';
comment on column run_sites.site_id is '站点编号 / Site id';
comment on column run_sites.status is '站点结果 / Site outcome: ok, robots_denied, tls_error, waf_challenge, not_found, timeout, redesign_suspected, unreachable, error';
comment on column run_sites.detail is '说明 / Human-readable detail of the outcome';
comment on column run_sites.started_at is '采集开始 / Crawl start';
comment on column run_sites.finished_at is '采集结束 / Crawl end';
comment on column run_sites.list_pages is '列表页数 / List pages read';
comment on column run_sites.links_n is '发现链接数 / Links found on list pages';
comment on column run_sites.reports_found is '报告链接数 / Links classified as annual reports';
comment on column run_sites.lookalikes_skipped is '跳过的相似文件数 / Look-alike documents skipped';
comment on column run_sites.pages_parsed is '解析页面数 / New or changed pages parsed';
comment on column run_sites.unchanged_n is '未变化页面数 / Pages unchanged since the last run';
comment on column run_sites.failed_n is '失败页面数 / Pages that could not be fetched';
comment on column run_sites.requests_n is 'HTTP请求数 / HTTP requests made';

create table fetches (
    fetch_id varchar primary key,
    run_id varchar not null,
    site_id varchar not null,
    url varchar not null,
    final_url varchar,
    status integer,
    etag varchar,
    last_modified varchar,
    content_type varchar,
    fetched_at timestamptz not null,
    size_bytes bigint,
    sha256 varchar,
    error varchar,
    error_detail varchar,
    elapsed_s double,
    is_from_cache boolean
);
comment on table fetches is '抓取日志 / Fetch log; grain: one row per HTTP exchange (url × fetched_at × status)';
comment on column fetches.fetch_id is '抓取编号(url、时间、状态的哈希) / Fetch id: hash of url, fetched_at and status';
comment on column fetches.run_id is '运行编号 / Run that made the request';
comment on column fetches.site_id is '站点编号 / Site id';
comment on column fetches.url is '请求地址 / URL requested';
comment on column fetches.final_url is '最终地址(重定向后) / URL after redirects';
comment on column fetches.status is 'HTTP状态码 / HTTP status (null when no answer)';
comment on column fetches.etag is 'ETag 校验值 / ETag validator';
comment on column fetches.last_modified is 'Last-Modified 校验值 / Last-Modified validator';
comment on column fetches.content_type is '内容类型 / Content-Type header';
comment on column fetches.fetched_at is '抓取时间 / When fetched';
comment on column fetches.size_bytes is '字节数 / Body size in bytes';
comment on column fetches.sha256 is '内容哈希 / SHA-256 of the body (key into raw_pages)';
comment on column fetches.error is '错误类型 / Typed error: robots_denied, host_not_allowed, off_site_redirect, tls_error, timeout, connection_error, too_large, http_error, waf_challenge';
comment on column fetches.error_detail is '错误详情 / Error detail';
comment on column fetches.elapsed_s is '耗时(秒) / Seconds taken';
comment on column fetches.is_from_cache is '是否取自存档 / True when served from the archive without a request';

create table raw_pages (
    sha256 varchar primary key,
    body blob not null,
    size_bytes bigint not null,
    content_type varchar,
    first_url varchar,
    first_fetched_at timestamptz
);
comment on table raw_pages is '原始页面存档 / Raw page archive; grain: one row per distinct body (sha256), stored once';
comment on column raw_pages.sha256 is '内容哈希 / SHA-256 of the bytes';
comment on column raw_pages.body is '原始字节 / The bytes as downloaded';
comment on column raw_pages.size_bytes is '字节数 / Size in bytes';
comment on column raw_pages.content_type is '内容类型 / Content-Type when first seen';
comment on column raw_pages.first_url is '首次来源地址 / URL it was first fetched from';
comment on column raw_pages.first_fetched_at is '首次抓取时间 / When first fetched';

create table links (
    link_id varchar primary key,
    site_id varchar not null,
    url varchar not null,
    title varchar,
    list_url varchar,
    is_report boolean not null,
    kind varchar not null,
    listed_date date,
    reason varchar,
    first_run_id varchar not null
);
comment on table links is '列表页发现的链接(含相似文件) / Links found on list pages, look-alikes kept; grain: one row per site × url × title × verdict';
comment on column links.link_id is '链接编号 / Hash of site, url, title and verdict';
comment on column links.site_id is '站点编号 / Site id';
comment on column links.url is '链接地址 / Link URL';
comment on column links.title is '链接标题 / Link text on the list page';
comment on column links.list_url is '所在列表页 / List page it was found on';
comment on column links.is_report is '是否年度报告 / True when the title classifier took it for an annual report';
comment on column links.kind is '文件类型 / Classifier kind (annual_report or the look-alike kind)';
comment on column links.listed_date is '列表日期 / Date shown on the list page';
comment on column links.reason is '分类理由 / Why the classifier decided so';
comment on column links.first_run_id is '首次发现的运行 / Run that first found it';

create table reports (
    report_id varchar primary key,
    site_id varchar not null,
    url varchar not null,
    final_url varchar,
    sha256 varchar not null,
    version_no integer not null,
    is_current boolean not null,
    fetched_at timestamptz,
    run_id varchar not null,
    title varchar,
    district varchar,
    admin_code varchar,
    year integer,
    published date,
    published_from varchar,
    source varchar,
    kind varchar not null,
    issuer varchar,
    body_source varchar,
    body_chars integer,
    parts varchar[],
    missing_parts varchar[],
    flags varchar[]
);
comment on table reports is '报告版本 / Report versions; grain: one row per report version (url × content sha256); a changed page is a new version, the latest is_current';
comment on column reports.report_id is '报告版本编号 / Report version id: hash of url and content sha256';
comment on column reports.site_id is '站点编号 / Site id';
comment on column reports.url is '报告地址 / Report page URL';
comment on column reports.final_url is '最终地址 / URL after redirects';
comment on column reports.sha256 is '内容哈希 / SHA-256 of the page bytes (key into raw_pages)';
comment on column reports.version_no is '版本序号 / 1 for the first version of the URL, then 2, 3 ...';
comment on column reports.is_current is '是否当前版本 / True for the URL''s latest version';
comment on column reports.fetched_at is '抓取时间 / When this version was fetched';
comment on column reports.run_id is '载入运行 / Run that loaded this version';
comment on column reports.title is '标题 / Report title';
comment on column reports.district is '地区名称 / District (area) the report covers';
comment on column reports.admin_code is '行政区划代码 / 6-digit administrative division code';
comment on column reports.year is '报告年度 / Year reported on (not the publication year)';
comment on column reports.published is '发布日期 / Publication date';
comment on column reports.published_from is '发布日期来源 / Where the date came from (meta, byline, url)';
comment on column reports.source is '来源 / Source (发布机构) named by the page';
comment on column reports.kind is '文件类型 / Document kind; only annual_report reaches the comparison marts';
comment on column reports.issuer is '发文机关 / Issuing body';
comment on column reports.body_source is '正文来源 / Where the text came from (html, pdf, docx ...)';
comment on column reports.body_chars is '正文字数 / Characters of body text';
comment on column reports.parts is '包含的法定内容 / Required contents present (measures, problems, leadership_duty, plans, other)';
comment on column reports.missing_parts is '缺少的法定内容 / Required contents missing';
comment on column reports.flags is '完整性标记 / Integrity flags, e.g. spam_injection';

create table report_texts (
    report_id varchar primary key,
    body varchar not null
);
comment on table report_texts is '报告正文 / Report body text; grain: one row per report version';
comment on column report_texts.report_id is '报告版本编号 / Report version id';
comment on column report_texts.body is '正文 / Body text as extracted (used for text reuse)';

create table metrics (
    report_id varchar not null,
    metric_no integer not null,
    indicator varchar,
    label varchar not null,
    value double not null,
    unit varchar not null,
    approx boolean not null,
    raw varchar not null,
    section varchar,
    sentence varchar,
    start_pos integer,
    end_pos integer,
    qualifier varchar,
    primary key (report_id, metric_no)
);
comment on table metrics is '数字指标 / Figures; grain: one row per figure found in a report version';
comment on column metrics.report_id is '报告版本编号 / Report version id';
comment on column metrics.metric_no is '序号(文中顺序) / Order of the figure in the text, from 1';
comment on column metrics.indicator is '标准指标键(无则为空) / Canonical indicator key, null when none fits';
comment on column metrics.label is '指标名称 / Label (the noun phrase the figure quantifies)';
comment on column metrics.value is '数值(基本单位) / Value in base units: counts, 元 for money, 0-100 for %';
comment on column metrics.unit is '单位 / Unit (measure word, 元, %, 百分点)';
comment on column metrics.approx is '是否约数 / True for 余/近/约/超/多 figures (name fixed by the contract)';
comment on column metrics.raw is '原文 / Figure as written';
comment on column metrics.section is '所在章节 / Section path the figure sits in';
comment on column metrics.sentence is '所在句子 / Sentence containing the figure';
comment on column metrics.start_pos is '起始位置 / Start offset in the body text';
comment on column metrics.end_pos is '结束位置 / End offset in the body text';
comment on column metrics.qualifier is '限定 / Qualifier: null (a level), change, change_pct_points, lower_bound, range_low, range_high';

create table sections (
    report_id varchar not null,
    section_no integer not null,
    path varchar not null,
    level integer not null,
    number varchar,
    heading varchar,
    part varchar,
    start_pos integer,
    end_pos integer,
    primary key (report_id, section_no)
);
comment on table sections is '章节 / Sections; grain: one row per numbered heading of a report version';
comment on column sections.report_id is '报告版本编号 / Report version id';
comment on column sections.section_no is '序号 / Order in the report, from 1';
comment on column sections.path is '章节路径 / Section path, e.g. 一/(二)/3';
comment on column sections.level is '层级 / Heading level (1 = 一、)';
comment on column sections.number is '编号 / Number as written';
comment on column sections.heading is '标题 / Heading text';
comment on column sections.part is '法定内容 / Canonical part the section belongs to';
comment on column sections.start_pos is '起始位置 / Start offset';
comment on column sections.end_pos is '结束位置 / End offset';

create table report_parts (
    report_id varchar not null,
    part varchar not null,
    primary key (report_id, part)
);
comment on table report_parts is '包含的法定内容 / Required contents present; grain: one row per report version × part';
comment on column report_parts.report_id is '报告版本编号 / Report version id';
comment on column report_parts.part is '内容键 / Part key: measures, problems, leadership_duty, plans, other';

create table documents (
    report_id varchar not null,
    document_no integer not null,
    title varchar,
    doc_number varchar,
    issuer_abbr varchar,
    year integer,
    number integer,
    primary key (report_id, document_no)
);
comment on table documents is '引用文件 / Documents cited; grain: one row per citation in a report version';
comment on column documents.report_id is '报告版本编号 / Report version id';
comment on column documents.document_no is '序号 / Order in the report, from 1';
comment on column documents.title is '文件名称 / Title in 《》';
comment on column documents.doc_number is '文号 / Document number, e.g. 厅字〔2019〕28号';
comment on column documents.issuer_abbr is '发文机关代字 / Issuer abbreviation in the number';
comment on column documents.year is '文号年份 / Year in the number';
comment on column documents.number is '文号序号 / Serial in the number';

create table report_items (
    report_id varchar not null,
    item_kind varchar not null,
    item_no integer not null,
    text varchar not null,
    primary key (report_id, item_kind, item_no)
);
comment on table report_items is '问题与计划条目 / Shortcomings and plans items; grain: one row per item of a report version';
comment on column report_items.report_id is '报告版本编号 / Report version id';
comment on column report_items.item_kind is '条目类型 / problem (存在的不足) or plan (下一步打算)';
comment on column report_items.item_no is '序号 / Order within its kind, from 1';
comment on column report_items.text is '条目文字 / Item text';

create table report_flags (
    report_id varchar not null,
    flag varchar not null,
    primary key (report_id, flag)
);
comment on table report_flags is '完整性标记 / Integrity flags; grain: one row per report version × flag';
comment on column report_flags.report_id is '报告版本编号 / Report version id';
comment on column report_flags.flag is '标记 / Flag, e.g. spam_injection';

create table report_checks (
    report_id varchar not null,
    check_no integer not null,
    kind varchar not null,
    detail varchar,
    section varchar,
    primary key (report_id, check_no)
);
comment on table report_checks is '一致性核查结果 / Consistency findings (e.g. a rate not matching its parts); grain: one row per finding';
comment on column report_checks.report_id is '报告版本编号 / Report version id';
comment on column report_checks.check_no is '序号 / Order, from 1';
comment on column report_checks.kind is '核查类型 / Kind of finding';
comment on column report_checks.detail is '详情 / Detail';
comment on column report_checks.section is '所在章节 / Section path';

create table attachments (
    report_id varchar not null,
    attachment_no integer not null,
    url varchar not null,
    name varchar,
    kind varchar,
    primary key (report_id, attachment_no)
);
comment on table attachments is '附件 / Attachments linked from a report page; grain: one row per attachment link';
comment on column attachments.report_id is '报告版本编号 / Report version id';
comment on column attachments.attachment_no is '序号 / Order, from 1';
comment on column attachments.url is '附件地址 / Attachment URL';
comment on column attachments.name is '附件名称 / Link text';
comment on column attachments.kind is '附件类型 / pdf, docx, doc, wps ...';

comment on table schema_migrations is '已应用的迁移 / Schema migrations applied; grain: one row per migration file';
comment on column schema_migrations.version is '迁移版本号 / Migration number (NNN of NNN_name.sql)';
comment on column schema_migrations.name is '迁移名称 / Migration file stem';
comment on column schema_migrations.applied_at is '应用时间 / When it was applied';
