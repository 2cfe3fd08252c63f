"""Garbage collection on the GUI thread only (pos_app/ui/collector.py)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from pos_app.ui.collector import MainThreadCollector


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector can free it


@pytest.fixture
def automatic_gc() -> Iterator[None]:
    """Automatic collection on, as in a fresh process (the test session keeps it off)."""
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()


def _allocate_in_a_worker(n: int) -> list[list[int]]:
    kept: list[list[int]] = []
    worker = threading.Thread(target=lambda: kept.extend([i] for i in range(n)))
    worker.start()
    worker.join()
    return kept


def test_a_worker_thread_never_collects_and_the_gui_thread_does(automatic_gc, qapp) -> None:
    collector = MainThreadCollector(start=False)
    try:
        assert not gc.isenabled()
        gc.collect()
        garbage = Node()
        alive = weakref.ref(garbage)
        del garbage
        kept = _allocate_in_a_worker(20 * gc.get_threshold()[0])  # many thresholds' worth
        assert alive() is not None, "the cycle was collected in the worker thread"
        assert collector.check() > 0
        assert alive() is None
        del kept
    finally:
        collector.stop()
    assert gc.isenabled()  # as it was before


def test_without_it_the_worker_thread_collects(automatic_gc) -> None:
    # What the collector prevents, shown: the same allocation collects the cycle in the worker.
    gc.collect()
    garbage = Node()
    alive = weakref.ref(garbage)
    del garbage
    _allocate_in_a_worker(20 * gc.get_threshold()[0])
    assert alive() is None


def test_below_the_threshold_nothing_is_collected(automatic_gc, qapp) -> None:
    collector = MainThreadCollector(start=False)
    try:
        gc.collect()
        garbage = Node()
        alive = weakref.ref(garbage)
        del garbage
        assert collector.check() == 0
        assert alive() is not None
    finally:
        collector.stop()
    gc.collect()
    assert alive() is None


def test_it_checks_on_a_timer(qtbot, automatic_gc) -> None:
    collector = MainThreadCollector(interval_ms=5)
    try:
        gc.collect()
        garbage = Node()
        alive = weakref.ref(garbage)
        del garbage
        kept = [[i] for i in range(2 * gc.get_threshold()[0])]
        qtbot.waitUntil(lambda: alive() is None)
        del kept
    finally:
        collector.stop()


def test_settling_collects_once_then_freezes_what_start_up_left(automatic_gc, qapp) -> None:
    collector = MainThreadCollector(start=False, settle=True)
    try:
        garbage = Node()
        gone = weakref.ref(garbage)
        del garbage
        survivor = Node()
        assert collector.check() > 0
        assert gone() is None  # start-up garbage is collected, not frozen
        assert gc.get_freeze_count() > 0  # the survivors are out of later collections
        later = Node()
        later_ref = weakref.ref(later)
        del later
        assert collector.check() == 0  # an ordinary check again: below the threshold
        assert later_ref() is not None
        gc.collect()
        assert later_ref() is None  # objects made after settling are collected as usual
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0  # stop() gives them back
    del survivor
