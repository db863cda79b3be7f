"""Decoding: BOM, header and meta charsets, GB2312 read as GB18030, mislabelled pages."""
from __future__ import annotations

import codecs

from fzzf.scrapers.encoding import decode_html

TEXT = "<html><head>{meta}</head><body>石泉区法治政府建设,镕喆</body></html>"


def test_gb2312_meta_is_decoded_as_gb18030_including_characters_gb2312_lacks():
    body = TEXT.format(meta='<meta charset="gb2312">').encode("gb18030")
    decoded = decode_html(body)
    assert decoded.encoding == "gb18030"
    assert "镕喆" in decoded.text
    assert not decoded.mislabelled


def test_header_charset_wins_over_missing_meta():
    body = TEXT.format(meta="").encode("gbk")
    decoded = decode_html(body, "text/html; charset=GBK")
    assert decoded.declared == "gb18030"
    assert "石泉区" in decoded.text


def test_page_declaring_gb2312_but_holding_utf8_is_caught():
    body = TEXT.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("utf-8")
    decoded = decode_html(body)
    assert decoded.encoding == "utf-8"
    assert decoded.mislabelled
    assert "石泉区法治政府建设" in decoded.text


def test_page_declaring_utf8_but_holding_gbk_is_caught():
    body = TEXT.format(meta='<meta charset="utf-8">').encode("gbk")
    decoded = decode_html(body)
    assert decoded.encoding == "gb18030"
    assert decoded.mislabelled
    assert "石泉区法治政府建设" in decoded.text


def test_bom_decides():
    body = codecs.BOM_UTF8 + TEXT.format(meta='<meta charset="gbk">').encode("utf-8")
    decoded = decode_html(body)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("<html>")


def test_undeclared_gbk_is_sniffed():
    decoded = decode_html(TEXT.format(meta="").encode("gbk"))
    assert decoded.encoding == "gb18030"
    assert "法治政府" in decoded.text
