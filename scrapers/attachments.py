"""Text out of report attachments: PDF (pypdf, in a budgeted child), DOCX (zip + XML), old binary DOC (olefile)."""
from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass

import olefile
from lxml import etree

from fzzf.scrapers.pdftext import MAX_CHARS, pdf_text

MAX_DOCX_XML = 50 * 1024 * 1024  # bytes actually inflated, whatever the zip directory claims
READ_CHUNK = 1024 * 1024
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
    read = pdf_text(data)
    if read.error:
        return AttachmentText("", "pdf", error=read.error)
    text = _clean(read.text)
    # A scan has pages but no text layer: say so instead of storing an empty report.
    return AttachmentText(text, "pdf", needs_ocr=not CJK.search(text) and len(text) < 20)


def _docx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > MAX_DOCX_XML:
            raise ValueError(f"word/document.xml is {info.file_size} bytes, over the cap")
        with archive.open(info) as member:
            return _clean("\n".join(_paragraphs(_Capped(member, info.filename))))


def _paragraphs(source: _Capped) -> list[str]:
    """Paragraph texts, parsed as a stream (each paragraph freed once read) and stopped at MAX_CHARS."""
    paragraphs: list[str] = []
    total = 0
    for _event, para in etree.iterparse(source, events=("end",), tag=f"{W_NS}p", resolve_entities=False,
                                        huge_tree=False, no_network=True):
        pieces = []
        for node in para.iter(f"{W_NS}t", f"{W_NS}tab", f"{W_NS}br"):
            pieces.append(node.text or "" if node.tag == f"{W_NS}t" else ("\t" if node.tag == f"{W_NS}tab" else "\n"))
        paragraphs.append("".join(pieces))
        total += len(paragraphs[-1])
        para.clear()
        while para.getprevious() is not None:  # drop finished siblings so memory stays flat
            del para.getparent()[0]
        if total > MAX_CHARS:
            break
    return paragraphs


class _Capped(io.RawIOBase):
    """A zip member read through a counter: past MAX_DOCX_XML inflated bytes it raises, whatever the header says."""

    def __init__(self, member: io.BufferedIOBase, name: str) -> None:
        self._member, self._name, self._read = member, name, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._member.read(READ_CHUNK if size is None or size < 0 else min(size, READ_CHUNK))
        self._read += len(chunk)
        if self._read > MAX_DOCX_XML:
            raise ValueError(f"{self._name} inflates past {MAX_DOCX_XML} bytes")
        return chunk


def word_stream(data: bytes) -> bytes | None:
    """The WordDocument stream of an OLE compound file (.doc/.wps), or None when there is none to read."""
    if not olefile.isOleFile(io.BytesIO(data)):
        return None
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        if not ole.exists("WordDocument"):
            return None
        size = ole.get_size("WordDocument")
        # A stream cannot be larger than the file holding it; a looping sector chain would claim otherwise.
        if size > len(data):
            raise ValueError(f"WordDocument claims {size} bytes in a {len(data)}-byte file")
        return ole.openstream("WordDocument").read(size)


def _doc(data: bytes) -> str:
    try:
        stream = word_stream(data)
    except (OSError, ValueError, struct.error):
        stream = None
    if stream is None:
        stream = data  # not a readable compound file: scan the raw bytes as a last resort
    decoded = stream[: len(stream) // 2 * 2].decode("utf-16-le", errors="replace")
    runs = [run for run in DOC_RUN.findall(decoded) if len(CJK.findall(run)) >= MIN_RUN_CJK]
    return _clean("\n".join(run.replace("\r", "\n") for run in runs))


def _clean(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.replace("\x0c", "\n").splitlines())
    return "\n".join(line for line in lines if line)[:MAX_CHARS]
