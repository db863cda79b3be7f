"""PDF text in a child process, so a hostile PDF meets a time and memory budget (`python -m fzzf.scrapers.pdftext`)."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import dataclass

MAX_PDF_PAGES = 300
MAX_CHARS = 400_000
PDF_SECONDS = 30.0  # pypdf reads a real 100-page report in a few seconds
WORKER = "fzzf.scrapers.pdftext"
PDF_MEMORY = 1024 * 1024 * 1024  # address space of the child; pypdf on a real report needs far less


@dataclass(frozen=True)
class PdfText:
    """Text of a PDF's first pages, its page count, or why there is none."""

    text: str
    pages: int = 0
    error: str | None = None


def pdf_text(data: bytes, seconds: float = PDF_SECONDS) -> PdfText:
    """Text of `data` read by pypdf in a child process that is killed after `seconds`."""
    try:
        done = subprocess.run([sys.executable, "-m", WORKER],
                              input=data, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        return PdfText("", error=f"PDF text extraction exceeded its {seconds:g} s budget")
    if done.returncode != 0:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        return PdfText("", error=f"PDF reader failed: {last}"[:300])
    answer = json.loads(done.stdout.decode("utf-8"))
    return PdfText(answer["text"], answer["pages"])


def _extract(data: bytes) -> dict:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts: list[str] = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > MAX_CHARS:
            break
    return {"text": "\n".join(parts), "pages": len(reader.pages)}


def _main() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY, PDF_MEMORY))
    except (ImportError, ValueError, OSError):
        pass  # no rlimit on this platform: the time budget still holds
    json.dump(_extract(sys.stdin.buffer.read()), sys.stdout)


if __name__ == "__main__":
    _main()
