"""Attachment text: PDF with a text layer, scanned PDF, DOCX, old binary DOC, broken files."""
from __future__ import annotations

from fzzf.scrapers.attachments import attachment_text, sniff_kind, word_stream

LINES = ["柳川市司法局2023年法治政府建设工作报告(虚构示例)", "一、主要举措和成效", "全年办理行政复议申请35件。"]


def test_pdf_text_layer(make_pdf):
    result = attachment_text(make_pdf(LINES), "pdf")
    assert result.text.splitlines() == LINES
    assert (result.source, result.needs_ocr) == ("pdf", False)


def test_pdf_without_text_layer_needs_ocr(make_pdf):
    result = attachment_text(make_pdf([]), "pdf")
    assert (result.text, result.needs_ocr) == ("", True)


def test_docx_paragraphs(make_docx):
    result = attachment_text(make_docx(LINES), "docx")
    assert (result.text.splitlines(), result.source) == (LINES, "docx")


def test_doc_utf16_runs_from_word_document_stream(make_doc):
    result = attachment_text(make_doc(LINES), "doc")
    assert (result.text.splitlines(), result.source) == (LINES, "doc")


def test_wps_link_holding_a_compound_file_reads_as_doc(make_doc):
    assert attachment_text(make_doc(LINES), "wps").source == "doc"


def test_magic_bytes_beat_the_extension(make_pdf):
    assert attachment_text(make_pdf(LINES), "docx").source == "pdf"
    assert sniff_kind(b"PK\x03\x04rest", "pdf") == "docx"


def test_broken_pdf_is_an_error_not_a_crash():
    result = attachment_text(b"%PDF-1.4 garbage", "pdf")
    assert result.text == ""
    assert result.error


def test_compound_file_reader_finds_the_stream(make_doc):
    stream = word_stream(make_doc(LINES))
    assert LINES[1].encode("utf-16-le") in stream


def test_compound_file_reader_rejects_other_bytes():
    assert word_stream(b"not a compound file" * 40) is None
