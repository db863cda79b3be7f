"""Big task parameters skip Prefect's walk: quoted on every runner (pickle-safe for Dask), futures opaque on threads."""
from __future__ import annotations

import pickle

import cloudpickle

from fzzf.flows.runners import Quoted, task_runner, unwalked


def test_outside_a_flow_a_value_is_passed_as_is():
    value = [1, 2]
    assert unwalked(value) is value


def test_on_the_thread_runner_values_are_quoted_and_futures_made_opaque(prefect_harness):
    from prefect import flow, task
    from prefect.utilities.annotations import opaque

    @task
    def one() -> int:
        return 1

    @flow(task_runner=task_runner("thread"))
    def wrapped() -> tuple[str, str, int]:
        future = one.submit()
        return type(unwalked([1])).__name__, type(unwalked(future)).__name__, future.result()

    assert wrapped() == (Quoted.__name__, opaque.__name__, 1)


def test_a_quoted_value_survives_pickling_as_itself():
    from prefect.utilities.annotations import quote

    value = {"site": [1, 2]}
    for dumps, loads in ((pickle.dumps, pickle.loads), (cloudpickle.dumps, cloudpickle.loads)):
        back = loads(dumps(Quoted(value)))
        assert isinstance(back, quote) and back.unquote() == value
    assert pickle.loads(pickle.dumps(quote(value))).unquote() == (value,)  # Prefect's own: why Quoted exists


def test_off_the_thread_runner_values_are_still_quoted_and_futures_left_as_is(prefect_harness, monkeypatch):
    from prefect import flow, task
    from prefect.context import FlowRunContext

    class OtherRunner:  # any runner that is not the thread pool (Dask's, in a night)
        pass

    @task
    def one() -> int:
        return 1

    @flow(task_runner=task_runner("thread"))
    def wrapped() -> tuple[str, str, int]:
        future = one.submit()
        monkeypatch.setattr(FlowRunContext.get(), "task_runner", OtherRunner())
        return type(unwalked([1])).__name__, type(unwalked(future)).__name__, future.result()

    assert wrapped() == ("Quoted", "PrefectConcurrentFuture", 1)
