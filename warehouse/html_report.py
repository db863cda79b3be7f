"""A small static HTML report of the published warehouse for the nightly run (charts plus summary tables).

The page embeds the subset of the bundled CJK font it needs (`fonts.font_face_css`), so its Chinese renders on a
machine without CJK system fonts; tests/warehouse/test_report_browser.py checks that in headless Chromium.
"""
from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

from fzzf.warehouse import db, query
from fzzf.warehouse.charts import plot_comparison
from fzzf.warehouse.csvsafe import number
from fzzf.warehouse.fonts import WEB_FAMILY, font_face_css

TOP_INDICATORS = 6
FLAG = "※"
_STYLE = (f"body{{font-family:'{WEB_FAMILY}','Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;"
          "max-width:1100px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}"
          "td.n{text-align:right}img{max-width:100%}.flag{color:#c00}")


def write_html_report(db_path: Path, out_dir: Path) -> Path:
    """Write `index.html` and one PNG per most-reported indicator into `out_dir`; returns the HTML path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = db.connect_read(Path(db_path))
    try:
        indicators = [row for row in query.list_indicators(con) if row[4] > 0][:TOP_INDICATORS]
        charts = []
        for key, name, unit, districts_n, values_n, _, _ in indicators:
            comparison = query.compare(con, key)
            png = plot_comparison(comparison, out_dir / f"{key}.png")
            charts.append((key, name, unit, districts_n, values_n, png.name))
        compliance = con.execute(
            "select year, reports_n, on_time_n, on_time_pct, complete_n, complete_pct "
            "from mart_compliance_summary where scope = 'year' order by year").fetchall()
        districts = query.list_districts(con)
        flagged = con.execute(
            "select district, year, indicator_name, value, unit, quality_detail, indicator "
            "from mart_indicator_matrix where quality is not null "
            "order by province, district, year, indicator").fetchall()
    finally:
        con.close()
    page = render(charts, compliance, districts, flagged)
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def render(charts: list[tuple], compliance: list[tuple], districts: list[tuple], flagged: list[tuple]) -> str:
    """The whole page: its body first, then a head whose font holds exactly the body's characters."""
    body = _body(charts, compliance, districts, flagged)
    title = "fzzf 法治政府建设年度报告比较"
    # The subset covers every character of the page (title and body), so no glyph falls back to a system font.
    style = font_face_css(title + body) + _STYLE
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{style}</style></head><body>\n{body}\n</body></html>")


def _body(charts: list[tuple], compliance: list[tuple], districts: list[tuple], flagged: list[tuple]) -> str:
    esc = html.escape
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = ["<h1>法治政府建设年度报告比较 / Rule-of-law report comparison</h1>",
             f"<p>生成时间 / generated {esc(stamp)} · 区县 / districts: {len(districts)}</p>",
             "<h2>按时发布与内容完整 / Timeliness and completeness</h2>",
             _table(["年度 year", "报告 reports", "按时 on time", "按时率 %", "完整 complete", "完整率 %"], compliance)]
    for key, name, unit, districts_n, values_n, png in charts:
        parts.append(f"<h2>{esc(name)} <small>{esc(key)} ({esc(unit or '')})</small></h2>"
                     f"<p>{districts_n} 个区县 / districts, {values_n} 个数值 / values</p>"
                     f"<img src='{esc(png)}' alt='{esc(name)}'>")
        marked = [row for row in flagged if row[6] == key]
        if marked:
            # Every flagged value of the charted indicator is named under its chart, even when the chart's
            # series cap leaves its district out.
            parts.append(f"<p class='flag'>{FLAG} 有质量标记 / flagged: " + "; ".join(
                f"{esc(d)} {y}: {number(v)}{esc(u or '')}" for d, y, _, v, u, _, _ in marked)
                + " (<a href='#quality'>质量标记 / see below</a>)</p>")
    if flagged:
        parts.append("<h2 id='quality'>质量标记 / Flagged figures</h2><p>下列数值被一致性检查标记(图中红圈)。 / "
                     "These values are questioned by a consistency check (red rings in the charts).</p>")
        parts.append(_table(["区县 district", "年度 year", "指标 indicator", f"数值 value {FLAG}", "单位 unit",
                             "质量说明 quality"],
                            [(d, y, n, _Flagged(v), u, q) for d, y, n, v, u, q, _ in flagged]))
    parts.append("<h2>区县 / Districts</h2>")
    parts.append(_table(["编号 id", "区县 district", "省 province", "市 city", "层级 level", "报告 reports",
                         "首年 first", "末年 last", "数值 values"], districts))
    return "\n".join(parts)


class _Flagged:
    """A value a check questions: printed with its mark."""

    def __init__(self, value: float | None) -> None:
        self.value = value

    def __str__(self) -> str:
        return f"{number(self.value)} {FLAG}"


def _table(header: list[str], rows: list[tuple]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(value: object) -> str:
    if isinstance(value, _Flagged):
        return f"<td class='n flag'>{html.escape(str(value))}</td>"
    if isinstance(value, (int, float)):
        return f"<td class='n'>{number(value)}</td>"
    return f"<td>{html.escape(str(value or ''))}</td>"
