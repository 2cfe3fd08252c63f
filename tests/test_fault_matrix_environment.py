"""Fault matrix, environment rows (issue 8, "Bad input and environment").

The table is the "Environment" section of docs/fault-matrix.md.
Each test is named for its row id (`test_<row>` or a parametrize id). Real sockets only on
127.0.0.1 (tests/loopback.py); ClickPesa itself is respx. No test sleeps: where a real server
trickles, the call's own deadline (set small) bounds the wall clock.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
import respx
from loopback import LoopbackServer, Reply, Seen
from PySide6.QtCore import QLockFile

from pos_app import paths
from pos_app.cli import main
from pos_app.clickpesa import api
from pos_app.clickpesa.errors import (
    AuthFailed,
    CredentialsMissing,
    NotConnected,
    Reason,
    Rejected,
    Unavailable,
    Unclear,
)
from pos_app.clickpesa.gateway import Credentials, Gateway, environment_proxy
from pos_app.credentials import API_KEY, CHECKSUM_KEY, CLIENT_ID, SERVICE
from pos_app.domain.attempt import AttemptState
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone
from pos_app.journal import Journal, JournalError
from pos_app.journal import store as journal_store
from pos_app.journal.export import ExportRefused, export_csv

BASE = "https://api.clickpesa.com"
REF = "M2612011200ENVTEST1"
PHONE = Phone("255712345678")
CLIENT = "IDenvClient0001"
KEY = "SKenv-api-key-must-never-show-5d1e"
CHECKSUM = "CKenv-checksum-key-must-never-show-77a0"
TOKEN = "Bearer eyJenv.echoed-token-must-never-show.9c2f"
BARE_TOKEN = TOKEN.removeprefix("Bearer ")
SECRETS = (KEY, CHECKSUM, TOKEN, BARE_TOKEN)
CREDS = Credentials(CLIENT, KEY, CHECKSUM)


def token_reply(token: str = TOKEN) -> httpx.Response:
    return httpx.Response(200, json={"success": True, "token": token})


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def check_lines(out: str) -> dict[str, str]:
    return {line.split(":", 1)[0]: line.split(":", 1)[1].strip()
            for line in out.splitlines() if ":" in line}


def store_in_keyring(memory_keyring, client_id: str = CLIENT, api_key: str = KEY) -> None:
    memory_keyring.store.update({(SERVICE, CLIENT_ID): client_id, (SERVICE, API_KEY): api_key,
                                 (SERVICE, CHECKSUM_KEY): CHECKSUM})


@pytest.fixture
def cp():
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(api.TOKEN_PATH, name="token").mock(return_value=token_reply())
        router.post(api.INITIATE_PATH, name="initiate").mock(return_value=httpx.Response(
            200, json={"id": "ENV1", "status": "PROCESSING", "channel": "M-PESA",
                       "orderReference": REF}))
        router.get(api.STATUS_PATH.format(order_reference=REF), name="status").mock(
            return_value=httpx.Response(200, json=[]))
        yield router


@pytest.fixture
def gateways():
    made: list[Gateway] = []

    def make(base_url: str = BASE, creds: Credentials = CREDS, **kw) -> Gateway:
        gw = Gateway(base_url, lambda: creds, **kw)
        made.append(gw)
        return gw

    yield make
    for gw in made:
        gw.close()


# -- echoed-secret -------------------------------------------------------------------------


def _journal_text(path: Path) -> str:
    """Everything in the journal's files, as text (the WAL holds recent pages)."""
    return "".join(p.read_bytes().decode("latin-1") for p in path.parent.glob(path.name + "*"))


