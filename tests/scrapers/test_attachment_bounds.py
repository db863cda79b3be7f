"""Hostile attachments: a .docx that lies about its sizes, a .doc whose sector chains loop, a PDF that runs long."""
from __future__ import annotations

import io
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib

from fzzf.scrapers import attachments, pdftext
from fzzf.scrapers.attachments import attachment_text
from tests.scrapers.conftest import build_doc, build_pdf

LINES = ["虚构县2023年法治政府建设年度报告(虚构示例)", "全年办理行政复议案件35件。"]


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


DOCX_PEAK = """
import io, resource, sys, zipfile
from fzzf.scrapers.attachments import attachment_text
ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
out = io.BytesIO()
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    with archive.open("word/document.xml", "w", force_zip64=True) as member:
        member.write(('<?xml version="1.0"?><w:document xmlns:w="' + ns + '"><w:body>').encode())
        for _ in range(130):
            member.write(b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 10_000)
        member.write(b"</w:body></w:document>")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = attachment_text(out.getvalue(), "docx")
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024, len(result.text), result.error)
"""


def test_docx_with_a_million_paragraphs_is_read_as_a_stream_in_flat_memory():
    done = subprocess.run([sys.executable, "-c", DOCX_PEAK], capture_output=True, text=True, timeout=120, check=True)
    grown_mb, chars, error = done.stdout.split(maxsplit=2)
    assert error.strip() == "None"
    assert int(chars) <= pdftext.MAX_CHARS
    assert int(grown_mb) < 100, f"peak memory grew {grown_mb} MB for 42 MB of XML"


def test_docx_that_lies_about_its_size_is_an_error_not_a_crash():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (4 * 1024 * 1024))
    data = bytearray(out.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # claim 1 KiB, local and central
        struct.pack_into("<I", data, data.index(signature) + offset, 1024)
    result = attachment_text(bytes(data), "docx")
    assert result.text == "" and result.error


def _doc_with_looping_difat() -> bytes:
    data = bytearray(build_doc(LINES))
    sector = (len(data) - 512) // 512
    data += struct.pack("<128I", *([0] * 127 + [sector]))  # a DIFAT sector that points back at itself
    struct.pack_into("<II", data, 0x44, sector, 0x7FFFFFFF)
    return bytes(data)


def _doc_with_looping_chain_and_huge_size() -> bytes:
    data = bytearray(build_doc(LINES))
    struct.pack_into("<I", data, 512 + 3 * 4, 2)  # FAT: sector 3 -> 2, so the stream's chain loops
    struct.pack_into("<I", data, 1024 + 128 + 120, 0x7FFFFFF0)  # WordDocument claims 2 GiB
    return bytes(data)


def test_doc_whose_sector_chains_loop_is_bounded():
    for data in (_doc_with_looping_difat(), _doc_with_looping_chain_and_huge_size()):
        t0, before = time.monotonic(), _peak_mb()
        result = attachment_text(data, "doc")
        assert time.monotonic() - t0 < 2.0
        assert _peak_mb() - before < 100
        assert result.error is None  # the raw-bytes fallback still runs, on the file's own bytes only


def test_a_good_doc_still_reads_through_olefile():
    assert "行政复议案件35件" in attachment_text(build_doc(LINES), "doc").text


def _slow_pdf(ops: int = 200_000) -> bytes:
    """A few-KB PDF whose one page holds 200,000 text operators (pypdf needs ~9 s in process)."""
    base = build_pdf(["虚构"])
    packed = zlib.compress(b"BT /F1 12 Tf " + b"<0001> Tj 0 0 Td " * ops + b"ET", 9)
    start = base.index(b"4 0 obj")
    end = base.index(b"endobj", start) + len(b"endobj")
    stream = b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream\nendobj"
    return base[:start] + stream + base[end:]


def test_a_pdf_that_runs_long_meets_its_time_budget(monkeypatch):
    real = pdftext.pdf_text
    monkeypatch.setattr(attachments, "pdf_text", lambda data: real(data, seconds=1.0))
    t0 = time.monotonic()
    result = attachment_text(_slow_pdf(), "pdf")
    assert time.monotonic() - t0 < 3.0
    assert result.error and "budget" in result.error


def test_pdf_pages_are_capped(monkeypatch):
    monkeypatch.setattr(pdftext, "MAX_PDF_PAGES", 1)
    assert pdftext._extract(build_pdf(LINES))["pages"] == 1
