"""The bundled CJK font (Noto Sans CJK SC from the mplfonts wheel): its file for charts, a subset for web pages.

matplotlib's default DejaVu Sans and many servers' browsers have no Chinese glyphs and draw empty boxes. The
charts register this file with matplotlib; the HTML report embeds a subset of it (only the characters the page
uses, by fontTools) as an `@font-face` data URL, so the page renders Chinese on a machine without CJK fonts.
"""
from __future__ import annotations

import base64
import importlib.util
import io
from pathlib import Path

from fontTools import subset

# The file is located without importing mplfonts (which pulls in a CLI toolkit).
FONT_PACKAGE = "mplfonts"
FONT_FILE = "fonts/NotoSansCJKsc-Regular.otf"
WEB_FAMILY = "fzzf-cjk"


def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font; raises if the font package is missing."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {FONT_PACKAGE} package (Noto Sans CJK SC) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / FONT_FILE
    if not path.exists():
        raise RuntimeError(f"CJK font missing: {path}")
    return path


def subset_woff(text: str, path: Path | None = None) -> bytes:
    """The font cut down to the characters of `text` (plus ASCII), as WOFF (zlib, no extra dependency)."""
    options = subset.Options()
    options.flavor = "woff"
    # The page's Latin text uses the same face, so ASCII always stays; hinting is useless in a browser.
    options.hinting = False
    options.desubroutinize = True
    font = subset.load_font(str(path or cjk_font_path()), options)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(set(text) | {chr(c) for c in range(0x20, 0x7F)})))
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    return buffer.getvalue()


def font_face_css(text: str, family: str = WEB_FAMILY) -> str:
    """An `@font-face` rule embedding the subset for `text` as a data URL."""
    data = base64.b64encode(subset_woff(text)).decode("ascii")
    return (f"@font-face{{font-family:'{family}';font-style:normal;font-weight:400;"
            f"src:url(data:font/woff;base64,{data}) format('woff')}}")
