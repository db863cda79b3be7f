"""Big task parameters skip Prefect's walk on the thread runner and stay plain values elsewhere."""
from __future__ import annotations

from fzzf.flows.runners import task_runner, unwalked


def test_outside_a_flow_a_value_is_passed_as_is():
    value = [1, 2]
    assert unwalked(value) is value


def test_on_the_thread_runner_values_are_quoted_and_futures_made_opaque(prefect_harness):
    from prefect import flow, task
    from prefect.utilities.annotations import opaque, quote

    @task
    def one() -> int:
        return 1

    @flow(task_runner=task_runner("thread"))
    def wrapped() -> tuple[str, str, int]:
        future = one.submit()
        return type(unwalked([1])).__name__, type(unwalked(future)).__name__, future.result()

    assert wrapped() == (quote.__name__, opaque.__name__, 1)
