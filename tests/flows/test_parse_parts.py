"""A crawl batch's sites go to a few parse tasks on a big night, to tasks of the minimum size on a small one."""
from __future__ import annotations

from fzzf.flows.batches import parse_parts
from fzzf.sites.registry import Site


def _sites(n: int) -> list[Site]:
    return [Site(id=f"s{i}", name=f"虚构区{i}", province="岚川省", level="district",
                 start_urls=(f"http://s{i}.example.test/",)) for i in range(n)]


def test_a_big_batch_goes_to_at_most_the_given_number_of_tasks():
    parts = parse_parts(_sites(750), 25, 8)
    assert len(parts) == 8
    assert sum(map(len, parts)) == 750


def test_a_small_batch_keeps_the_minimum_task_size():
    assert [len(p) for p in parse_parts(_sites(60), 25, 8)] == [25, 25, 10]


def test_every_site_is_in_one_task_in_order():
    sites = _sites(101)
    assert [s for part in parse_parts(sites, 25, 8) for s in part] == sites
