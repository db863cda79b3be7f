"""The HTML report's Chinese renders in a real headless Chromium on a machine without any system font.

The measuring script sets a probe in the page's own font: with the embedded Noto Sans CJK subset every CJK
character is one em wide; with no CJK font the same text is 0 px wide (no fonts at all) or tofu boxes of another
width, so the check fails without the embedded font (the second test proves it).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fzzf.warehouse.html_report import write_html_report

PROBE = "法治政府建设年度报告比较"
SIZE_PX = 20
MEASURE = f"""<script>
// The page's own body font is asked for explicitly, so the check waits for its face to decode rather than
// racing it (a face no text has used yet may still be 'unloaded' when document.fonts.ready resolves). A face that
// fails is measured too (the catch), so the test sees the failure rather than a script that never finished.
window.addEventListener('load', () => document.fonts.load(
    '{SIZE_PX}px ' + getComputedStyle(document.body).fontFamily, '{PROBE}'
).catch(() => null).then(() => document.fonts.ready).then(() => {{
  const probe = document.createElement('span');
  probe.style.fontSize = '{SIZE_PX}px';
  probe.textContent = '{PROBE}';
  document.body.appendChild(probe);
  const heading = document.createRange();
  heading.selectNodeContents(document.querySelector('h1'));
  document.body.setAttribute('data-measure', JSON.stringify({{
    probe: probe.getBoundingClientRect().width,
    heading: heading.getBoundingClientRect().width,
    loaded: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family),
    failed: [...document.fonts].filter(f => f.status === 'error').map(f => f.family),
  }}));
}}));
</script>"""


def _measure(page_html: str, tmp_path: Path, browser) -> dict:
    tmp_path.mkdir(parents=True, exist_ok=True)
    page = tmp_path / "measured.html"
    page.write_text(page_html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    # A fresh browser with no fonts fails its first load of a web font about half the time, a reload in the same
    # browser then loads it; a face that is really broken fails on every load.
    return json.loads(browser.wait_for_attribute(page, tmp_path / "chromium", "data-measure",
                                                 reload_if=lambda value: bool(json.loads(value)["failed"])))


@pytest.fixture(scope="module")
def report_html(known_db, tmp_path_factory) -> str:
    return write_html_report(known_db, tmp_path_factory.mktemp("report")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from tests.support import browser as chromium

    if chromium.find() is None:
        pytest.fail(f"{chromium.BINARY} is missing: `make test` installs it (apt-get, as root)")
    return chromium


def test_chinese_renders_with_the_embedded_font_only(report_html, tmp_path, browser):
    got = _measure(report_html, tmp_path, browser)
    assert got["failed"] == []
    assert got["loaded"] == ["fzzf-cjk"]
    assert got["probe"] == pytest.approx(SIZE_PX * len(PROBE), abs=0.5)  # one em per CJK character
    assert got["heading"] > 0


def test_without_the_embedded_font_the_check_fails(report_html, tmp_path, browser):
    stripped = re.sub(r"@font-face\{[^}]*\}", "", report_html)
    assert stripped != report_html
    got = _measure(stripped, tmp_path, browser)
    assert got["loaded"] == []
    assert got["probe"] != pytest.approx(SIZE_PX * len(PROBE), abs=0.5)


def test_a_broken_embedded_font_fails_on_every_reload(report_html, tmp_path, browser):
    # The reloads only get past the fresh browser's first-load failure: a face whose bytes are not a font stays failed.
    broken = re.sub(r"base64,[A-Za-z0-9+/=]+", "base64," + "AAAA" * 64, report_html, count=1)
    assert broken != report_html
    got = _measure(broken, tmp_path, browser)
    assert got["failed"] == ["fzzf-cjk"]
    assert got["probe"] != pytest.approx(SIZE_PX * len(PROBE), abs=0.5)
