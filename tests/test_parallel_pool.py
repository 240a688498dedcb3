"""The process pool of --jobs N: its maintenance thread sleeps while results flow, yet still
replaces a worker that dies."""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import time

import pytest

from migrator import parallel

pytestmark = pytest.mark.skipif(not parallel.available(), reason="needs fork")


def _square(n: int) -> int:
    return n * n


def _wakeups(pool_class: type, monkeypatch) -> tuple[list[int], int]:
    """Results of 200 small tasks in flight together, and how often the pool's maintenance
    thread woke meanwhile (the standard pool: dozens of times, once or more per result read)."""
    woke = []
    maintain = multiprocessing.pool.Pool.__dict__["_maintain_pool"].__func__

    def counting(*args):
        woke.append(1)
        maintain(*args)

    monkeypatch.setattr(multiprocessing.pool.Pool, "_maintain_pool", staticmethod(counting))
    with pool_class(2, context=multiprocessing.get_context("fork")) as pool:
        pool.apply(_square, (0,))  # both workers up
        time.sleep(0.05)
        before = len(woke)
        pending = [pool.apply_async(_square, (n,)) for n in range(200)]
        results = [p.get(timeout=60) for p in pending]
        return results, len(woke) - before


def test_maintenance_thread_sleeps_while_results_flow(monkeypatch) -> None:
    results, woke = _wakeups(parallel._Pool, monkeypatch)
    assert results == [n * n for n in range(200)]
    assert woke <= 3, f"the maintenance thread woke {woke} times for 200 results"


def _die(_: int) -> int:
    os._exit(1)  # a worker that dies while converting (not while waiting for work: see below)


def test_a_dead_worker_is_replaced() -> None:
    """A worker that dies is noticed by its process sentinel and replaced.  (It dies in a task:
    one killed while waiting for work would die holding the task queue's lock, which no pool
    survives.)"""
    with parallel._Pool(2, context=multiprocessing.get_context("fork")) as pool:
        first = {p.pid for p in pool._pool}  # type: ignore[attr-defined]
        pool.apply_async(_die, (0,))  # its result never comes
        deadline = time.monotonic() + 20
        while first <= {p.pid for p in pool._pool} and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.02)
        assert not first <= {p.pid for p in pool._pool}, "the dead worker was not replaced"  # type: ignore[attr-defined]
        assert len(pool._pool) == 2  # type: ignore[attr-defined]
        assert [pool.apply(_square, (n,)) for n in range(4)] == [0, 1, 4, 9]
