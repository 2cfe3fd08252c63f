"""Start-up: the window is painted first, the till (core, journal, gateway) attached after.

These guard what makes the first paint fast (benchmark 3) without letting it cost anything:
nothing typed before the till is attached is lost or charged, and the till is always attached.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import pos_app.journal
from pos_app import app as app_module
from pos_app import paths
from pos_app.app import GatewayFactory
from pos_app.clickpesa.simulator import Simulator
from pos_app.journal import Journal, JournalError
from pos_app.settings import Settings
from pos_app.till.charge import Phase
from pos_app.ui.main_window import MainWindow
from pos_app.ui.tasks import QtRunner

# Loaded only once the window is on screen (or never, in training): the till core, the
# journal's SQLite, the worker threads, the HTTP stack, the keyring, the phone-number database.
LATE_MODULES = ("pos_app.till.charge", "pos_app.journal.store", "sqlite3", "pos_app.ui.tasks",
                "httpx", "keyring", "phonenumbers", "pos_app.domain.phone",
                "pos_app.clickpesa.gateway")


def test_building_the_window_loads_neither_the_till_core_nor_qt_enums(tmp_path: Path) -> None:
    # A fresh interpreter: this test process has long imported everything.
    script = textwrap.dedent("""
        import json, sys
        from PySide6 import QtCore
        from PySide6.QtWidgets import QApplication
        import pos_app.cli, pos_app.app
        from pos_app.settings import Settings
        from pos_app.ui.main_window import MainWindow
        app = QApplication([])
        window = MainWindow(settings=Settings(), training=True)
        window.show()
        app.processEvents()
        before = {"modules": sorted(sys.modules), "qt_namespace": "Qt" in vars(QtCore)}
        from pos_app.app import GatewayFactory
        from pos_app.journal import Journal
        window.attach(GatewayFactory(training=True)(Settings()),
                      Journal(sys.argv[1], mode="training"), recheck_on_start=False)
        window.runner.wait()  # the start-up journal read, as the app waits at exit
        after = {"modules": sorted(sys.modules), "qt_namespace": "Qt" in vars(QtCore)}
        print(json.dumps({"before": before, "after": after}))
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "j.sqlite3")],
                         capture_output=True, text=True, env=env, timeout=60, check=True)
    import json

    result = json.loads(out.stdout.strip().splitlines()[-1])
    before, after = result["before"], result["after"]
    assert [m for m in LATE_MODULES if m in before["modules"]] == []
    assert not before["qt_namespace"], "the first frame created PySide's Qt namespace enums"
    # The check can fail: attaching the till does load them.
    assert {"pos_app.till.charge", "pos_app.journal.store", "sqlite3"} <= set(after["modules"])
    assert after["qt_namespace"]


@pytest.fixture
def parts(scheduler, journal):
    sim = Simulator(clock=scheduler.now)
    factory = GatewayFactory(training=True, simulator=sim)
    return factory, sim, journal


