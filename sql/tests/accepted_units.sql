-- Figure units are ones the parser recognises (ref_units, generated from parsers/units.toml).
select m.report_id, m.metric_no, m.unit, m.raw
from metrics as m
left join ref_units as u on u.unit = m.unit
where u.unit is null
