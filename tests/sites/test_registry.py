"""The real registry: every entry valid, sourced and coded; `sites --add` builds valid entries."""
import tomllib
from collections import Counter

import pytest

from fzzf.sites import admin
from fzzf.sites.derive import derive_column
from fzzf.sites.entry import EntryError, entry_from_report, to_toml
from fzzf.sites.registry import REAL_REGISTRY, RegistryError, load_registry

PROVINCES = 31
# The floor for a registry that covers the country (entries, not verified ones).
MIN_ENTRIES = 150


def test_every_real_entry_has_a_source_url_a_checked_code_and_is_unverified():
    sites = load_registry(REAL_REGISTRY)
    assert len({s.id for s in sites}) == len(sites)
    for site in sites:
        assert site.source_url and site.source_url.startswith("http"), site.id
        assert site.admin_code and admin.check(site.admin_code, site.province, site.city) is None, site.id
        assert site.verified is False, site.id
    assert len({s.start_urls[0] for s in sites}) == len(sites), "each entry is a distinct column"


def test_real_registry_covers_provinces_and_levels():
    sites = load_registry(REAL_REGISTRY)
    assert len(sites) >= MIN_ENTRIES
    assert len(Counter(s.province for s in sites)) == PROVINCES
    assert set(Counter(s.level for s in sites)) == {"province", "city", "district", "county", "department"}


def test_every_start_url_is_the_column_derived_from_its_source_url():
    for site in load_registry(REAL_REGISTRY):
        derived = derive_column(site.source_url or "")
        assert derived.column_url.rstrip("/") == site.start_urls[0].rstrip("/"), site.id
        assert site.discover is derived.needs_discovery, site.id


@pytest.mark.parametrize(("url", "area", "level", "family"), [
    ("http://www.beijing.gov.cn/gongkai/fzzfjsbg/qzf/hdq/202103/t20210330_2336698.html", "海淀区", "district", "trs"),
    ("https://www.hangzhou.gov.cn/art/2024/3/14/art_1229000789_59094662.html", "杭州市", "city", "hanweb"),
    ("https://www.huadu.gov.cn/xxgk/fzzfjs/qzffzzfjsbg/content/post_8728266.html", "花都区", "district", "guangdong"),
    ("https://public.zhongyuan.gov.cn/D49Y/9114231.jhtml", "中原区", "district", "generic"),
    ("https://www.ahlx.gov.cn/OpennessContent/show/3499124.html", "郎溪县", "county", "anhui"),
])
def test_an_entry_from_one_report_url_per_family_loads(tmp_path, url, area, level, family):
    entry = entry_from_report(url, name=f"{area}人民政府", area=area)
    assert (entry.level, entry.family, entry.source_url) == (level, family, url)
    path = tmp_path / "registry.toml"
    path.write_text(to_toml(entry), encoding="utf-8")
    (site,) = load_registry(path)
    assert site.admin_code == admin.find(area)[0].code and site.verified is False
    assert site.discover is entry.discover
    assert tomllib.loads(path.read_text(encoding="utf-8"))["site"][0]["source_url"] == url


def test_ambiguous_area_needs_a_province():
    url = "https://xncz.gov.cn/info/4640/210070.htm"
    with pytest.raises(EntryError, match="several"):
        entry_from_report(url, name="城中区人民政府", area="城中区")
    assert entry_from_report(url, name="城中区人民政府", area="城中区", province="青海省").admin_code == "630103"


def test_a_code_in_the_wrong_province_is_refused(tmp_path):
    path = tmp_path / "registry.toml"
    path.write_text('[[site]]\nid = "x"\nname = "X"\nprovince = "四川省"\nlevel = "city"\nadmin_code = "650100"\n'
                    'start_urls = ["http://x.gov.cn/"]\n', encoding="utf-8")
    with pytest.raises(RegistryError, match="not in 四川省"):
        load_registry(path)
