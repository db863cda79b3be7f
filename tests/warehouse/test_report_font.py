"""The HTML report carries its own CJK font (a subset of the charts' Noto Sans CJK SC), charts start at zero,
and every flagged figure is marked. Every place and figure below is fictional."""
from __future__ import annotations

import base64
import html
import io
import re

import matplotlib.pyplot as plt
from fontTools.ttLib import TTFont

from fzzf.warehouse import db, query
from fzzf.warehouse.charts import draw_comparison
from fzzf.warehouse.fonts import WEB_FAMILY, cjk_font_path, subset_woff
from fzzf.warehouse.html_report import FLAG, write_html_report

_FONT = re.compile(r"@font-face\{font-family:'([^']+)';[^}]*src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)")


def _embedded(page: str) -> tuple[str, TTFont]:
    match = _FONT.search(page)
    assert match, "no embedded @font-face"
    return match.group(1), TTFont(io.BytesIO(base64.b64decode(match.group(2))))


def test_report_embeds_a_font_with_every_character_it_shows(known_db, tmp_path):
    page = write_html_report(known_db, tmp_path).read_text(encoding="utf-8")
    family, font = _embedded(page)
    assert family == WEB_FAMILY and f"font-family:'{WEB_FAMILY}'" in page
    shown = set(html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", page, flags=re.S))) - {"\n"}
    assert {"法", "甲", "区", "·"} <= shown
    assert shown <= set(map(chr, font.getBestCmap()))
    # A subset, not the 16 MB font: the whole page stays small.
    assert len(page.encode()) < 200_000


def test_subset_is_a_woff_of_the_charts_font(tmp_path):
    data = subset_woff("法治")
    assert data[:4] == b"wOFF"
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert {ord("法"), ord("治"), ord("A")} <= set(cmap) and ord("政") not in cmap
    assert TTFont(str(cjk_font_path()))["name"].getDebugName(1) == TTFont(io.BytesIO(data))["name"].getDebugName(1)


def test_count_and_rate_axes_start_at_zero(known_db):
    con = db.connect_read(known_db)
    try:
        comparisons = [query.compare(con, key) for key in ("disputes_screened", "dispute_resolution_rate")]
    finally:
        con.close()
    for comparison in comparisons:
        values = [v for row in comparison.rows for v in row[3:] if v is not None]
        assert min(values) > 0  # without the rule the axis would start near the smallest value
        fig = draw_comparison(comparison)
        try:
            assert fig.axes[0].get_ylim()[0] == 0
        finally:
            plt.close(fig)


def test_every_flagged_figure_is_marked(known_db, tmp_path, synth):
    from datetime import date

    site = synth.make_site("lanxi", "兰溪区")
    spec = synth.PageSpec("http://lanxi.example.test/2023.html", 2023, synth.body("lanxi"), date(2024, 3, 1),
                          [("disputes_screened", 1956.0, "件"), ("disputes_resolved", 1833.0, "件"),
                           ("dispute_resolution_rate", 96.0, "%")],
                          checks=[("rate_mismatch", "dispute_resolution_rate 96% but 1833/1956 = 93.7%")])
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, [(site, [spec])])
    db.publish(path)
    page = write_html_report(path, tmp_path / "report").read_text(encoding="utf-8")
    con = db.connect_read(path)
    try:
        flagged = con.execute("select district, year, value, unit from mart_indicator_matrix "
                              "where quality is not null").fetchall()
    finally:
        con.close()
    assert flagged
    for district, year, value, unit in flagged:
        # Next to its chart and in the table of flagged figures, with the number as the screen prints it.
        assert f"{district} {year}: {value:g}{unit}" in page
        assert f"<td class='n flag'>{value:g} {FLAG}</td>" in page
