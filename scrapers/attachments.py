"""Text out of report attachments: PDF (pypdf in a budgeted child; OCR for scans), DOCX, OFD (zip + XML),
DOC/WPS (olefile), and Word files saved as HTML; any other type is typed `unsupported`, never an empty report."""
from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass

import olefile
from lxml import etree

from fzzf.scrapers import ocr
from fzzf.scrapers.pdftext import MAX_CHARS, pdf_text

MAX_DOCX_XML = 50 * 1024 * 1024  # bytes actually inflated, whatever the zip directory claims
READ_CHUNK = 1024 * 1024
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Runs of UTF-16LE text in a Word 97 stream: CJK, CJK punctuation, full-width forms, ASCII, Word's \r.
DOC_RUN = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u00b7 -~\r\t]{4,}")
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_RUN_CJK = 2
KIND_BY_MAGIC = ((b"%PDF", "pdf"), (b"PK\x03\x04", "zip"), (b"\xd0\xcf\x11\xe0", "doc"))
# A .doc that Word (or WPS) saved as a web page: HTML, MIME-HTML (.mht) or Word 2003 XML under a .doc name.
HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<\?xml[^>]*>\s*<\?mso-application|mime-version:)", re.I)
OFD_ROOT = "OFD.xml"
OFD_CONTENT = re.compile(r"(?:^|/)Pages/Page_?\d+/Content\.xml$", re.I)
OFD_PAGE_NO = re.compile(r"(\d+)")
UNSUPPORTED = "unsupported attachment type"


@dataclass(frozen=True)
class AttachmentText:
    """Text from one attachment: which reader produced it, and whether it needs OCR."""

    text: str
    source: str
    needs_ocr: bool = False
    error: str | None = None
    pages: int | None = None


def sniff_kind(data: bytes, hinted: str | None = None) -> str | None:
    """pdf/docx/ofd/doc/doc_html from the file's bytes (a WPS file is an OLE compound file like DOC)."""
    for magic, kind in KIND_BY_MAGIC:
        if data.startswith(magic):
            return _zip_kind(data) if kind == "zip" else kind
    if hinted in ("doc", "wps"):
        # Not a compound file: a web page saved under a .doc name, or something fzzf cannot read.
        return "doc_html" if HTML_START.match(data[:512]) else "unknown"
    return hinted


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return "docx"  # a broken zip: read as the DOCX it most likely was, and flagged unreadable
    if OFD_ROOT in names:
        return "ofd"
    return "docx" if "word/document.xml" in names else "zip"


def attachment_text(data: bytes, kind: str | None = None) -> AttachmentText:
    """Extract text by the file's real type (magic bytes win over the link's extension)."""
    real = sniff_kind(data, kind)
    try:
        if real == "pdf":
            return _pdf(data)
        if real == "docx":
            return AttachmentText(_docx(data), "docx")
        if real == "ofd":
            return AttachmentText(_ofd(data), "ofd")
        if real in ("doc", "wps"):
            return AttachmentText(_doc(data), "doc")
        if real == "doc_html":
            return AttachmentText(_doc_html(data), "doc_html")
    except Exception as exc:  # noqa: BLE001 - a broken file must become a flag, never a crash
        return AttachmentText("", real or "unknown", error=f"{type(exc).__name__}: {exc}"[:300])
    return AttachmentText("", real or "unknown", error=f"{UNSUPPORTED} {real!r}")


def is_unsupported(text: AttachmentText) -> bool:
    """Whether the file was of a type fzzf cannot read (as opposed to a readable type that was broken)."""
    return bool(text.error and text.error.startswith(UNSUPPORTED))


def _pdf(data: bytes) -> AttachmentText:
    read = pdf_text(data)
    if read.error:
        return AttachmentText("", "pdf", error=read.error)
    text = _clean(read.text)
    if CJK.search(text) or len(text) >= 20:
        return AttachmentText(text, "pdf", pages=read.pages)
    # A scan has pages but no text layer: read it when the OCR extra is installed, else say so instead of
    # storing an empty report.
    if ocr.available():
        scanned = ocr.ocr_pdf(data)
        if CJK.search(scanned.text):
            return AttachmentText(_clean(scanned.text), "ocr", pages=scanned.pages)
    return AttachmentText(text, "pdf", needs_ocr=True, pages=read.pages)


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


def _ofd(data: bytes) -> str:
    """OFD (GB/T 33190): each page's Content.xml holds its text in TextCode elements, in drawing order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pages = sorted((n for n in archive.namelist() if OFD_CONTENT.search(n)), key=_ofd_page_order)
        lines = []
        for name in pages:
            if archive.getinfo(name).file_size > MAX_DOCX_XML:
                raise ValueError(f"{name} is over the cap")
            root = etree.fromstring(archive.read(name), parser=etree.XMLParser(resolve_entities=False))
            lines += _ofd_lines(root)
    return _clean("\n".join(lines))


def _ofd_page_order(name: str) -> tuple[int, ...]:
    return tuple(int(n) for n in OFD_PAGE_NO.findall(name))


def _ofd_lines(root: etree._Element) -> list[str]:
    """TextCode runs joined into lines by their TextObject's vertical position (Boundary "x y w h")."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for obj in root.iter("{*}TextObject"):
        box = [float(v) for v in (obj.get("Boundary") or "0 0 0 0").split()[:4]]
        text = "".join(code.text or "" for code in obj.iter("{*}TextCode"))
        if text:
            rows.setdefault(round(box[1], 1), []).append((box[0], text))
    return ["".join(t for _x, t in sorted(rows[y])) for y in sorted(rows)]


def _doc_html(data: bytes) -> str:
    """Text of a Word/WPS document saved as HTML (or MIME-HTML) under a .doc name."""
    from email import message_from_bytes
    from email.policy import default

    from lxml import html as lxml_html

    if data.lstrip()[:13].lower().startswith(b"mime-version:"):
        message = message_from_bytes(data, policy=default)
        part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
        markup = part.get_content() if part is not None else ""
    else:
        markup = data.decode("utf-8", errors="replace")
        if "charset=gb" in markup[:2000].lower():
            markup = data.decode("gb18030", errors="replace")
    tree = lxml_html.fromstring(markup.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    for node in tree.xpath("//script|//style"):
        node.drop_tree()
    blocks = tree.xpath("//p|//h1|//h2|//h3|//li|//td")
    return _clean("\n".join(b.text_content() for b in blocks) if blocks else tree.text_content())


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
