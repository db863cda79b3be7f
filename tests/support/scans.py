"""A scanned report made in the test: text drawn onto page images (no text layer), saved as a PDF."""
from __future__ import annotations

import io
from pathlib import Path

import mplfonts
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN, SIZE, LEADING = 110, 30, 52

# A fictional county's report (枫坪县 is invented for the demo); the figures are fictional too.
SCAN_LINES = (
    "枫坪县人民政府2023年度法治政府建设情况报告",
    "2023年，枫坪县深入推进依法行政，法治政府建设取得新成效。",
    "一、主要举措和成效",
    "全年办理行政复议案件128件，依法纠错15件，纠错率11.7%。",
    "行政机关负责人出庭应诉率达100%，行政诉讼败诉案件3件。",
    "开展法治培训42场次，培训行政执法人员2360人次。",
    "二、存在的不足和原因",
    "基层执法力量仍显薄弱，执法规范化水平有待提高。",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "县政府主要负责人主持召开常务会议专题研究法治政府建设6次。",
    "四、2024年推进法治政府建设的主要安排",
    "持续深化行政执法体制改革，全面提升依法行政水平。",
)


def scanned_pdf(lines: tuple[str, ...] = SCAN_LINES) -> bytes:
    """A one-page PDF whose only content is a picture of `lines` (a scan: no text to extract)."""
    image = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), SIZE)
    for row, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + row * LEADING), line, font=font, fill=0)
    # A scanner's page: slightly skewed and soft, not a clean render.
    image = image.rotate(0.4, fillcolor=255).filter(ImageFilter.GaussianBlur(0.7))
    out = io.BytesIO()
    image.save(out, "PDF", resolution=150.0)
    return out.getvalue()
