"""Text out of report attachments: PDF (pypdf), DOCX (zip + XML), old binary DOC (UTF-16 runs)."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from fzzf.scrapers.cfb import CfbError, read_stream

MAX_CHARS = 400_000
MAX_PDF_PAGES = 300
MAX_DOCX_XML = 50 * 1024 * 1024
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Runs of UTF-16LE text in a Word 97 stream: CJK, CJK punctuation, full-width forms, ASCII, Word's \r.
DOC_RUN = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u00b7 -~\r\t]{4,}")
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_RUN_CJK = 2
KIND_BY_MAGIC = ((b"%PDF", "pdf"), (b"PK\x03\x04", "docx"), (b"\xd0\xcf\x11\xe0", "doc"))


@dataclass(frozen=True)
class AttachmentText:
    """Text from one attachment: which reader produced it, and whether it needs OCR."""

    text: str
    source: str
    needs_ocr: bool = False
    error: str | None = None


def sniff_kind(data: bytes, hinted: str | None = None) -> str | None:
    """pdf/docx/doc from the file's magic bytes (a WPS file is an OLE compound file like DOC)."""
    for magic, kind in KIND_BY_MAGIC:
        if data.startswith(magic):
            return kind
    return hinted


def attachment_text(data: bytes, kind: str | None = None) -> AttachmentText:
    """Extract text by the file's real type (magic bytes win over the link's extension)."""
    real = sniff_kind(data, kind)
    try:
        if real == "pdf":
            return _pdf(data)
        if real == "docx":
            return AttachmentText(_docx(data), "docx")
        if real in ("doc", "wps"):
            return AttachmentText(_doc(data), "doc")
    except Exception as exc:  # noqa: BLE001 - a broken file must become a flag, never a crash
        return AttachmentText("", real or "unknown", error=f"{type(exc).__name__}: {exc}"[:300])
    return AttachmentText("", real or "unknown", error=f"unsupported attachment type {real!r}")


def _pdf(data: bytes) -> AttachmentText:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts: list[str] = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > MAX_CHARS:
            break
    text = _clean("\n".join(parts))
    # A scan has pages but no text layer: say so instead of storing an empty report.
    return AttachmentText(text, "pdf", needs_ocr=not CJK.search(text) and len(text) < 20)


def _docx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > MAX_DOCX_XML:
            raise ValueError(f"word/document.xml is {info.file_size} bytes, over the cap")
        root = etree.fromstring(archive.read(info), parser=etree.XMLParser(resolve_entities=False, huge_tree=False))
    paragraphs = []
    for para in root.iter(f"{W_NS}p"):
        pieces = []
        for node in para.iter(f"{W_NS}t", f"{W_NS}tab", f"{W_NS}br"):
            pieces.append(node.text or "" if node.tag == f"{W_NS}t" else ("\t" if node.tag == f"{W_NS}tab" else "\n"))
        paragraphs.append("".join(pieces))
    return _clean("\n".join(paragraphs))


def _doc(data: bytes) -> str:
    try:
        stream = read_stream(data, "WordDocument")
    except CfbError:
        stream = data  # not a readable compound file: scan the raw bytes as a last resort
    decoded = stream[: len(stream) // 2 * 2].decode("utf-16-le", errors="replace")
    runs = [run for run in DOC_RUN.findall(decoded) if len(CJK.findall(run)) >= MIN_RUN_CJK]
    return _clean("\n".join(run.replace("\r", "\n") for run in runs))


def _clean(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.replace("\x0c", "\n").splitlines())
    return "\n".join(line for line in lines if line)[:MAX_CHARS]
