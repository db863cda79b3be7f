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
// racing it (a face no text has used yet may still be 'unloaded' when document.fonts.ready resolves).
window.addEventListener('load', () => document.fonts.load(
    '{SIZE_PX}px ' + getComputedStyle(document.body).fontFamily, '{PROBE}'
).then(() => document.fonts.ready).then(() => {{
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
  }}));
}}));
</script>"""
LOAD_TRIES = 3
_MEASURED = re.compile(r'data-measure="([^"]*)"')


def _measure(page_html: str, tmp_path: Path, browser) -> dict:
    tmp_path.mkdir(parents=True, exist_ok=True)
    page = tmp_path / "measured.html"
    page.write_text(page_html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = browser.run(page, tmp_path / "chromium", "--dump-dom")
    found = _MEASURED.search(dom)
    assert found, f"the measuring script did not run: {dom[:300]!r}"
    return json.loads(found.group(1).replace("&quot;", '"'))


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
    # The script waits for the body font's face (document.fonts.load); a retry is left for a browser that dumps the
    # page before even that resolves on a very busy machine. A face that cannot load stays unloaded on every try.
    for attempt in range(LOAD_TRIES):
        got = _measure(report_html, tmp_path / str(attempt), browser)
        if got["loaded"]:
            break
    assert got["loaded"] == ["fzzf-cjk"]
    assert got["probe"] == pytest.approx(SIZE_PX * len(PROBE), abs=0.5)  # one em per CJK character
    assert got["heading"] > 0


def test_without_the_embedded_font_the_check_fails(report_html, tmp_path, browser):
    stripped = re.sub(r"@font-face\{[^}]*\}", "", report_html)
    assert stripped != report_html
    got = _measure(stripped, tmp_path, browser)
    assert got["loaded"] == []
    assert got["probe"] != pytest.approx(SIZE_PX * len(PROBE), abs=0.5)
