"""Settings: credentials (into the keyring), the API address, limits, and a connection test."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.clickpesa.api import BadBaseUrl, normalise_base_url
from pos_app.clickpesa.auth import Credentials
from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.clickpesa.errors import ClickPesaError
from pos_app.credentials import CredentialStatus, CredentialStore, KeyringUnavailable
from pos_app.settings import LANGUAGES, MAX_PAGE_LIMIT, Settings, printer_address, save_settings
from pos_app.till.charge import problem_for
from pos_app.till.ports import Runner
from pos_app.ui import wording

if TYPE_CHECKING:
    from pos_app.ui.main_window import GatewayFactory

log = logging.getLogger(__name__)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, *, training: bool, runner: Runner,
                 settings_path: Path | None, gateway_factory: GatewayFactory | None,
                 store: CredentialStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self.saved_settings: Settings | None = None
        self.training = training
        self.runner = runner
        self.settings_path = settings_path
        self.gateway_factory = gateway_factory
        self.store = store or CredentialStore()
        self._stored: CredentialStatus | None = None

        layout = QVBoxLayout(self)
        creds = QGroupBox(self.tr("ClickPesa credentials (kept in the system keyring)"), self)
        cform = QFormLayout(creds)
        self.client_id = QLineEdit(creds)
        self.client_id.setObjectName("clientIdEdit")
        self.api_key = QLineEdit(creds)
        self.api_key.setObjectName("apiKeyEdit")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.checksum_key = QLineEdit(creds)
        self.checksum_key.setObjectName("checksumKeyEdit")
        self.checksum_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.checksum_mode = QComboBox(creds)
        for mode, label in ((ChecksumMode.OFF, self.tr("Off")),
                            (ChecksumMode.CANONICAL, self.tr("Canonical (current)")),
                            (ChecksumMode.LEGACY, self.tr("Legacy"))):
            self.checksum_mode.addItem(label, mode.value)
        self.checksum_mode.setCurrentIndex(self.checksum_mode.findData(
            settings.checksum_mode.value))
        self.keyring_label = QLabel(self.tr("Reading the keyring…"), creds)
        self.keyring_label.setObjectName("keyringLabel")
        self.keyring_label.setWordWrap(True)
        cform.addRow(self.tr("Client ID"), self.client_id)
        cform.addRow(self.tr("API key"), self.api_key)
        cform.addRow(self.tr("Checksum key"), self.checksum_key)
        cform.addRow(self.tr("Checksum"), self.checksum_mode)
        cform.addRow(self.keyring_label)
        layout.addWidget(creds)
        # Training never uses credentials: the keyring is not read (so no keyring error can
        # show) and the fields are not offered.
        creds.setVisible(not training)
        self.credentials_box = creds

        till = QGroupBox(self.tr("Till"), self)
        tform = QFormLayout(till)
        self.base_url = QLineEdit(settings.base_url, till)
        self.base_url.setObjectName("baseUrlEdit")
        self.till_name = QLineEdit(settings.till_name, till)
        self.min_amount = QSpinBox(till)
        self.max_amount = QSpinBox(till)
        for box, value in ((self.min_amount, settings.min_amount),
                           (self.max_amount, settings.max_amount)):
            box.setRange(1, 100_000_000)
            box.setGroupSeparatorShown(True)
            box.setValue(value)
        self.patience = QSpinBox(till)
        self.patience.setRange(30, 900)
        self.patience.setSuffix(self.tr(" s"))
        self.patience.setValue(settings.patience_s)
        self.language = QComboBox(till)
        for code in LANGUAGES:
            self.language.addItem({"en": "English", "sw": "Kiswahili"}[code], code)
        self.language.setCurrentIndex(self.language.findData(settings.language))
        tform.addRow(self.tr("API address"), self.base_url)
        tform.addRow(self.tr("Till name"), self.till_name)
        tform.addRow(self.tr("Smallest amount (TZS)"), self.min_amount)
        tform.addRow(self.tr("Largest amount (TZS)"), self.max_amount)
        tform.addRow(self.tr("Wait for the PIN"), self.patience)
        tform.addRow(self.tr("Language"), self.language)
        layout.addWidget(till)
        layout.addWidget(self._slips_group(settings))

        self.test_button = QPushButton(self.tr("&Test connection"), self)
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.clicked.connect(self.test_connection)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("settingsResult")
        self.result_label.setWordWrap(True)
        layout.addWidget(self.test_button)
        layout.addWidget(self.result_label)
        if training:
            note = QLabel(self.tr(
                "Training mode: sales go to the built-in simulator and need no credentials. "
                "“Test connection” tests the simulator. Settings saved here apply to "
                "training only."), self)
            note.setObjectName("trainingNote")
            note.setWordWrap(True)
            layout.addWidget(note)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save_button is not None
        self.save_button = save_button
        layout.addWidget(buttons)
        if not training:
            self.runner.submit(self.store.status, self._got_status, self._status_failed)

    def _slips_group(self, settings: Settings) -> QGroupBox:
        """Receipts (payment confirmations), their printer, and closing the day."""
        from PySide6.QtWidgets import QCheckBox

        group = QGroupBox(self.tr("Receipts and closing the day"), self)
        form = QFormLayout(group)
        self.shop_name = QLineEdit(settings.shop_name, group)
        self.shop_name.setObjectName("shopNameEdit")
        self.shop_name.setMaxLength(60)
        self.header_edits = []
        for n, text in enumerate((settings.header_line_1, settings.header_line_2,
                                  settings.header_line_3), start=1):
            edit = QLineEdit(text, group)
            edit.setObjectName(f"headerLine{n}Edit")
            edit.setMaxLength(60)
            self.header_edits.append(edit)
        self.header_edits[0].setPlaceholderText(self.tr("e.g. Kariakoo Street 12, Dar es Salaam"))
        self.header_edits[1].setPlaceholderText(self.tr("e.g. Tel 0712 345 678"))
        self.header_edits[2].setPlaceholderText(self.tr("e.g. TIN 123-456-789"))
        self.printer = QComboBox(group)
        self.printer.setObjectName("printerCombo")
        self.printer.setEditable(True)
        self.printer.addItem(self.tr("(the system's default printer)"), "")
        if settings.printer:
            self.printer.addItem(settings.printer, settings.printer)
            self.printer.setCurrentIndex(1)
        # The printers are listed on a worker: asking CUPS can take seconds.
        self.runner.submit(_printer_names, self._got_printers, lambda exc: None)
        self.paper = QComboBox(group)
        self.paper.setObjectName("paperCombo")
        for code, label in (("58mm", self.tr("58 mm roll")), ("80mm", self.tr("80 mm roll")),
                            ("A4", self.tr("A4 sheet"))):
            self.paper.addItem(label, code)
        self.paper.setCurrentIndex(max(0, self.paper.findData(settings.paper)))
        self.auto_print = QCheckBox(self.tr("Print the confirmation as soon as a payment "
                                            "is paid"), group)
        self.auto_print.setObjectName("autoPrintCheck")
        self.auto_print.setChecked(settings.auto_print)
        self.escpos = QLineEdit(settings.escpos_address, group)
        self.escpos.setObjectName("escposEdit")
        self.escpos.setPlaceholderText(self.tr("e.g. 192.168.1.50:9100 — empty: the printer "
                                               "above"))
        self.page_limit = QSpinBox(group)
        self.page_limit.setObjectName("pageLimitSpin")
        self.page_limit.setRange(1, MAX_PAGE_LIMIT)
        self.page_limit.setValue(settings.reconcile_page_limit)
        self.reconcile_at_close = QCheckBox(self.tr("Reconcile with ClickPesa when a shift "
                                                    "is closed"), group)
        self.reconcile_at_close.setObjectName("reconcileAtCloseCheck")
        self.reconcile_at_close.setChecked(settings.reconcile_at_shift_close)
        form.addRow(self.tr("Shop name"), self.shop_name)
        for n, edit in enumerate(self.header_edits, start=1):
            form.addRow(self.tr("Header line {n}").format(n=n), edit)
        form.addRow(self.tr("Printer"), self.printer)
        form.addRow(self.tr("Paper"), self.paper)
        form.addRow("", self.auto_print)
        form.addRow(self.tr("Network thermal printer (ESC/POS)"), self.escpos)
        form.addRow(self.tr("Payments per page when reconciling"), self.page_limit)
        form.addRow("", self.reconcile_at_close)
        return group

    def _got_printers(self, names: list[str]) -> None:
        current = self.printer.currentData()
        for name in names:
            if self.printer.findData(name) < 0:
                self.printer.addItem(name, name)
        self.printer.setCurrentIndex(max(0, self.printer.findData(current)))

    def _got_status(self, status: CredentialStatus) -> None:
        self._stored = status
        yes, no = self.tr("stored"), self.tr("not stored")
        self.keyring_label.setText(self.tr(
            "Keyring: {backend}. API key {api}; checksum key {ck}.").format(
                backend=status.backend, api=yes if status.api_key else no,
                ck=yes if status.checksum_key else no))
        if status.api_key:
            self.api_key.setPlaceholderText(self.tr("stored — leave empty to keep"))
        if status.checksum_key:
            self.checksum_key.setPlaceholderText(self.tr("stored — leave empty to keep"))
        self.runner.submit(self._stored_client_id, self._got_client_id, lambda exc: None)

    def _stored_client_id(self) -> str:
        try:
            return self.store.load().client_id
        except ClickPesaError:
            return ""

    def _got_client_id(self, client_id: str) -> None:
        if client_id and not self.client_id.text():
            self.client_id.setText(client_id)

    def _status_failed(self, exc: BaseException) -> None:
        self.keyring_label.setText(wording.error_text(exc))
        self.keyring_label.setStyleSheet("color:#c5221f;")

    def _collect(self) -> Settings | None:
        try:
            base_url = normalise_base_url(self.base_url.text())
        except BadBaseUrl as exc:
            self._say(wording.error_text(exc), ok=False)
            return None
        if self.min_amount.value() > self.max_amount.value():
            self._say(self.tr("The smallest amount is above the largest."), ok=False)
            return None
        escpos = self.escpos.text().strip()
        if escpos and printer_address(escpos) is None:
            self._say(self.tr("The network printer address must look like "
                              "192.168.1.50:9100."), ok=False)
            return None
        printer_text = self.printer.currentText().strip()
        printer = "" if self.printer.currentIndex() == 0 and \
            printer_text == self.printer.itemText(0) else printer_text
        return replace(self.settings, base_url=base_url,
                       shop_name=" ".join(self.shop_name.text().split()),
                       header_line_1=" ".join(self.header_edits[0].text().split()),
                       header_line_2=" ".join(self.header_edits[1].text().split()),
                       header_line_3=" ".join(self.header_edits[2].text().split()),
                       printer=printer, paper=self.paper.currentData(),
                       auto_print=self.auto_print.isChecked(), escpos_address=escpos,
                       reconcile_page_limit=self.page_limit.value(),
                       reconcile_at_shift_close=self.reconcile_at_close.isChecked(),
                       till_name=self.till_name.text().strip()[:40] or self.settings.till_name,
                       min_amount=self.min_amount.value(), max_amount=self.max_amount.value(),
                       patience_s=self.patience.value(),
                       checksum_mode=ChecksumMode(self.checksum_mode.currentData()),
                       language=self.language.currentData())

    def _say(self, text: str, *, ok: bool) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet("color:#1e6e2e;" if ok else "color:#c5221f;")

    def test_connection(self) -> None:
        settings = self._collect()
        if settings is None or self.gateway_factory is None:
            return
        typed_id, typed_key = self.client_id.text().strip(), self.api_key.text()
        typed_ck = self.checksum_key.text() or None
        store = self.store

        def credentials() -> Credentials:
            if self.training:  # the simulator's own; the keyring is never read in training
                return Credentials("TRAINING", "TRAINING-KEY")
            if typed_id and typed_key:
                return Credentials(typed_id, typed_key, typed_ck)
            stored = store.load()
            return Credentials(typed_id or stored.client_id, typed_key or stored.api_key,
                               typed_ck or stored.checksum_key)

        gateway = self.gateway_factory(settings, credentials)

        def job() -> None:
            try:
                gateway.test_connection()
            finally:
                gateway.close()

        self.test_button.setEnabled(False)
        self._say(self.tr("Asking the training simulator for a token…") if self.training
                  else self.tr("Asking ClickPesa for a token…"), ok=True)
        self.runner.submit(job, self._test_ok, self._test_failed)

    def _test_ok(self, _: object) -> None:
        self.test_button.setEnabled(True)
        self._say(self.tr("Connection OK: the training simulator answered (training mode: no "
                          "real money moves).") if self.training
                  else self.tr("Connection OK: ClickPesa accepted the credentials."), ok=True)

    def _test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        problem = problem_for(exc)
        reason = exc.reason if isinstance(exc, ClickPesaError) else type(exc).__name__
        advice = wording.guidance(problem, reason, getattr(exc, "status_code", None),
                                  getattr(exc, "code", None))
        self._say(f"{wording.error_line(problem, reason)}\n{advice}", ok=False)

    def save(self) -> None:
        """Validate here; write the keyring and the file on a worker (an OS keyring may stop
        to ask for its password, and the window must not freeze meanwhile)."""
        settings = self._collect()
        if settings is None:
            return
        client_id = self.client_id.text().strip()
        api_key = self.api_key.text() or None
        checksum_key = self.checksum_key.text() or None
        store_credentials = not self.training and bool(
            client_id and (api_key or (self._stored and self._stored.api_key)))
        if not self.training and not store_credentials and (api_key or checksum_key):
            self._say(self.tr("Enter the Client ID together with the API key."), ok=False)
            return
        store, path = self.store, self.settings_path

        def job() -> Settings:
            if store_credentials:
                store.save(client_id, api_key, checksum_key)
            if path is not None:
                save_settings(settings, path)
            return settings

        self.save_button.setEnabled(False)
        self._say(self.tr("Saving…"), ok=True)
        self.runner.submit(job, self._saved, self._save_failed)

    def _saved(self, settings: Settings) -> None:
        self.save_button.setEnabled(True)
        self.saved_settings = settings
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, KeyringUnavailable):
            self._say(wording.error_text(exc), ok=False)  # already a sentence saying what to do
        else:
            self._say(self.tr("The settings could not be saved: {error}").format(
                error=exc if isinstance(exc, OSError) else type(exc).__name__), ok=False)


def _printer_names() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return [str(name) for name in QPrinterInfo.availablePrinterNames()]
