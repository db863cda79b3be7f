"""Benchmark the comparison marts on a synthetic warehouse of 3,000 districts × 10 years.

Run: `.venv/bin/python -m bench.marts_bench [--districts 3000] [--years 10] [--keep DIR]`.
Every place, figure and text in the synthetic warehouse is fictional, generated in SQL.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from fzzf.warehouse import db, marts, query, sqlgraph

# A sentence pool large enough that unrelated reports share little, as real ones do; 1 report in 100
# copies another district's text of the same year, so the text-reuse marts have something to find.
SENTENCE_POOL = 200_000
COPY_EVERY = 100
# What an analyst runs once the marts exist: one indicator over every district, by district and by year.
ANALYST_COMPARISONS = (("disputes_screened", "district"), ("dispute_resolution_rate", "year"))
SENTENCES_PER_REPORT = 40
PROBLEM_PHRASES = ("执法人员专业素质有待提高", "基层法治力量薄弱", "普法宣传针对性不强", "重大行政决策程序不够规范",
                   "数字政府建设滞后", "矛盾纠纷化解压力较大", "营商环境有待优化", "监督考核机制不健全")
GENERATE_SQL = """
insert into runs values ('bench', now(), now(), 'bench', $districts, 'completed', null);
insert into sites
select 's' || i, '虚构' || i || '区', '虚构省' || (i % 31), '虚构市' || (i % 330), '虚构' || i || '区',
       case when i % 10 = 0 then 'county' else 'district' end, null, 'synthetic', ['http://bench.test/'], 'bench'
from range($districts) t(i);
create temp table pool as
select i as sentence_no,
       string_agg(chr(19968 + (hash(i * 31 + j) % 6000)::int), '') as sentence
from range($pool) a(i), range(18) b(j)
group by i;
insert into reports
select md5('s' || d || '-' || y) as report_id, 's' || d, 'http://bench.test/' || d || '/' || y || '.html', null,
       md5('body' || d || y), 1, true, now(), 'bench', '虚构' || d || '区' || y || '年法治政府建设年度报告',
       '虚构' || d || '区', null, y, make_date(y + 1, 1, 1) + (hash(d, y) % 120)::int, 'meta', null,
       'annual_report', null, 'html', 800,
       ['measures', 'problems', 'leadership_duty', 'plans'],
       case when hash(d, y, 'parts') % 10 = 0 then ['plans'] else [] end, [], null, null, null,
       null  -- text_simhash: the synthetic texts are unrelated by construction
from range($districts) a(d), range(2024 - $years, 2024) b(y);
insert into report_texts
with picks as (
    select r.report_id, k, hash(r.report_id, k) % $pool as sentence_no
    from reports as r, range($sentences) s(k)
)
select picks.report_id, string_agg(pool.sentence, '。' order by picks.k)
from picks
join pool using (sentence_no)
group by picks.report_id;
update report_texts as t
set body = src.body
from reports as r, reports as other, report_texts as src
where r.report_id = t.report_id
    and hash(r.report_id) % $copy_every = 0
    and other.year = r.year
    and other.site_id = 's' || ((replace(r.site_id, 's', '')::int + 1) % $districts)
    and src.report_id = other.report_id;
insert into metrics
select r.report_id, row_number() over (partition by r.report_id order by i.indicator) as metric_no,
       i.indicator, i.name_zh,
       case when i.unit = '%' then 50 + (hash(r.report_id, i.indicator) % 50)
            else (10 + hash(r.site_id, i.indicator) % 1000) * (1 + (r.year - 2014) * 0.05) end,
       i.unit, false, 'synthetic', '一', '', 0, 0, null, null
from reports as r, ref_indicators as i
where hash(r.report_id, i.indicator) % 3 <> 0;
insert into report_items
select r.report_id, 'problem', k + 1, p.phrase
from reports as r, range(3) s(k),
     (select unnest($phrases) as phrase, generate_subscripts($phrases, 1) as n) as p
where p.n = 1 + hash(r.report_id, k) % len($phrases);
"""


def main() -> None:
    """Generate the synthetic warehouse, build the marts, then time each mart query; print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=3000, help="number of synthetic districts (default 3000)")
    parser.add_argument("--years", type=int, default=10, help="years per district, ending 2023 (default 10)")
    parser.add_argument("--keep", type=Path, help="build the warehouse in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fzzf-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.duckdb"
    for stale in (path, db.work_path(path)):
        stale.unlink(missing_ok=True)
    con = db.connect_work(path)
    try:
        marts.load_reference_tables(con)
        started = time.perf_counter()
        _generate(con, {"districts": args.districts, "years": args.years, "pool": SENTENCE_POOL,
                        "sentences": SENTENCES_PER_REPORT, "phrases": list(PROBLEM_PHRASES),
                        "copy_every": COPY_EVERY})
        generated = time.perf_counter() - started
        counts = {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
                  for t in ("reports", "metrics", "report_texts", "report_items")}
        files = [model.path for model in sqlgraph.build_order(sqlgraph.load_models())]
        first = [_time_file(con, path) for path in files]
        # The nightly case: report versions shingled on an earlier night are not shingled again.
        again = [_time_file(con, path) for path in files]
        analyst = [_time_compare(con, key, by) for key, by in ANALYST_COMPARISONS]
    finally:
        con.close()
    print(f"synthetic warehouse: {args.districts} districts × {args.years} years -> "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + f" (generated in {generated:.1f} s)")
    print(f"{'relation (one SQL file each)':<36}{'rows':>12}{'first build s':>15}{'rebuild s':>11}")
    for (name, rows, seconds), (_, _, seconds_again) in zip(first, again):
        print(f"{name:<36}{rows:>12,}{seconds:>15.3f}{seconds_again:>11.3f}")
    print(f"{'total':<36}{'':>12}{sum(t[2] for t in first):>15.3f}{sum(t[2] for t in again):>11.3f}")
    print(f"{'analyst query (fzzf compare)':<36}{'rows':>12}{'seconds':>15}")
    for label, rows, seconds in analyst:
        print(f"{label:<36}{rows:>12,}{seconds:>15.3f}")


def _generate(con, params: dict) -> None:
    """Run the generator statements one by one (DuckDB binds parameters per statement)."""
    for statement in GENERATE_SQL.split(";\n"):
        if statement.strip():
            used = {k: v for k, v in params.items() if f"${k}" in statement}
            con.execute(statement, used)


def _time_compare(con, indicator: str, by: str) -> tuple[str, int, float]:
    """Time one `fzzf compare` query over the materialised marts."""
    started = time.perf_counter()
    comparison = query.compare(con, indicator, by=by)
    return f"{indicator} by {by}", len(comparison.rows), time.perf_counter() - started


def _time_file(con, path: Path) -> tuple[str, int, float]:
    """Run one staging or mart file (it materialises one table) and time it."""
    sql = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    con.execute(sql)
    seconds = time.perf_counter() - started
    name = path.stem.split("_", 1)[1]
    # `name` is the file's table, named after the file (checked by the test suite's mart list).
    rows = con.execute(f"select count(*) from {name}").fetchall()[0][0]
    return name, rows, seconds


if __name__ == "__main__":
    main()
