"""A registry with mistakes: unknown keys and families are refused, and every problem is listed at once."""
import pytest

from fzzf.scrapers.families import BY_NAME
from fzzf.sites.registry import FAMILIES, RegistryError, load_registry, select_sites

ENTRY = '[[site]]\nid = "{id}"\nname = "虚构区人民政府"\nprovince = "虚构省"\nlevel = "district"\n' \
        'start_urls = ["http://www.example.gov.cn/fzzf/"]\n'


def _write(tmp_path, text: str):
    path = tmp_path / "registry.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_families_are_the_adapters():
    assert sorted(FAMILIES) == sorted(BY_NAME)


def test_an_unknown_key_is_refused(tmp_path):
    path = _write(tmp_path, ENTRY.format(id="a") + 'alowed_hosts = ["www.example.gov.cn"]\n')
    with pytest.raises(RegistryError, match="unknown key 'alowed_hosts'"):
        load_registry(path)


def test_an_unknown_family_is_refused(tmp_path):
    path = _write(tmp_path, ENTRY.format(id="a") + 'family = "wordpress"\n')
    with pytest.raises(RegistryError, match="family 'wordpress' is not one of anhui, eportal, generic"):
        load_registry(path)


def test_every_problem_of_every_entry_is_listed_at_once(tmp_path):
    text = (ENTRY.format(id="a") + 'alowed_hosts = []\nfamily = "x"\n'
            + ENTRY.format(id="b").replace('"district"', '"village"')
            + ENTRY.format(id="a"))
    with pytest.raises(RegistryError) as caught:
        load_registry(_write(tmp_path, text))
    message = str(caught.value)
    assert message.startswith("4 problems:")
    for fragment in ("unknown key 'alowed_hosts'", "family 'x'", "level 'village'", "duplicate site id 'a'"):
        assert fragment in message


def test_a_binary_file_or_a_folder_is_not_a_registry(tmp_path):
    (tmp_path / "blob").write_bytes(b"\xff\xfe\x00\x81" * 64)
    with pytest.raises(RegistryError, match="not a text file"):
        load_registry(tmp_path / "blob")
    with pytest.raises(RegistryError, match="is a folder"):
        load_registry(tmp_path)


def test_select_sites_keeps_the_named_ones_and_refuses_unknown_ids(tmp_path):
    sites = load_registry(_write(tmp_path, ENTRY.format(id="a") + ENTRY.format(id="b")))
    assert [s.id for s in select_sites(sites, ["b"])] == ["b"]
    assert select_sites(sites, None) == sites
    with pytest.raises(RegistryError, match="'zz'"):
        select_sites(sites, ["a", "zz"])