def test_echoed_secret(cp, gateways, tmp_path: Path) -> None:
    """ClickPesa (or a proxy) echoes the token, API key and checksum key in its messages."""
    echo = f"{TOKEN} / {BARE_TOKEN} / api-key {KEY} / checksum {CHECKSUM}"
    gw = gateways()
    journal = Journal(tmp_path / "journal.sqlite3", mode="live")

    # 1. a 400 whose message echoes them: the reason is scrubbed, the code still decided
    cp["initiate"].mock(return_value=httpx.Response(
        400, json={"message": f"Invalid / unsupported phone number: {echo}"}))
    journal.record_new(REF, phone=PHONE.digits, amount_tzs=5000)
    with pytest.raises(Rejected) as refused:
        gw.initiate(REF, PHONE, Amount(5000))
    assert refused.value.code is Reason.INVALID_PHONE
    assert_no_secret(refused.value.reason, str(refused.value))
    assert "***" in refused.value.reason
    journal.transition(REF, AttemptState.NOT_SENT, message=f"Not sent: {refused.value.reason}",
                       detail=f"push: {type(refused.value).__name__}")

    # 2. a status row (PROCESSING, then FAILED) whose message echoes them
    ref2 = "M2612011200ENVTEST2"
    journal.record_new(ref2, phone=PHONE.digits, amount_tzs=7000)
    journal.transition(ref2, AttemptState.PENDING)
    route = cp.get(api.STATUS_PATH.format(order_reference=ref2))
    for status in ("PROCESSING", "FAILED"):
        route.mock(return_value=httpx.Response(200, json=[{
            "id": f"ID {TOKEN}", "status": status, "orderReference": ref2,
            "channel": f"M-PESA {KEY}", "message": f"Insufficient balance {echo}",
            "updatedAt": "2026-12-01T09:00:00Z"}]))
        answer = gw.status(ref2)
        assert answer is not None and answer.row is not None
        for row in (answer.row, *answer.rows):
            assert_no_secret(row.message, row.channel, row.clickpesa_id)
        assert answer.row.message.startswith("Insufficient balance ***")
        journal.transition(ref2, AttemptState.FAILED if status == "FAILED"
                           else AttemptState.PENDING, message=answer.row.message,
                           channel=answer.row.channel, clickpesa_id=answer.row.clickpesa_id,
                           detail=f"status {answer.status}")

    # 3. second line of defence: a caller that journals ClickPesa's raw words
    journal.note(ref2, f"raw detail {echo}")
    journal.transition(ref2, AttemptState.FAILED, message=f"raw {echo}", detail=echo)

    rows = journal.attempts()
    history = journal.transitions(REF) + journal.transitions(ref2)
    out = tmp_path / "export.csv"
    assert export_csv(rows, out) == 2
    journal.close()
    assert_no_secret(repr(rows), repr(history), out.read_text(encoding="utf-8"),
                     _journal_text(tmp_path / "journal.sqlite3"))
    exported = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert exported[1]["message"].startswith("raw ***")


def test_echoed_secret_in_a_token_refusal_and_a_bad_reply(cp, gateways) -> None:
    gw = gateways()
    cp["token"].mock(return_value=httpx.Response(
        403, json={"message": f"Invalid or Expired API-Key {KEY}"}))
    with pytest.raises(AuthFailed) as info:
        gw.ensure_token()
    assert info.value.code is Reason.API_KEY_INVALID
    assert_no_secret(info.value.reason)
    cp["token"].mock(return_value=token_reply())
    cp["status"].mock(return_value=httpx.Response(503, json={"message": f"down {TOKEN}"}))
    with pytest.raises(Unclear) as info2:
        gw.status(REF)
    assert info2.value.code is Reason.SERVER_ERROR
    assert_no_secret(info2.value.reason)


# -- proxy-variables -------------------------------------------------------------------------


def _standin(seen: Seen) -> Reply:
    if seen.path.endswith(api.TOKEN_PATH):
        return Reply.json({"success": True, "token": TOKEN})
    if seen.path.endswith(api.INITIATE_PATH):
        ref = json.loads(seen.body)["orderReference"]
        return Reply.json({"id": "LB1", "status": "PROCESSING", "orderReference": ref})
    return Reply.json([])


