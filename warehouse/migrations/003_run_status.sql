-- A run's end state, so a crashed run is told apart from one still running: the next run marks it aborted.
alter table runs add column status varchar;
alter table runs add column failure varchar;
update runs set status = case when finished_at is null then 'aborted' else 'completed' end;
comment on column runs.status is '运行状态 / running|completed|failed|aborted (a run that died is marked aborted by the next one)';
comment on column runs.failure is '失败原因 / Why the run failed (null unless failed)';
