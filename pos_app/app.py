"""Wiring: settings, keyring, journal, gateway (real or simulated) and the window."""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app import APP_NAME, __version__, paths
from pos_app.logs import register_secret, setup_logging
from pos_app.settings import Settings, load_settings

if TYPE_CHECKING:
    from datetime import date

    from pos_app.clickpesa.auth import Credentials, CredentialSource
    from pos_app.clickpesa.gateway import Gateway
    from pos_app.clickpesa.payment_list import Page
    from pos_app.clickpesa.replies import PaymentStatus, PushAccepted
    from pos_app.clickpesa.simulator import Simulator
    from pos_app.domain.money import Amount
    from pos_app.domain.phone import Phone
    from pos_app.journal import Journal
    from pos_app.ui.collector import MainThreadCollector

log = logging.getLogger(__name__)

TRAINING_BASE_URL = "https://simulator.training.invalid"
TRAINING_LATENCY_S = 0.4


def stored_credentials() -> Credentials:
    # Imported here: keyring costs ~25 ms and ~4 MB at start-up, and training never uses it.
    from pos_app.credentials import CredentialStore

    creds = CredentialStore().load()
    register_secret(creds.api_key)
    register_secret(creds.checksum_key)
    return creds


def credentials_problem() -> str | None:
    """Why the stored credentials cannot be used (None: they can). Never returns a value."""
    from pos_app.clickpesa.errors import ClickPesaError
    from pos_app.i18n import QT_TRANSLATE_NOOP

    try:
        creds = stored_credentials()
    except ClickPesaError as exc:
        return exc.reason
    if not creds.client_id or not creds.api_key:
        return QT_TRANSLATE_NOOP("Messages", "No Client ID or API key is stored on this computer.")
    return None


class LazyGateway:
    """The gateway, built on first use — which is on a worker thread, so httpx's import and
    the TLS context (~60 ms, ~11 MB) are paid after the window is up, never before it."""

    def __init__(self, build: Callable[[], Gateway]) -> None:
        self._build = build
        self._gateway: Gateway | None = None
        self._lock = threading.Lock()

    def _get(self) -> Gateway:
        with self._lock:
            if self._gateway is None:
                self._gateway = self._build()
            return self._gateway

    def ensure_token(self, *, fresh: bool = False) -> str:
        return self._get().ensure_token(fresh=fresh)

    def test_connection(self) -> None:
        self._get().test_connection()

    def initiate(self, order_reference: str, phone: Phone, amount: Amount) -> PushAccepted:
        return self._get().initiate(order_reference, phone, amount)

    def status(self, order_reference: str) -> PaymentStatus | None:
        return self._get().status(order_reference)

    def list_payments(self, start_date: date, end_date: date, *, skip: int = 0,
                      limit: int = 50) -> Page:
        return self._get().list_payments(start_date, end_date, skip=skip, limit=limit)

    @property
    def calls(self) -> dict[str, int]:
        """The calls made so far, per endpoint (none before the gateway is built)."""
        gateway = self._gateway
        return gateway.calls if gateway is not None else {}

    def close(self) -> None:
        with self._lock:
            if self._gateway is not None:
                self._gateway.close()


class GatewayFactory:
    """Builds the gateway for the current settings: ClickPesa, or the simulator in training."""

    def __init__(self, *, training: bool, simulator: Simulator | None = None) -> None:
        self.training = training
        self._simulator = simulator
        self._lock = threading.Lock()

    @property
    def simulator(self) -> Simulator:
        with self._lock:
            if self._simulator is None:
                from pos_app.clickpesa.simulator import Simulator

                self._simulator = Simulator(latency_s=TRAINING_LATENCY_S)
            return self._simulator

    def __call__(self, settings: Settings,
                 credentials: CredentialSource | None = None) -> LazyGateway:
        def build() -> Gateway:
            from pos_app.clickpesa.gateway import Gateway

            if self.training:
                from pos_app.clickpesa.auth import Credentials

                training_credentials = Credentials("TRAINING", "TRAINING-KEY")
                return Gateway(TRAINING_BASE_URL, lambda: training_credentials,
                               transport=self.simulator.transport())
            return Gateway(settings.base_url, credentials or stored_credentials,
                           checksum_mode=settings.checksum_mode)

        return LazyGateway(build)


def resource_path(*parts: str) -> str | None:
    from importlib import resources  # ~2 ms: not before the first paint in English

    try:
        path = resources.files("pos_app.resources").joinpath(*parts)
    except (ModuleNotFoundError, TypeError):
        return None
    return str(path) if path.is_file() else None


_installed: dict[int, object] = {}  # id(app) -> the QTranslator now installed in it


def install_translator(app: object, language: str) -> bool:
    """Load the Qt catalogue for `language` if one ships (English needs none), in place of
    the one installed before: switching language at run time sends every widget a
    LanguageChange, and the window retranslates itself."""
    from PySide6.QtCore import QTranslator

    translator = None
    if language != "en":
        qm = resource_path("translations", f"pos_app_{language}.qm")
        translator = QTranslator(app)  # type: ignore[arg-type]
        if not (qm and translator.load(qm)):
            log.warning("no %s translation found; showing English", language)
            return False
    old = _installed.pop(id(app), None)
    if old is not None:
        app.removeTranslator(old)  # type: ignore[attr-defined]
    if translator is not None:
        app.installTranslator(translator)  # type: ignore[attr-defined]
        _installed[id(app)] = translator
    return True