def _all_proxy_variables(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, url)
        monkeypatch.setenv(name.lower(), url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_proxy_variables_are_never_used_for_a_loopback_standin(
        monkeypatch: pytest.MonkeyPatch, gateways, host: str) -> None:
    with LoopbackServer(lambda seen: Reply(502)) as proxy, LoopbackServer(_standin) as standin:
        _all_proxy_variables(monkeypatch, proxy.url)
        gw = gateways(f"http://{host}:{standin.port}")
        accepted = gw.initiate(REF, PHONE, Amount(5000))
        assert gw.status(REF) is not None
    assert accepted.clickpesa_id == "LB1"
    assert proxy.connections == 0  # the API key never went through it in clear
    token_call = standin.seen[0]
    assert token_call.path == api.TOKEN_PATH and token_call.headers["api-key"] == KEY
    assert [s.path for s in standin.seen[1:]] == [
        api.INITIATE_PATH, api.STATUS_PATH.format(order_reference=REF)]


def test_proxy_variables_are_honoured_for_clickpesa_itself(monkeypatch: pytest.MonkeyPatch,
                                                           gateways) -> None:
    """A shop behind a proxy reaches https://api.clickpesa.com through it (a CONNECT tunnel,
    TLS inside). This proxy refuses the tunnel, so nothing leaves 127.0.0.1."""
    with LoopbackServer(lambda seen: Reply(403, b"", "text/plain")) as proxy:
        _all_proxy_variables(monkeypatch, proxy.url)
        gw = gateways(BASE)
        with pytest.raises(NotConnected) as info:
            gw.ensure_token()
    assert [(s.method, s.target) for s in proxy.seen] == [("CONNECT", "api.clickpesa.com:443")]
    assert "api-key" not in proxy.seen[0].headers  # inside the tunnel only, never to the proxy
    assert info.value.code is Reason.OFFLINE


def test_proxy_variables_follow_no_proxy_and_the_scheme(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    _all_proxy_variables(monkeypatch, "proxy.shop.lan:3128")
    assert environment_proxy(BASE) == "http://proxy.shop.lan:3128"
    assert environment_proxy("http://127.0.0.1:8080") is None
    assert environment_proxy("http://localhost:8080") is None
    assert environment_proxy("https://[::1]:8443") is None
    monkeypatch.setenv("NO_PROXY", "example.org,clickpesa.com")
    assert environment_proxy(BASE) is None
    monkeypatch.delenv("NO_PROXY")
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name)
    assert environment_proxy(BASE) == "http://proxy.shop.lan:3128"  # ALL_PROXY


# -- export-over-the-journal -----------------------------------------------------------------


def _fill_journal() -> None:
    journal = Journal(paths.journal_file(False), mode="live")
    try:
        journal.record_new("MENV1", phone="255712345671", amount_tzs=5000)
        journal.transition("MENV1", AttemptState.PAID, message="Payment received")
    finally:
        journal.close()


def _journal_still_whole() -> None:
    journal = Journal(paths.journal_file(False), mode="live")
    try:
        assert [(r.order_reference, r.state) for r in journal.attempts()] == [
            ("MENV1", AttemptState.PAID)]
    finally:
        journal.close()


@pytest.mark.parametrize("target", ["journal", "journal-wal", "training-journal", "settings",
                                    "log", "lock", "journal-through-a-symlink"])
@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_export_over_the_journal(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                 target: str, force: bool) -> None:
    _fill_journal()
    journal = paths.journal_file(False)
    out = {"journal": journal, "journal-wal": journal.with_name(journal.name + "-wal"),
           "training-journal": paths.journal_file(True), "settings": paths.settings_file(),
           "log": paths.log_file(), "lock": paths.lock_file(False),
           "journal-through-a-symlink": tmp_path / "innocent.csv"}[target]
    if target == "journal-through-a-symlink":
        out.symlink_to(journal)
    before = journal.read_bytes()
    assert main(["export", "--out", str(out), *(["--force"] if force else [])]) == 1
    err = capsys.readouterr().err
    assert "one of the till's own files" in err and "the export was not written" in err
    assert "Traceback" not in err
    assert journal.read_bytes() == before
    _journal_still_whole()


def test_export_over_another_existing_file_needs_force(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    _fill_journal()
    out = tmp_path / "yesterday.csv"
    out.write_text("keep me\n", encoding="utf-8")
    assert main(["export", "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert main(["export", "--out", str(out), "--force"]) == 0
    assert "MENV1" in out.read_text(encoding="utf-8")
    _journal_still_whole()


def test_export_over_the_journal_from_the_window_and_protected_extras(tmp_path: Path) -> None:
    """The window passes force=True (its dialog asked): the till's files stay refused."""
    _fill_journal()
    with pytest.raises(ExportRefused) as info:
        export_csv([], paths.journal_file(False), force=True)
    assert info.value.args[0].template  # a Problem: the window can translate it
    extra = tmp_path / "backup.sqlite3"
    extra.write_bytes(b"precious")
    with pytest.raises(ExportRefused):
        export_csv([], tmp_path / "." / "backup.sqlite3", force=True, protected=[extra])
    assert extra.read_bytes() == b"precious"
    assert not (tmp_path / "backup.sqlite3.part").exists()
    _journal_still_whole()


# -- read-only-data-folder / full-data-folder --------------------------------------------------


def _readonly_connect(real=sqlite3.connect):
    def connect(path, *args, **kw):
        return real(f"file:{path}?mode=ro", *args, uri=True, **kw)

    return connect


def _probe_fails(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def refuse(folder: Path) -> None:
        raise OSError(code, f"simulated: {errno.errorcode[code]}", str(folder))

    monkeypatch.setattr(paths, "write_probe", refuse)


def test_read_only_data_folder_when_writing(tmp_path: Path) -> None:
    """A real read-only sqlite connection ("attempt to write a readonly database")."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path, mode="live")
    journal.record_new("MRO1", phone="255712345671", amount_tzs=5000)
    journal._db.close()
    journal._db = _readonly_connect()(path, check_same_thread=False, isolation_level=None)
    with pytest.raises(JournalError) as info:
        journal.record_new("MRO2", phone="255712345672", amount_tzs=5000)
    journal.close()
    assert info.value.trouble == paths.READ_ONLY
    assert str(info.value).startswith(f"The data folder {tmp_path} is read-only")
    assert "readonly database" not in str(info.value)
    assert info.value.args[0].template == paths.STORAGE_MESSAGES[("journal", paths.READ_ONLY)]
    reopened = Journal(path, mode="live")
    assert [r.order_reference for r in reopened.attempts()] == ["MRO1"]
    reopened.close()


def test_read_only_data_folder_when_opening(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path, mode="live").close()
    monkeypatch.setattr(journal_store.sqlite3, "connect", _readonly_connect())
    with pytest.raises(JournalError) as info:
        Journal(path, mode="live")
    assert "is read-only" in str(info.value)


@pytest.mark.parametrize("code, words", [
    (errno.EROFS, "is read-only"), (errno.EACCES, "is read-only"),
    (errno.ENOSPC, "The disk is full"),
], ids=["read-only-data-folder", "read-only-data-folder-permissions", "full-data-folder"])
def test_data_folder_in_pos_app_check(memory_keyring, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str], code: int,
                                      words: str) -> None:
    Journal(paths.journal_file(False), mode="live").close()  # a till that has traded here
    _probe_fails(monkeypatch, code)
    monkeypatch.setattr(journal_store.sqlite3, "connect", _readonly_connect())  # journal too
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    lines = check_lines(out)
    assert lines["Data folder"].startswith("FAILED: ") and words in lines["Data folder"]
    assert str(paths.data_dir()) in lines["Data folder"]
    # The journal there cannot be opened for writing either (sqlite says read-only for
    # both: it is told as the journal's own problem, naming the file).
    assert lines["Journal"].startswith("FAILED: ")
    assert str(paths.journal_file(False)) in lines["Journal"]
    assert "Traceback" not in out


def test_full_data_folder(tmp_path: Path) -> None:
    """A real SQLITE_FULL: the database may not grow past its current pages."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path, mode="live")
    journal.record_new("MFULL0", phone="255712345670", amount_tzs=5000)
    pages = journal._db.execute("PRAGMA page_count").fetchone()[0]
    journal._db.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(JournalError) as info:
        for i in range(1, 500):
            journal.record_new(f"MFULL{i}", phone="255712345670", amount_tzs=5000,
                               till_name="x" * 400)
    assert info.value.trouble == paths.FULL
    assert str(info.value).startswith("The disk is full, so the till cannot write its journal")
    assert str(path) in str(info.value)
    journal.close()
    reopened = Journal(path, mode="live")
    assert reopened.get("MFULL0") is not None
    reopened.close()


class _FakeLock:
    """Stands in for QLockFile: tryLock fails with the error the test chooses."""

    LockError = QLockFile.LockError
    outcome = "LockFailedError"

    def __init__(self, path: str) -> None:
        self.path = path

    def tryLock(self, timeout: int) -> bool:  # noqa: N802 — Qt's name
        return False

    def error(self) -> QLockFile.LockError:
        return getattr(QLockFile.LockError, self.outcome)

    def unlock(self) -> None:
        pass


@pytest.fixture
def gui_start(qapp, monkeypatch: pytest.MonkeyPatch):
    """run_gui up to its data-folder and lock checks; the message box is recorded."""
    import logging

    import PySide6.QtCore
    from PySide6.QtWidgets import QMessageBox

    from pos_app import app

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text: shown.append(text)))
    monkeypatch.setattr(PySide6.QtCore, "QLockFile", _FakeLock)
    root = logging.getLogger()
    before = list(root.handlers)

    def start() -> int:
        return app.run_gui()

    yield start, shown
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


@pytest.mark.parametrize("code, lock, words", [
    (errno.EROFS, "PermissionError", "is read-only"),
    (errno.ENOSPC, "UnknownError", "The disk is full"),
], ids=["read-only-data-folder", "full-data-folder"])
def test_data_folder_at_start_is_not_told_as_already_open(gui_start, monkeypatch, code, lock,
                                                          words) -> None:
    start, shown = gui_start
    _probe_fails(monkeypatch, code)
    _FakeLock.outcome = lock
    assert start() == 1
    assert len(shown) == 1 and words in shown[0] and str(paths.data_dir()) in shown[0]
    assert "already open" not in shown[0]


def test_data_folder_writable_but_locked_is_already_open(gui_start) -> None:
    start, shown = gui_start
    _FakeLock.outcome = "LockFailedError"
    assert start() == 1
    assert shown == ["The till is already open on this computer. Use that window."]


def test_read_only_data_folder_found_when_the_lock_fails(gui_start, monkeypatch) -> None:
    """The folder probe passes, then the lock file cannot be made (PermissionError)."""
    start, shown = gui_start
    calls: list[Path] = []

    def probe(folder: Path) -> None:
        calls.append(folder)
        if len(calls) > 1:
            raise OSError(errno.EACCES, "simulated", str(folder))

    monkeypatch.setattr(paths, "write_probe", probe)
    _FakeLock.outcome = "PermissionError"
    assert start() == 1
    assert len(calls) == 2 and "is read-only" in shown[0]


# -- non-ascii-key -------------------------------------------------------------------------


@pytest.mark.parametrize("key, words", [
    ("SKclé-pasted-from-a-mail", "not plain ASCII"),
    ("SK“curly”quotes", "not plain ASCII"),
    ("SKtab\tinside", "control character"),
    (" SKspace-before", "spaces or line breaks before or after"),
    ("SKspace-after ", "spaces or line breaks before or after"),
    ("SKnbsp-after\u00a0", "spaces or line breaks before or after"),
])
def test_non_ascii_key_is_refused_by_credentials_set(memory_keyring, monkeypatch,
                                                     capsys: pytest.CaptureFixture[str],
                                                     key: str, words: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(key + "\n"))
    assert main(["credentials", "set", "--client-id", CLIENT]) == 2
    out, err = capsys.readouterr()
    assert "The API key " in err and words in err and "nothing was stored" in err
    assert key.strip() not in out + err
    assert memory_keyring.store == {}


def test_non_ascii_client_id_and_checksum_key_are_refused(memory_keyring, monkeypatch,
                                                          capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{KEY}\n"))
    assert main(["credentials", "set", "--client-id", "IDclïent"]) == 2
    assert "The Client ID contains a character that is not plain ASCII" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{KEY}\nCKkey\x01\n"))
    assert main(["credentials", "set", "--client-id", CLIENT, "--checksum"]) == 2
    assert "The checksum key contains a control character" in capsys.readouterr().err
    assert memory_keyring.store == {}


@pytest.mark.parametrize("client_id, api_key, what", [
    (CLIENT, "SKclé", "API key"), ("IDclïent", KEY, "Client ID"), (CLIENT, "SK\x7fdel", "API key"),
])
def test_non_ascii_key_in_the_keyring_fails_check_online_cleanly(
        memory_keyring, capsys: pytest.CaptureFixture[str], client_id, api_key, what) -> None:
    store_in_keyring(memory_keyring, client_id, api_key)
    with respx.mock(assert_all_called=False) as mock:
        assert main(["check", "--online"]) == 1
        assert not mock.calls  # nothing left this computer
    out, err = capsys.readouterr()
    line = check_lines(out)["ClickPesa"]
    assert line.startswith(f"FAILED: Authentication failed: The {what} stored on this computer")
    assert "Traceback" not in out + err and api_key not in out + err


def test_non_ascii_key_at_the_gateway_sends_nothing(cp, gateways) -> None:
    gw = gateways(creds=Credentials(CLIENT, "SKclé"))
    with pytest.raises(CredentialsMissing) as info:
        gw.initiate(REF, PHONE, Amount(5000))
    assert info.value.code is Reason.BAD_CREDENTIAL_TEXT
    assert "not plain ASCII" in info.value.reason and "SKclé" not in info.value.reason
    assert cp["token"].call_count == 0 and cp["initiate"].call_count == 0
    from pos_app.clickpesa.checksum import ChecksumMode

    gw2 = gateways(creds=Credentials(CLIENT, KEY, "CKclé"), checksum_mode=ChecksumMode.CANONICAL)
    with pytest.raises(CredentialsMissing) as info2:
        gw2.initiate(REF, PHONE, Amount(5000))
    assert info2.value.code is Reason.BAD_CREDENTIAL_TEXT and "checksum key" in info2.value.reason
    assert cp["initiate"].call_count == 0


# -- non-ascii-token -----------------------------------------------------------------------


@pytest.mark.parametrize("token", ["Bearer eyJé.token", "Bearer eyJ\x01ctl", "eyJ\u2028sep"])
def test_non_ascii_token(cp, gateways, token: str) -> None:
    cp["token"].mock(return_value=token_reply(token))
    gw = gateways()
    with pytest.raises(Unavailable) as info:  # nothing was sent: never "unclear"
        gw.initiate(REF, PHONE, Amount(5000))
    assert not isinstance(info.value, Unclear)
    assert info.value.code is Reason.BAD_REPLY
    assert cp["initiate"].call_count == 0
    cp["token"].mock(return_value=token_reply())
    assert gw.initiate(REF, PHONE, Amount(5000)).clickpesa_id == "ENV1"  # not cached


def test_non_ascii_token_fails_check_online_cleanly(memory_keyring, capsys) -> None:
    store_in_keyring(memory_keyring)
    with respx.mock:
        respx.post(BASE + api.TOKEN_PATH).mock(return_value=token_reply("Bearer eyJé"))
        assert main(["check", "--online"]) == 1
    out, err = capsys.readouterr()
    line = check_lines(out)["ClickPesa"]
    assert line.startswith("FAILED: Could not get a token") and "cannot be sent back" in line
    assert "Traceback" not in out + err


def test_non_ascii_token_caught_while_the_request_is_built(cp, gateways, monkeypatch) -> None:
    """Defence in depth: were a bad token to get past the check, httpx fails while building
    the request (UnicodeEncodeError) — before anything is sent, so not Unclear."""
    from pos_app.clickpesa import gateway as gateway_module

    monkeypatch.setattr(gateway_module, "_header_safe", lambda text: True)
    cp["token"].mock(return_value=token_reply("Bearer eyJé"))
    with pytest.raises(Unavailable) as info:
        gateways().initiate(REF, PHONE, Amount(5000))
    assert not isinstance(info.value, Unclear)
    assert info.value.code is Reason.BAD_CREDENTIAL_TEXT
    assert cp["initiate"].call_count == 0


def test_non_ascii_token_refused_by_h11_is_not_sent(gateways) -> None:
    """h11 refuses a header it finds invalid before writing the request head."""
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == api.TOKEN_PATH:
            return token_reply()
        raise httpx.LocalProtocolError("Illegal header value")

    gw = gateways(transport=httpx.MockTransport(handler))
    with pytest.raises(Unavailable) as info:
        gw.initiate(REF, PHONE, Amount(5000))
    assert not isinstance(info.value, Unclear) and info.value.code is Reason.BAD_CREDENTIAL_TEXT


def test_non_ascii_token_against_a_real_socket_sends_no_push(gateways) -> None:
    """End to end over loopback: a control character in the token never reaches the wire."""
    with LoopbackServer(lambda seen: Reply.json({"success": True, "token": "Bearer a\rb"})
                        if seen.path == api.TOKEN_PATH else _standin(seen)) as standin:
        with pytest.raises(Unavailable) as info:
            gateways(standin.url).initiate(REF, PHONE, Amount(5000))
    assert info.value.code is Reason.BAD_REPLY and not isinstance(info.value, Unclear)
    assert [s.path for s in standin.seen] == [api.TOKEN_PATH]


# -- trickling-reply ---------------------------------------------------------------------------

DEADLINE_S = 0.4  # the till's is CALL_DEADLINE_S (25 s); the server trickles a byte per 0.2 s


def _trickle(endpoint: str, part: str):
    def respond(seen: Seen) -> Reply:
        reply = _standin(seen)
        if endpoint in seen.path:
            reply.trickle_s = 0.2
            reply.trickle_from = 0 if part == "headers" else len(reply.head())
            if part == "body":
                reply.body += b" " * 64  # room to trickle
        return reply

    return respond


@pytest.mark.parametrize("endpoint, part, error", [
    (api.TOKEN_PATH, "headers", Unavailable),
    (api.INITIATE_PATH, "headers", Unclear),  # the push may have arrived: reconcile
    (api.INITIATE_PATH, "body", Unclear),
    ("/payments/M", "headers", Unavailable),  # status: as its read timeout always was
    ("/payments/M", "body", Unavailable),
], ids=["trickling-reply-token", "trickling-reply-push-headers", "trickling-reply-push-body",
        "trickling-reply-status-headers", "trickling-reply-status-body"])
def test_trickling_reply(gateways, endpoint: str, part: str, error: type) -> None:
    with LoopbackServer(_trickle(endpoint, part)) as server:
        gw = gateways(server.url, deadline_s=DEADLINE_S, token_deadline_s=DEADLINE_S)
        if endpoint != api.TOKEN_PATH:
            gw.ensure_token()
        started = time.monotonic()
        with pytest.raises(error) as info:
            if endpoint == api.TOKEN_PATH:
                gw.ensure_token()
            elif endpoint == api.INITIATE_PATH:
                gw.initiate(REF, PHONE, Amount(5000))
            else:
                gw.status(REF)
        took = time.monotonic() - started
    assert type(info.value) is error
    assert info.value.code is Reason.TIMEOUT
    assert DEADLINE_S * 0.9 <= took < DEADLINE_S + 0.5
    # the token lock is free again: no stuck call holds it
    assert gw._lock.acquire(blocking=False)
    gw._lock.release()


def test_trickling_reply_to_the_token_call_never_holds_the_lock(gateways) -> None:
    with LoopbackServer(_trickle(api.TOKEN_PATH, "headers")) as server:
        gw = gateways(server.url, deadline_s=DEADLINE_S, token_deadline_s=DEADLINE_S)
        started = time.monotonic()
        with pytest.raises(Unavailable):
            gw.initiate(REF, PHONE, Amount(5000))
        took = time.monotonic() - started
    assert took < DEADLINE_S + 0.5
    assert [s.path for s in server.seen] == [api.TOKEN_PATH]  # no push without a token
