"""One report, counted once: canonical URLs and text identity decide what one report is.

Every place, text and figure below is fictional.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from fzzf.warehouse import db, marts
from fzzf.warehouse.identity import canonical_url, site_hosts, strip_userinfo, text_sha

SITE_URL = "http://www.qinghe.example.test/col/index.html"
PAGE = "http://www.qinghe.example.test/zwgk/t20240326_100231.html"


@pytest.mark.parametrize("variant", [
    PAGE + "?from=list",
    PAGE + "#content",
    PAGE + "?utm_source=wechat&spm=a1.b2",
    "http://qinghe.example.test/zwgk/t20240326_100231.html",
    "http://www.qinghe.example.test:8080/zwgk/t20240326_100231.html",
    "https://www.qinghe.example.test/zwgk/t20240326_100231.html",
    "HTTP://WWW.QINGHE.EXAMPLE.TEST:80/zwgk/t20240326_100231.html",
    "http://user:secret@www.qinghe.example.test/zwgk/t20240326_100231.html",
])
def test_every_alias_of_a_report_url_is_one_canonical_url(variant):
    assert canonical_url(variant, site_hosts([SITE_URL])) == PAGE


def test_query_strings_that_name_the_page_are_kept():
    url = "http://www.qinghe.example.test/art.jsp?id=42&from=list"
    assert canonical_url(url, site_hosts([SITE_URL])) == "http://www.qinghe.example.test/art.jsp?id=42"


def test_demo_ports_fold_into_the_sites_own_port():
    hosts = site_hosts(["http://127.0.0.1:18401/zwgk/index.html"])
    assert canonical_url("http://127.0.0.1:39999/zwgk/a.html", hosts) == "http://127.0.0.1:18401/zwgk/a.html"


def test_credentials_are_stripped():
    assert strip_userinfo("http://u:p@h.example.test/x") == "http://h.example.test/x"
    assert strip_userinfo("http://h.example.test/x?mail=a@b") == "http://h.example.test/x?mail=a@b"


def test_text_identity_ignores_whitespace_and_punctuation_only():
    assert text_sha("一、主要举措\n 化解纠纷120件。") == text_sha("一,主要举措化解纠纷120件.")
    assert text_sha("化解纠纷120件") != text_sha("化解纠纷121件")


def _current(path):
    con = db.connect_read(path)
    try:
        return con.execute("select site_id, url, district, duplicate_of is not null from reports "
                           "where is_current order by site_id, url").fetchall()
    finally:
        con.close()


def _chosen(path):
    con = db.connect_read(path)
    try:
        return con.execute("select district_id, district, year, report_district from stg_reports "
                           "where is_chosen order by 1, 3").fetchall()
    finally:
        con.close()


def _site(synth, sid, name, url=None, level="district"):
    site = synth.make_site(sid, name, level=level)
    return replace(site, start_urls=(url,)) if url else site


def _spec(synth, url, text, **kw):
    return synth.PageSpec(url, 2023, text, date(2024, 3, 1), [("disputes_screened", 12.0, "件")], **kw)


@pytest.mark.parametrize("second", [PAGE + "?from=list", PAGE + "#top", "http://qinghe.example.test"
                                    "/zwgk/t20240326_100231.html", "http://www.qinghe.example.test:8080/zwgk/"
                                    "t20240326_100231.html"])
def test_a_report_linked_twice_is_stored_once(tmp_path, synth, second):
    site = _site(synth, "qinghe", "清河区", SITE_URL)
    text = synth.body("qinghe2023")
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, [(site, [_spec(synth, PAGE, text), _spec(synth, second, text)])])
    db.publish(path)
    assert _current(path) == [("qinghe", PAGE, "清河区", False)]


def test_same_body_under_two_urls_of_a_site_is_one_report(tmp_path, synth):
    site = _site(synth, "qinghe", "清河区", SITE_URL)
    text = synth.body("qinghe2023")
    path = tmp_path / "fzzf.duckdb"
    other = "http://www.qinghe.example.test/xxgk/fzzf/2024/0326.html"
    synth.load_all(path, [(site, [_spec(synth, PAGE, text), _spec(synth, other, text)])])
    db.publish(path)
    assert len(_current(path)) == 1


def test_near_identical_text_is_one_report(tmp_path, synth):
    site = _site(synth, "qinghe", "清河区", SITE_URL)
    text = synth.body("qinghe2023")
    retyped = text.replace("。", "。\n  ")  # another template's line breaks and indentation
    path = tmp_path / "fzzf.duckdb"
    other = "http://www.qinghe.example.test/xxgk/fzzf/2024/0326.html"
    synth.load_all(path, [(site, [_spec(synth, PAGE, text), _spec(synth, other, retyped)])])
    db.publish(path)
    assert len(_current(path)) == 1


def test_a_repost_counts_once_for_its_subject_district(tmp_path, synth):
    qinghe = _site(synth, "qinghe", "清河区", SITE_URL)
    city = _site(synth, "yuncheng", "云城市", "http://www.yuncheng.example.test/col/index.html", level="city")
    text = synth.body("qinghe2023")
    repost = _spec(synth, "http://www.yuncheng.example.test/xwzx/qx/0326.html", text)
    own = _spec(synth, PAGE, text, fetched_at=synth.T0 + timedelta(hours=1))
    path = tmp_path / "fzzf.duckdb"
    # The city's repost is loaded first; it names 清河区 as its subject (the parser reads the report's area).
    synth.load_all(path, [(city, [repost]), (qinghe, [own])], subject={"yuncheng": "清河区"})
    db.publish(path)
    assert _current(path) == [("qinghe", PAGE, "清河区", False)]
    assert [row[:3] for row in _chosen(path)] == [("qinghe", "清河区", 2023)]


def test_a_repost_alone_is_counted_for_its_subject_not_its_host(tmp_path, synth):
    qinghe = _site(synth, "qinghe", "清河区", SITE_URL)
    city = _site(synth, "yuncheng", "云城市", "http://www.yuncheng.example.test/col/index.html", level="city")
    repost = _spec(synth, "http://www.yuncheng.example.test/xwzx/qx/0326.html", synth.body("qinghe2023"))
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, [(city, [repost]), (qinghe, [])], subject={"yuncheng": "清河区"})
    db.publish(path)
    assert _chosen(path) == [("qinghe", "清河区", 2023, "清河区")]


def test_a_district_copying_anothers_text_is_still_its_own_report(known_db):
    # 乙区 2023 reuses 甲区 2023's text under its own name: two reports, flagged by the text-reuse mart.
    con = db.connect_read(known_db)
    try:
        rows = con.execute("select district_id from stg_reports where year = 2023 and district_id in ('a', 'b') "
                           "and is_chosen order by 1").fetchall()
    finally:
        con.close()
    assert rows == [("a",), ("b",)]


def test_counts_over_reports_do_not_double(tmp_path, synth):
    site = _site(synth, "qinghe", "清河区", SITE_URL)
    text = synth.body("qinghe2023")
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, [(site, [_spec(synth, PAGE, text), _spec(synth, PAGE + "?from=list", text),
                                  _spec(synth, "http://qinghe.example.test/zwgk/t20240326_100231.html", text)])])
    con = db.connect_work(path)
    try:
        assert con.execute("select count(*) from reports where is_current").fetchall()[0][0] == 1
        assert con.execute("select candidates_n from stg_reports").fetchall()[0][0] == 1
        assert not marts.run_data_tests(con)
    finally:
        con.close()


LONG = 200  # sentences: 4,000 characters, shorter than most real reports


def _near_variants(text: str) -> dict[str, str]:
    sentences = text.split("。")
    edited = sentences.copy()
    for i in range(0, 140, 28):  # one character corrected in 5 of 200 sentences
        edited[i] = edited[i][:10] + "改" + edited[i][11:]
    return {"repost with source and editor lines": "来源:清河区司法局(虚构)\n" + text + "\n责任编辑:张某(虚构)",
            "five characters corrected": "。".join(edited)}


@pytest.mark.parametrize("variant", ["repost with source and editor lines", "five characters corrected"])
def test_near_identical_text_within_a_site_is_one_report(tmp_path, synth, variant):
    site = _site(synth, "qinghe", "清河区", SITE_URL)
    text = synth.body("qinghe2023", LONG)
    other = "http://www.qinghe.example.test/xxgk/fzzf/2024/0327.html"
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, [(site, [_spec(synth, PAGE, text), _spec(synth, other, _near_variants(text)[variant])])])
    db.publish(path)
    assert len(_current(path)) == 1


def test_a_near_identical_repost_counts_once_for_its_subject_district(tmp_path, synth):
    qinghe = _site(synth, "qinghe", "清河区", SITE_URL)
    city = _site(synth, "yuncheng", "云城市", "http://www.yuncheng.example.test/col/index.html", level="city")
    text = synth.body("qinghe2023", LONG)
    repost = _spec(synth, "http://www.yuncheng.example.test/xwzx/qx/0326.html",
                   _near_variants(text)["repost with source and editor lines"])
    own = _spec(synth, PAGE, text, fetched_at=synth.T0 + timedelta(hours=1))
    path = tmp_path / "fzzf.duckdb"
    synth.load_all(path, [(city, [repost]), (qinghe, [own])], subject={"yuncheng": "清河区"})
    db.publish(path)
    assert _current(path) == [("qinghe", PAGE, "清河区", False)]


def test_different_reports_of_one_template_stay_two(tmp_path, synth):
    site = _site(synth, "qinghe", "清河区", SITE_URL)
    other = "http://www.qinghe.example.test/xxgk/fzzf/2024/0327.html"
    path = tmp_path / "fzzf.duckdb"
    text, other_text = synth.body("qinghe2023", LONG), synth.body("qinghe2023-other", LONG)
    # Three quarters of the sentences shared (one template, a quarter of other facts) is still another report.
    shared = "。".join(text.split("。")[:150] + other_text.split("。")[150:])
    synth.load_all(path, [(site, [_spec(synth, PAGE, text), _spec(synth, other, shared)])])
    db.publish(path)
    assert len(_current(path)) == 2


def test_simhash_distances_sit_where_near_bits_says():
    from fzzf.warehouse.identity import NEAR_BITS, text_simhash

    def bits(a: str, b: str) -> int:
        return bin(text_simhash(a) ^ text_simhash(b)).count("1")

    from tests.warehouse.conftest import body

    text, other = body("qinghe2023", LONG), body("other", LONG)
    for variant in _near_variants(text).values():
        assert bits(text, variant) <= NEAR_BITS
    half = "。".join(text.split("。")[:100] + other.split("。")[100:])
    assert bits(text, half) > 2 * NEAR_BITS
    assert bits(text, other) > 4 * NEAR_BITS
    assert text_simhash(text[:150]) is None  # too short to say
