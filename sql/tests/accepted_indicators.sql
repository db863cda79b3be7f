-- Indicator keys are canonical (docs/contract.md, parsers/indicators.toml) or null.
select m.report_id, m.metric_no, m.indicator
from metrics as m
left join ref_indicators as i on i.indicator = m.indicator
where m.indicator is not null and i.indicator is null
