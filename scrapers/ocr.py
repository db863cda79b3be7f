"""OCR of scanned PDF pages with the optional `fzzf[ocr]` extra (pypdfium2 renders, RapidOCR reads)."""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache

MODULES = ("rapidocr_onnxruntime", "pypdfium2", "numpy")
# 2x PDF points (144 dpi): small report type stays legible for PP-OCR without a slow 300 dpi render.
RENDER_SCALE = 2.0
MAX_OCR_PAGES = 60
MIN_SCORE = 0.5
# Boxes whose vertical centres are this close (in rendered pixels, relative to box height) share a line.
SAME_LINE = 0.6


@dataclass(frozen=True)
class OcrText:
    """Text read from a scan and how many pages were read."""

    text: str
    pages: int


def available() -> bool:
    """Whether the OCR extra is installed (checked without importing the models)."""
    return all(importlib.util.find_spec(name) is not None for name in MODULES)


def ocr_pdf(data: bytes, max_pages: int = MAX_OCR_PAGES) -> OcrText:
    """Render each page of a PDF and read it; lines come out top to bottom, boxes left to right."""
    import numpy as np
    import pypdfium2 as pdfium

    engine = _engine()
    pdf = pdfium.PdfDocument(data)
    try:
        pages = min(len(pdf), max_pages)
        texts = []
        for index in range(pages):
            image = pdf[index].render(scale=RENDER_SCALE).to_pil().convert("RGB")
            result, _elapsed = engine(np.asarray(image))
            texts.append(_lines(result or []))
    finally:
        pdf.close()
    return OcrText("\n".join(t for t in texts if t), pages)


@cache
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _lines(result: list) -> str:
    """Join RapidOCR's (box, text, score) results into reading-order lines."""
    boxes = []
    for box, text, score in result:
        if float(score) < MIN_SCORE or not text.strip():
            continue
        ys = [p[1] for p in box]
        boxes.append(((min(ys) + max(ys)) / 2, max(max(ys) - min(ys), 1.0), min(p[0] for p in box), text.strip()))
    boxes.sort()
    lines: list[list[tuple[float, str]]] = []
    last_y, last_h = None, None
    for y, height, x, text in boxes:
        if last_y is not None and abs(y - last_y) <= SAME_LINE * min(height, last_h):
            lines[-1].append((x, text))
        else:
            lines.append([(x, text)])
            last_y, last_h = y, height
    return "\n".join("".join(t for _x, t in sorted(line)) for line in lines)
