"""Attachment text: PDF with a text layer, scanned PDF, DOCX, old binary DOC, broken files."""
from __future__ import annotations

import io
import zipfile

import pytest

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


def _ofd(pages: list[list[str]]) -> bytes:
    """A minimal OFD package (GB/T 33190 layout: OFD.xml, Doc_0/Pages/Page_N/Content.xml, TextObject/TextCode)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody/></ofd:OFD>')
        for number, lines in enumerate(pages):
            objects = "".join(
                f'<ofd:TextObject ID="{i}" Boundary="20 {30 + 10 * i} 170 8"><ofd:TextCode X="0" Y="7">{line}'
                "</ofd:TextCode></ofd:TextObject>" for i, line in reversed(list(enumerate(lines))))
            archive.writestr(f"Doc_0/Pages/Page_{number}/Content.xml",
                             '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>'
                             f"{objects}</ofd:Layer></ofd:Content></ofd:Page>")
    return out.getvalue()


def test_ofd_text_is_read_in_page_and_line_order():
    data = _ofd([["柳川市2023年法治政府建设工作报告(虚构示例)", "一、主要举措和成效"], ["全年办理行政复议申请35件。"]])
    text = attachment_text(data, "ofd")
    assert (text.source, text.text.splitlines()) == (
        "ofd", ["柳川市2023年法治政府建设工作报告(虚构示例)", "一、主要举措和成效", "全年办理行政复议申请35件。"])


@pytest.mark.parametrize("wrap", [
    lambda body: f"<html><head><meta charset=utf-8></head><body>{body}</body></html>".encode(),
    lambda body: ("MIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"b\"\n\n--b\n"
                  "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n\n"
                  f"<html><body>{body}</body></html>\n--b--\n").encode(),
])
def test_doc_saved_as_html_is_read(wrap):
    body = "<p>柳川市2022年法治政府建设工作报告(虚构示例)</p><p>全年办理法律援助案件80件。</p>"
    text = attachment_text(wrap(body), "doc")
    assert (text.source, text.text.splitlines()) == (
        "doc_html", ["柳川市2022年法治政府建设工作报告(虚构示例)", "全年办理法律援助案件80件。"])


@pytest.mark.parametrize(("data", "kind"), [(b"\x00\x01garbage wps 2019 bytes" * 20, "wps"),
                                            (b"PK\x03\x04" + b"\x00" * 40, "ofd"), (b"RIFF....", "xlsx")])
def test_unknown_files_are_typed_unsupported_never_an_empty_report(data, kind):
    from fzzf.scrapers.attachments import is_unsupported
    from fzzf.scrapers.crawl import attachment_flags

    text = attachment_text(data, kind)
    assert text.text == "" and text.error
    flags = attachment_flags(text)
    assert flags == (["unsupported_attachment"] if is_unsupported(text) else ["attachment_unreadable"])