def test_typing_before_the_till_is_attached_is_kept_and_charges_only_after(
        qtbot, scheduler, parts) -> None:
    factory, sim, journal = parts
    runner = QtRunner()
    window = MainWindow(settings=Settings(), training=True, gateway_factory=factory,
                        runner=runner, scheduler=scheduler)
    qtbot.addWidget(window)
    window.show()
    assert not window.is_ready
    assert window.title.text() == "Opening the till…"
    qtbot.keyClicks(window.phone_edit, "0712 345 671")
    qtbot.keyClick(window.phone_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(window.amount_edit, "5000")
    qtbot.keyClick(window.amount_edit, Qt.Key.Key_Return)
    window.charge_button.click()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert sim.payments == {} and journal.attempts() == []  # nothing sent, nothing journalled

    with qtbot.waitSignal(window.ready):
        window.attach(factory(Settings()), journal, recheck_on_start=False)
    assert window.is_ready and window.title.text() == "Ready"
    assert "255712345671" in window.phone_hint.text()  # what was typed is checked now
    assert window.phone_edit.text() == "0712 345 671" and window.amount_edit.text() == "5000"
    qtbot.keyClick(window.amount_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.till.view.phase is Phase.WAITING)
    assert len(sim.payments) == 1 and len(journal.attempts()) == 1
    with pytest.raises(RuntimeError):
        window.attach(factory(Settings()), journal)
    window.till.shutdown()
    runner.wait()


def test_the_till_is_attached_right_after_the_first_paint(qtbot) -> None:
    window = MainWindow(settings=Settings(), training=True)
    qtbot.addWidget(window)
    order: list[str] = []

    class PaintSpy(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
            if event.type() == QEvent.Type.Paint and not order:
                order.append("painted")
            return False

    spy = PaintSpy()
    QApplication.instance().installEventFilter(spy)  # type: ignore[union-attr]
    try:
        window.call_after_first_paint(lambda: order.append("attached"))
        assert order == []
        window.show()
        qtbot.waitUntil(lambda: "attached" in order)
    finally:
        QApplication.instance().removeEventFilter(spy)  # type: ignore[union-attr]
    assert order == ["painted", "attached"]


def test_a_window_never_painted_is_attached_anyway(qtbot) -> None:
    # Started minimised, say: no paint comes, and the fallback timer attaches the till.
    window = MainWindow(settings=Settings(), training=True)
    qtbot.addWidget(window)  # never shown
    attached: list[bool] = []
    window.call_after_first_paint(lambda: attached.append(True), fallback_ms=0)
    qtbot.waitUntil(lambda: attached == [True])
    window._run_after_paint()  # a late paint or timer does not run it twice
    assert attached == [True]


def test_a_window_closed_before_the_first_paint_never_attaches(qtbot) -> None:
    window = MainWindow(settings=Settings(), training=True)
    qtbot.addWidget(window)
    attached: list[bool] = []
    window.call_after_first_paint(lambda: attached.append(True))
    window.close()  # no till yet: closing must not fail either
    window._run_after_paint()  # what the fallback timer would do
    assert attached == []


def _run_till(qapp, on_window) -> int:
    """run_gui as `pos-app --training` runs it; `on_window(window)` is called on its first
    event-loop turn, and the window is closed by the test (or after 20 s at the latest)."""
    earlier = set(qapp.topLevelWidgets())  # other tests' windows may not be deleted yet

    def find() -> None:
        windows = [w for w in qapp.topLevelWidgets()
                   if isinstance(w, MainWindow) and w not in earlier]
        if not windows:
            QTimer.singleShot(5, find)
            return
        on_window(windows[0])

    QTimer.singleShot(0, find)
    QTimer.singleShot(20_000, qapp.closeAllWindows)
    return app_module.run_gui(training=True)


def test_run_gui_paints_the_window_before_opening_the_journal(qapp) -> None:
    seen: dict[str, object] = {}

    class PaintSpy(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
            if event.type() == QEvent.Type.Paint and "ready_at_first_paint" not in seen:
                window = getattr(obj, "window", lambda: None)()
                if isinstance(window, MainWindow):
                    seen["ready_at_first_paint"] = window.is_ready
                    seen["journal_at_first_paint"] = paths.journal_file(True).exists()
            return False

    def on_window(window: MainWindow) -> None:
        def ready() -> None:
            seen["title"] = window.title.text()
            seen["journal"] = paths.journal_file(True).exists()
            seen["automatic_gc"] = gc.isenabled()  # off while worker threads may run
            window.close()

        if window.is_ready:
            ready()
        else:
            window.ready.connect(ready)

    spy = PaintSpy()
    qapp.installEventFilter(spy)
    gc.enable()  # as in a fresh process (the test session keeps it off, see conftest)
    try:
        rc = _run_till(qapp, on_window)
        assert gc.isenabled()  # given back on the way out
    finally:
        gc.disable()
        qapp.removeEventFilter(spy)
    assert rc == 0
    assert seen == {"ready_at_first_paint": False, "journal_at_first_paint": False,
                    "title": "Ready", "journal": True, "automatic_gc": False}


def test_run_gui_says_so_when_the_journal_cannot_be_opened(
        qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []

    def broken(path: Path, mode: str) -> Journal:
        raise JournalError(f"The journal {path} cannot be opened: disk full.")

    monkeypatch.setattr(pos_app.journal, "Journal", broken)
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text: shown.append(text)))
    windows: list[MainWindow] = []
    rc = _run_till(qapp, windows.append)
    assert rc == 1
    assert len(shown) == 1 and "cannot be opened: disk full" in shown[0]
    assert "Nothing can be charged until the till opens" in shown[0]
    assert str(paths.log_dir()) in shown[0]
    assert windows and not windows[0].isVisible() and not windows[0].is_ready


def test_run_gui_never_leaves_a_window_that_cannot_charge(
        qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bug while attaching the till: the cashier is told, and the window closes, instead of
    # a window saying "Opening the till…" for ever.
    shown: list[str] = []

    def broken_attach(self: MainWindow, *args: object, **kwargs: object) -> None:
        raise RuntimeError("wiring bug")

    monkeypatch.setattr(MainWindow, "attach", broken_attach)
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text: shown.append(text)))
    windows: list[MainWindow] = []
    rc = _run_till(qapp, windows.append)
    assert rc == 1
    assert len(shown) == 1
    assert "The till could not be opened (RuntimeError: wiring bug)." in shown[0]
    assert "Nothing can be charged until the till opens" in shown[0]
    assert windows and not windows[0].isVisible()
