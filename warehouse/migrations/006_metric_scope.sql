-- The time a figure covers (issue #8): null for the year reported on, else cumulative (自…以来, 累计),
-- multi_year (近三年, 五年来), as_of (截至目前) or per_period (每两月1次, a cadence). The marts choose a year's
-- value among the null-scope figures first.
alter table metrics add column scope varchar;
comment on column metrics.scope is '时间范围 / Scope, null for the year reported on: cumulative, multi_year, as_of, per_period';
