"""The Settings dialog: credentials into the keyring, settings into the file, Test connection."""

from __future__ import annotations

import httpx
import pytest
import respx

from pos_app import paths
from pos_app.app import GatewayFactory
from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.credentials import API_KEY, CHECKSUM_KEY, CLIENT_ID, SERVICE
from pos_app.settings import Settings, load_settings
from pos_app.ui.settings_dialog import SettingsDialog
from pos_app.ui.tasks import QtRunner


@pytest.fixture
def dialog(qtbot, memory_keyring):
    runner = QtRunner()
    d = SettingsDialog(Settings(), training=False, runner=runner,
                       settings_path=paths.settings_file(),
                       gateway_factory=GatewayFactory(training=False))
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: runner.pending == 0)
    yield d
    runner.wait()


def test_save_stores_secrets_in_keyring_and_the_rest_in_the_file(qtbot, dialog,
                                                                  memory_keyring):
    dialog.client_id.setText("ID-123")
    dialog.api_key.setText("SKsecret-value-0001")
    dialog.checksum_key.setText("CKsecret-value-0001")
    dialog.checksum_mode.setCurrentIndex(dialog.checksum_mode.findData("canonical"))
    dialog.till_name.setText("Counter 2")
    dialog.patience.setValue(90)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted)
    assert memory_keyring.store[(SERVICE, CLIENT_ID)] == "ID-123"
    assert memory_keyring.store[(SERVICE, API_KEY)] == "SKsecret-value-0001"
    assert memory_keyring.store[(SERVICE, CHECKSUM_KEY)] == "CKsecret-value-0001"
    saved, problems = load_settings(paths.settings_file())
    assert problems == []
    assert (saved.till_name, saved.patience_s, saved.checksum_mode) == (
        "Counter 2", 90, ChecksumMode.CANONICAL)
    text = paths.settings_file().read_text()
    assert "SKsecret" not in text and "CKsecret" not in text


def test_plain_http_to_a_remote_host_is_refused(dialog):
    dialog.base_url.setText("http://api.example.com")
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "only https:// is allowed" in dialog.result_label.text()
    assert not paths.settings_file().exists()


def test_test_connection_reports_success_and_failure_in_words(qtbot, dialog):
    dialog.client_id.setText("ID-123")
    dialog.api_key.setText("SKsecret-value-0001")
    with respx.mock(base_url="https://api.clickpesa.com") as router:
        route = router.post("/third-parties/generate-token")
        route.mock(return_value=httpx.Response(200, json={"success": True,
                                                          "token": "Bearer x.y.z"}))
        dialog.test_button.click()
        qtbot.waitUntil(lambda: dialog.test_button.isEnabled())
        assert dialog.result_label.text() == "Connection OK: ClickPesa accepted the credentials."
        assert route.calls.last.request.headers["api-key"] == "SKsecret-value-0001"
        route.mock(return_value=httpx.Response(403, json={"message": "Invalid client details"}))
        dialog.test_button.click()
        qtbot.waitUntil(lambda: dialog.test_button.isEnabled())
    assert dialog.result_label.text().startswith("Authentication failed: Invalid client details")
    assert "Check the Client ID in Settings" in dialog.result_label.text()


def test_no_keyring_is_said_in_the_dialog(qtbot, no_keyring):
    runner = QtRunner()
    d = SettingsDialog(Settings(), training=False, runner=runner, settings_path=None,
                       gateway_factory=None)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert "No secure keyring" in d.keyring_label.text()
    d.client_id.setText("ID")
    d.api_key.setText("KEY")
    d.save()
    qtbot.waitUntil(lambda: d.save_button.isEnabled())
    assert d.result() != d.DialogCode.Accepted
    assert "No secure keyring" in d.result_label.text()


def test_training_dialog_tests_the_simulator_and_never_touches_the_keyring(qtbot, no_keyring,
                                                                            tmp_path):
    """Training: Test connection says it reached the training simulator, no keyring error is
    shown (the keyring is not even read), and Save writes the training file only."""
    runner = QtRunner()
    live = paths.settings_file(False)
    d = SettingsDialog(Settings(), training=True, runner=runner,
                       settings_path=paths.settings_file(True),
                       gateway_factory=GatewayFactory(training=True))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert not d.credentials_box.isVisible()
    assert "keyring" not in d.result_label.text().lower()
    with respx.mock(assert_all_called=False) as mock:  # nothing may leave the computer
        d.test_button.click()
        qtbot.waitUntil(lambda: d.test_button.isEnabled())
        assert not mock.calls
    assert "training simulator" in d.result_label.text()
    assert "ClickPesa accepted" not in d.result_label.text()
    d.patience.setValue(45)
    d.save()
    qtbot.waitUntil(lambda: d.result() == d.DialogCode.Accepted)
    assert load_settings(paths.settings_file(True))[0].patience_s == 45
    assert not live.exists()  # the live till's settings are untouched
    runner.wait()


def test_no_label_in_the_dialog_is_clipped(qtbot, dialog):
    from PySide6.QtWidgets import QLabel

    dialog.show()
    dialog.keyring_label.setText("Keyring: SecretService Keyring (priority: 5). API key stored; "
                                 "checksum key not stored.")
    qtbot.waitExposed(dialog)
    for label in dialog.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        need = (label.heightForWidth(label.width()) if label.wordWrap()
                else label.sizeHint().height())
        assert need <= label.height() + 1, label.text()
        if not label.wordWrap():
            assert label.sizeHint().width() <= label.width() + 1, label.text()