def run_gui(*, training: bool = False, base_url: str | None = None,
            smoke_test: bool = False) -> int:
    """Open the till window. It is painted first and the till attached right after (see
    `pos_app.ui.main_window`): the journal, the till core and the first re-check of unresolved
    attempts all come after the cashier can see the window."""
    from PySide6.QtCore import QLockFile
    from PySide6.QtWidgets import QApplication

    from pos_app.ui.main_window import MainWindow

    setup_logging(paths.log_dir())
    log.info("starting %s %s (%s)", APP_NAME, __version__, "training" if training else "live")
    if smoke_test:
        from pos_app.smoke import prepare_environment

        prepare_environment()  # offscreen Qt, unless QT_QPA_PLATFORM says otherwise
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    settings, problems = load_settings(paths.settings_to_load(training))
    if base_url:
        settings = replace(settings, base_url=base_url)
    install_translator(app, settings.language)

    scratch: tempfile.TemporaryDirectory[str] | None = None
    if smoke_test:
        # A smoke test must never touch the shop's journal or call ClickPesa (an unresolved
        # attempt would otherwise be re-checked): a throwaway journal and the simulator.
        scratch = tempfile.TemporaryDirectory(prefix="pos-app-smoke-")
        journal_path = Path(scratch.name) / "smoke-journal.sqlite3"
    else:
        journal_path = paths.journal_file(training)
    # A data folder the till cannot write to (read-only, full disk) is said in those words,
    # naming the folder — not as "already open", which is all a failed lock would say.
    lock = QLockFile(str(paths.lock_file(training)))
    if not smoke_test:
        from PySide6.QtWidgets import QMessageBox

        from pos_app.i18n import QT_TRANSLATE_NOOP
        from pos_app.settings import Problem
        from pos_app.ui.wording import settings_problem

        problem = paths.data_folder_problem(paths.data_dir())
        if problem is None and not lock.tryLock(100):
            if lock.error() == QLockFile.LockError.LockFailedError:
                QMessageBox.warning(None, "Malipo POS", app.translate(
                    "App", "The till is already open on this computer. Use that window."))
                return 1
            problem = paths.data_folder_problem(paths.data_dir()) or Problem(
                QT_TRANSLATE_NOOP("Messages", "The till cannot create its lock file {path} "
                                              "({error}). Check the data folder, then start "
                                              "the till again."),
                path=paths.lock_file(training), error=lock.error().name)
        if problem is not None:
            log.error("cannot use the data folder: %s", problem)
            QMessageBox.warning(None, "Malipo POS", settings_problem(problem))
            return 1
    factory = GatewayFactory(training=training or smoke_test)
    window = MainWindow(settings=settings, training=training,
                        settings_path=paths.settings_file(training), gateway_factory=factory,
                        problems=problems,
                        credentials_check=None if training or smoke_test else credentials_problem)
    opened: list[Journal] = []
    failed: list[str] = []
    collectors: list[MainThreadCollector] = []

    def cannot_open(reason: str) -> None:
        """Say why the till cannot take payments, and what to do; then close the window
        rather than leave one that looks ready and cannot charge."""
        from PySide6.QtWidgets import QMessageBox

        failed.append(reason)
        QMessageBox.critical(window, "Malipo POS", reason + "\n\n" + app.translate(
            "App", "Nothing can be charged until the till opens. Check that the computer's "
                   "disk is not full, then start the till again. If this comes back, send "
                   "the log files in {folder} to whoever looks after the till.").format(
                       folder=paths.log_dir()))
        window.close()

    def open_till() -> None:
        from PySide6.QtGui import QIcon

        from pos_app.journal import Journal, JournalError

        icon = resource_path("icons", "pos-app.png")
        if icon:
            app.setWindowIcon(QIcon(icon))
        try:
            journal = Journal(journal_path, mode="training" if training else "live")
        except JournalError as exc:
            from pos_app.ui.wording import error_text

            cannot_open(error_text(exc))
            return
        opened.append(journal)
        try:
            # Worker threads start with the till: from now on, cycles are collected on the
            # GUI thread only (see pos_app/ui/collector.py).
            from pos_app.ui.collector import MainThreadCollector

            collector = MainThreadCollector(window, settle=True)
            collectors.append(collector)
            window.attach(factory(settings), journal, recheck_on_start=not smoke_test)
            if not training and not smoke_test:
                window.link_shop(journal_path)  # a joined till: outbox sender and hint stream
            collector.check()  # start-up is over: settle (see there)
        except Exception as exc:  # noqa: BLE001 — a bug: say so, never a window that cannot charge
            log.exception("the till could not be attached to its window")
            cannot_open(app.translate("App", "The till could not be opened ({error}).").format(
                error=f"{type(exc).__name__}: {exc}"))

    window.call_after_first_paint(open_till)
    if smoke_test:
        window.show()
    else:
        # A till owns its screen: maximised, the panel's words grow with it (issue 9).
        window.showMaximized()
    if smoke_test:
        from pos_app.smoke import run_smoke_checks

        rc = run_smoke_checks(app, window)
    else:
        rc = app.exec()
    if window.is_ready:
        from pos_app.ui.tasks import QtRunner

        window.till.shutdown()
        if isinstance(window.runner, QtRunner):  # it is: the window made it
            window.runner.wait(30_000)  # let an in-flight push or check finish and journal it
        window.till.gateway.close()
    for journal in opened:
        journal.close()
    for collector in collectors:
        collector.stop()
    lock.unlock()
    if scratch is not None:
        scratch.cleanup()
    return 1 if failed else rc
