"""The night's writer takes parses as they finish, with every other one finished meanwhile (one store for all)."""
from __future__ import annotations

from concurrent.futures import Future

from fzzf.flows.batches import finished_groups


def _futures(n: int) -> list[Future]:
    return [Future() for _ in range(n)]


def test_parses_finished_while_the_writer_was_busy_come_as_one_group():
    first, second, third = futures = _futures(3)
    first.set_result(1)
    groups = finished_groups(futures, iter([first, second, third]), Future.done)
    assert next(groups) == [first]
    second.set_result(2)
    third.set_result(3)  # both finish while the writer stores the first
    assert next(groups) == [second, third]
    assert list(groups) == []  # the third, yielded again by `completed`, is not stored twice


def test_each_future_is_in_exactly_one_group_in_completion_order():
    futures = _futures(5)
    order = [futures[i] for i in (3, 0, 4, 1, 2)]
    for future in order:
        future.set_result(None)
    groups = list(finished_groups(futures, iter(order), Future.done))
    assert sorted(id(f) for group in groups for f in group) == sorted(id(f) for f in futures)
    assert groups[0][0] is futures[3]


def test_unfinished_futures_wait_for_their_own_turn():
    first, second = futures = _futures(2)
    first.set_result(1)
    groups = finished_groups(futures, iter([first, second]), Future.done)
    assert next(groups) == [first]
    second.set_result(2)
    assert next(groups) == [second]
