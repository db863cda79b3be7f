"""Cited documents: 《…》 titles and 文号 with issuer abbreviation, year and number."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fzzf.parsers.documents import DOC_NUMBER_RE, doc_numbers, extract_documents

TEXT = ("印发了《襄阳高新区管委会办公室关于调整高新区全面依法治区委员会成员的通知》(襄高管办函〔2022〕7号),"
        "出台了《关于印发<高新区2023年法治督察工作计划>的通知》《民法典》等文件;按照襄高法委[2023]1号要求,"
        "再次学习《民法典》。")


def test_title_with_its_doc_number():
    doc = extract_documents(TEXT)[0]
    assert (doc.title, doc.doc_number) == ("襄阳高新区管委会办公室关于调整高新区全面依法治区委员会成员的通知", "襄高管办函〔2022〕7号")


def test_doc_number_parts():
    doc = extract_documents(TEXT)[0]
    assert (doc.issuer_abbr, doc.year, doc.number) == ("襄高管办函", 2022, 7)


def test_inner_title_stays_inside_outer():
    assert extract_documents(TEXT)[1].title == "关于印发<高新区2023年法治督察工作计划>的通知"


def test_title_without_number():
    assert extract_documents(TEXT)[2].doc_number is None


def test_bare_doc_number_with_square_brackets():
    bare = [d for d in extract_documents(TEXT) if d.title is None]
    assert [(d.issuer_abbr, d.year, d.number) for d in bare] == [("襄高法委", 2023, 1)]


def test_repeated_title_counted_once():
    assert [d.title for d in extract_documents(TEXT)].count("民法典") == 1


def test_full_width_digits_in_doc_number():
    assert extract_documents("(某政办发〔２０２１〕１２号)")[0].number == 12


def test_prose_before_the_issuer_is_dropped():
    assert extract_documents("为贯彻落实鄂政发〔2021〕5号精神")[0].issuer_abbr == "鄂政发"


# doc_numbers finds the 文号 from its bracket back to the issuer; it must yield exactly what a full scan does.
_DOC_CHARS = list("市政府办发函鄂襄高管〔〕[]［］【】(（）) 　\n第号年的和、。《》ab") + ["2019", "2020", "2023", "7", "45"]


@given(st.lists(st.sampled_from(_DOC_CHARS + ["市政办发〔2021〕5号", "鄂政发 (2020) 第 12 号", "〔2019〕3号",
                                              "办 　〔 2022 〕7 号", "《通知》(襄高管办函〔2022〕7号)"]), max_size=40))
@settings(max_examples=400, deadline=None)
def test_doc_numbers_are_the_full_scan_matches(pieces):
    text = "".join(pieces)
    assert [(m.span(), m.groupdict()) for m in doc_numbers(text)] == \
        [(m.span(), m.groupdict()) for m in DOC_NUMBER_RE.finditer(text)]
