"""QtRunner and QtScheduler: results come back on the GUI thread, once, whatever happens."""

from __future__ import annotations

import logging
import threading

import shiboken6

from pos_app.ui.tasks import QtRunner, QtScheduler


def test_results_and_errors_come_back_on_the_gui_thread(qtbot) -> None:
    runner = QtRunner()
    seen: list[tuple[str, object, bool]] = []
    gui = threading.get_ident()
    runner.submit(lambda: threading.get_ident(),
                  lambda worker: seen.append(("done", worker != gui, threading.get_ident() == gui)),
                  lambda exc: seen.append(("error", exc, False)))
    runner.submit(lambda: 1 / 0, lambda r: seen.append(("done", r, False)),
                  lambda exc: seen.append(("error", type(exc).__name__,
                                           threading.get_ident() == gui)))
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert sorted(seen, key=lambda s: s[0]) == [("done", True, True),
                                                ("error", "ZeroDivisionError", True)]


def test_a_failing_callback_is_logged_and_the_next_result_still_arrives(qtbot, caplog) -> None:
    runner = QtRunner()
    got: list[int] = []

    def broken(_: object) -> None:
        raise ValueError("bug in a callback")

    runner.submit(lambda: 1, broken, lambda exc: None)
    runner.submit(lambda: 2, got.append, lambda exc: None)
    with caplog.at_level(logging.ERROR, logger="pos_app.ui.tasks"):
        qtbot.waitUntil(lambda: runner.pending == 0)
    assert got == [2]
    assert "error while handling a background result" in caplog.text


def test_a_result_after_the_runner_is_gone_is_logged_not_raised(qtbot, caplog) -> None:
    runner = QtRunner()
    release = threading.Event()
    runner.submit(release.wait, lambda r: None, lambda exc: None)
    shiboken6.delete(runner._bridge)  # what tearing the app down does to it
    with caplog.at_level(logging.WARNING, logger="pos_app.ui.tasks"):
        release.set()
        assert runner.wait(5000)
    assert "came after the window had gone" in caplog.text


def test_scheduler_timers_fire_and_cancel(qtbot) -> None:
    scheduler = QtScheduler()
    fired: list[str] = []
    scheduler.call_later(0.0, lambda: fired.append("a"))
    scheduler.call_later(0.0, lambda: fired.append("cancelled")).cancel()
    # Due at the same time, timers fire in the order they were made: once "last" has fired,
    # the cancelled one would have too.
    scheduler.call_later(0.0, lambda: fired.append("last"))
    qtbot.waitUntil(lambda: "last" in fired)
    assert fired == ["a", "last"]
