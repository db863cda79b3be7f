"""Big task parameters skip Prefect's walk: quoted on every runner (pickle-safe for Dask), futures opaque on threads."""
from __future__ import annotations

import pickle

import cloudpickle

from fzzf.flows.runners import Quoted, task_runner, unwalked


def test_outside_a_flow_a_value_is_passed_as_is():
    value = [1, 2]
    assert unwalked(value) is value


def _wrapped_types(runner: object | None = None) -> tuple[str, str, int]:
    """The types `unwalked` gives a list and a future inside a flow on the thread runner (or, seen as `runner`)."""
    from prefect import flow, task
    from prefect.context import FlowRunContext

    @task
    def one() -> int:
        return 1

    @flow(task_runner=task_runner("thread"))
    def wrapped() -> tuple[str, str, int]:
        future = one.submit()
        context = FlowRunContext.get()
        real = context.task_runner
        if runner is not None:
            context.task_runner = runner
        try:
            return type(unwalked([1])).__name__, type(unwalked(future)).__name__, future.result()
        finally:
            context.task_runner = real

    return wrapped()


def test_on_the_thread_runner_values_are_quoted_and_futures_made_opaque(prefect_harness):
    from prefect.utilities.annotations import opaque

    assert _wrapped_types() == (Quoted.__name__, opaque.__name__, 1)


def test_a_quoted_value_survives_pickling_as_itself():
    from prefect.utilities.annotations import quote

    value = {"site": [1, 2]}
    for dumps, loads in ((pickle.dumps, pickle.loads), (cloudpickle.dumps, cloudpickle.loads)):
        back = loads(dumps(Quoted(value)))
        assert isinstance(back, quote) and back.unquote() == value
    assert pickle.loads(pickle.dumps(quote(value))).unquote() == (value,)  # Prefect's own: why Quoted exists


def test_off_the_thread_runner_values_are_still_quoted_and_futures_left_as_is(prefect_harness):
    class OtherRunner:  # any runner that is not the thread pool (Dask's, in a night)
        pass

    assert _wrapped_types(OtherRunner()) == ("Quoted", "PrefectConcurrentFuture", 1)
