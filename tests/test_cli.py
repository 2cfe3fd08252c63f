"""The `pos-app` command, driven in-process through `main([...])`.

Credentials go to the in-memory keyring (or to none at all); files go to the isolated XDG
directories from conftest; ClickPesa is the simulator or respx, never the network.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import types
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import respx

from pos_app import __version__, paths
from pos_app.cli import main
from pos_app.credentials import API_KEY, CHECKSUM_KEY, CLIENT_ID, SERVICE
from pos_app.domain.attempt import AttemptState
from pos_app.journal import Journal

REPO = Path(__file__).resolve().parents[1]
HEADER = ("created_at,order_reference,phone,amount_tzs,status,channel,clickpesa_id,message,"
          "mode")
CLIENT = "IDcliTest0001"
SECRET_KEY = "SKcli-secret-api-key-do-not-print-7f3a"
SECRET_CHECKSUM = "CKcli-secret-checksum-do-not-print-91be"
EAT = timezone(timedelta(hours=3))


class FakeStdin(io.StringIO):
    def __init__(self, text: str, tty: bool = False) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch):
    def feed(text: str, tty: bool = False) -> None:
        monkeypatch.setattr(sys, "stdin", FakeStdin(text, tty))

    return feed


@pytest.fixture
def no_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(prompt: str = "") -> str:
        raise AssertionError(f"prompted ({prompt!r}) although stdin is not a terminal")

    monkeypatch.setattr("getpass.getpass", refuse)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert SECRET_KEY not in text
        assert SECRET_CHECKSUM not in text


# -- top level -------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"pos-app {__version__}"


def test_plain_http_base_url_is_refused(capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[dict[str, object]] = []
    fake = types.ModuleType("pos_app.app")
    fake.run_gui = lambda **kw: opened.append(kw) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pos_app.app", fake)

    assert main(["--base-url", "http://example.com"]) == 2
    assert main(["check", "--online", "--base-url", "http://example.com"]) == 2
    err = capsys.readouterr().err
    assert "http://example.com" in err and "https://" in err
    assert opened == []  # the till window was never opened with it


def test_no_subcommand_opens_the_till_with_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []

    def run_gui(**kwargs: object) -> int:
        calls.append(kwargs)
        return 7

    fake = types.ModuleType("pos_app.app")
    fake.run_gui = run_gui  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pos_app.app", fake)

    assert main(["--training", "--base-url", "https://api.clickpesa.com/third-parties/",
                 "--smoke-test"]) == 7
    assert main([]) == 7
    assert calls == [
        {"training": True, "base_url": "https://api.clickpesa.com", "smoke_test": True},
        {"training": False, "base_url": None, "smoke_test": False},
    ]


def test_window_options_parse_like_the_full_command_line(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # `pos-app --training` is parsed without building the subcommands' parsers; whatever
    # that lean parser cannot take is worded by the full one, subcommands and all.
    calls: list[dict[str, object]] = []
    fake = types.ModuleType("pos_app.app")
    fake.run_gui = lambda **kw: calls.append(kw) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pos_app.app", fake)

    assert main(["--smoke-test", "--base-url=https://api.clickpesa.com", "--training"]) == 0
    assert calls == [{"training": True, "base_url": "https://api.clickpesa.com",
                      "smoke_test": True}]
    capsys.readouterr()
    assert main(["--trainig"]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --trainig" in err and "COMMAND ..." in err
    assert main(["--training", "exprot"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'exprot'" in err and "'export'" in err
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "credentials" in out and "export" in out and "check" in out
    assert len(calls) == 1


def test_subcommands_never_import_qt(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pos_app.cli import main\n"
        "codes = [main(['--version']), main(['check']),\n"
        "         main(['export', '--out', sys.argv[1]]), main(['credentials', 'status'])]\n"
        "print('CODES', codes)\n"
        "print('QT', sorted(m for m in sys.modules if m.startswith(('PySide6', 'pos_app.app',"
        " 'pos_app.ui'))))\n")
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "out.csv")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "CODES [0, 1, 0, 1]" in done.stdout  # check and status fail: no keyring
    assert "QT []" in done.stdout


# -- credentials -----------------------------------------------------------------------


def test_set_reads_the_api_key_from_stdin(memory_keyring, stdin, no_prompt,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    stdin(SECRET_KEY + "\n")
    assert main(["credentials", "set", "--client-id", CLIENT]) == 0
    assert memory_keyring.store == {(SERVICE, CLIENT_ID): CLIENT, (SERVICE, API_KEY): SECRET_KEY}
    out, err = capsys.readouterr()
    assert "Stored" in out and "MemoryKeyring" in out
    assert_no_secret(out, err)


def test_set_with_checksum_reads_two_lines(memory_keyring, stdin, no_prompt,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    stdin(f"{SECRET_KEY}\r\n{SECRET_CHECKSUM}\n")
    assert main(["credentials", "set", "--client-id", CLIENT, "--checksum"]) == 0
    assert memory_keyring.store == {(SERVICE, CLIENT_ID): CLIENT, (SERVICE, API_KEY): SECRET_KEY,
                                    (SERVICE, CHECKSUM_KEY): SECRET_CHECKSUM}
    out, err = capsys.readouterr()
    assert "checksum key" in out
    assert_no_secret(out, err)


def test_set_prompts_without_echo_on_a_terminal(memory_keyring, stdin,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter([SECRET_KEY, SECRET_CHECKSUM])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    stdin("this line must not be read\n", tty=True)
    assert main(["credentials", "set", "--client-id", CLIENT, "--checksum"]) == 0
    assert prompts == ["API key: ", "Checksum key: "]
    assert memory_keyring.store[(SERVICE, API_KEY)] == SECRET_KEY
    assert memory_keyring.store[(SERVICE, CHECKSUM_KEY)] == SECRET_CHECKSUM
    assert_no_secret(*capsys.readouterr())


@pytest.mark.parametrize("args, text, missing", [
    ([], "\n", "API key"),
    ([], "", "API key"),
    (["--checksum"], SECRET_KEY + "\n", "checksum key"),
    (["--checksum"], SECRET_KEY + "\n   \n", "checksum key"),
])
def test_set_refuses_empty_values_and_stores_nothing(memory_keyring, stdin, no_prompt,
                                                     capsys: pytest.CaptureFixture[str],
                                                     args: list[str], text: str,
                                                     missing: str) -> None:
    stdin(text)
    assert main(["credentials", "set", "--client-id", CLIENT, *args]) == 2
    out, err = capsys.readouterr()
    assert f"the {missing} is empty; nothing was stored" in err
    assert memory_keyring.store == {}
    assert_no_secret(out, err)


def test_set_refuses_an_empty_client_id(memory_keyring, stdin, no_prompt,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    stdin(SECRET_KEY + "\n")
    assert main(["credentials", "set", "--client-id", "  "]) == 2
    assert "Client ID is empty" in capsys.readouterr().err
    assert memory_keyring.store == {}


def test_set_reports_a_keyring_that_refuses_to_write(memory_keyring, stdin, no_prompt,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    memory_keyring.fail_writes = True
    stdin(SECRET_KEY + "\n")
    assert main(["credentials", "set", "--client-id", CLIENT]) == 1
    out, err = capsys.readouterr()
    assert "refused to store" in err
    assert_no_secret(out, err)


def test_status_says_yes_or_no_and_never_the_values(memory_keyring, stdin, no_prompt,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["credentials", "status"]) == 0
    out = capsys.readouterr().out
    assert "Keyring backend: conftest.MemoryKeyring (priority -1)" in out
    assert "Client ID stored: no" in out and "API key stored: no" in out
    assert "Checksum key stored: no" in out

    stdin(SECRET_KEY + "\n")
    assert main(["credentials", "set", "--client-id", CLIENT]) == 0
    capsys.readouterr()
    assert main(["credentials", "status"]) == 0
    out, err = capsys.readouterr()
    assert "Client ID stored: yes" in out and "API key stored: yes" in out
    assert "Checksum key stored: no" in out
    assert CLIENT not in out
    assert_no_secret(out, err)

    memory_keyring.store[(SERVICE, CHECKSUM_KEY)] = SECRET_CHECKSUM
    assert main(["credentials", "status"]) == 0
    out, err = capsys.readouterr()
    assert "Checksum key stored: yes" in out
    assert_no_secret(out, err)


def test_clear_removes_everything(memory_keyring, capsys: pytest.CaptureFixture[str]) -> None:
    memory_keyring.store.update({(SERVICE, CLIENT_ID): CLIENT, (SERVICE, API_KEY): SECRET_KEY,
                                 (SERVICE, CHECKSUM_KEY): SECRET_CHECKSUM,
                                 ("another-app", API_KEY): "theirs"})
    assert main(["credentials", "clear"]) == 0
    assert "Removed 3" in capsys.readouterr().out
    assert memory_keyring.store == {("another-app", API_KEY): "theirs"}
    assert main(["credentials", "clear"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


@pytest.mark.parametrize("command", [
    ["credentials", "set", "--client-id", CLIENT, "--checksum"],
    ["credentials", "status"],
    ["credentials", "clear"],
])
def test_no_keyring_exits_1_and_writes_nothing(no_keyring, stdin, no_prompt, isolated_dirs,
                                               capsys: pytest.CaptureFixture[str],
                                               command: list[str]) -> None:
    stdin(f"{SECRET_KEY}\n{SECRET_CHECKSUM}\n")
    assert main(command) == 1
    out, err = capsys.readouterr()
    assert "No secure keyring is available" in err
    assert "Secret Service" in err  # says what to do about it
    assert_no_secret(out, err)
    assert files_under(isolated_dirs) == []  # no fallback file anywhere


# -- export ----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2025, 3, 1, 9, 30, tzinfo=EAT)

    def __call__(self) -> datetime:
        return self.at


def fill_live_journal() -> None:
    clock = Clock()
    journal = Journal(paths.journal_file(False), mode="live", now=clock)
    try:
        journal.record_new("MP1A", phone="255712345671", amount_tzs=5000)
        journal.transition("MP1A", AttemptState.PENDING, channel="M-PESA", clickpesa_id="CP1")
        journal.transition("MP1A", AttemptState.PAID, message="Payment received")
        clock.at = datetime(2025, 3, 2, 23, 59, tzinfo=EAT)
        journal.record_new("MP2B", phone="255652345676", amount_tzs=12000)
        journal.transition("MP2B", AttemptState.PENDING, channel="TIGO-PESA")
        journal.transition("MP2B", AttemptState.FAILED, message="=Insufficient balance")
        clock.at = datetime(2025, 3, 3, 0, 1, tzinfo=EAT)
        journal.record_new("MP3C", phone="255782345678", amount_tzs=700)
    finally:
        journal.close()


def fill_training_journal() -> None:
    journal = Journal(paths.journal_file(True), mode="training", now=Clock())
    try:
        journal.record_new("TR1X", phone="255712345670", amount_tzs=100)
        journal.transition("TR1X", AttemptState.NOT_SENT, message="Invalid phone")
    finally:
        journal.close()


def read_csv(path: Path) -> tuple[str, list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    return text.splitlines()[0], list(csv.DictReader(io.StringIO(text)))


def test_export_writes_the_header_and_every_attempt(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    fill_live_journal()
    fill_training_journal()
    out = tmp_path / "all.csv"
    assert main(["export", "--out", str(out)]) == 0
    assert "Wrote 3 attempt(s)" in capsys.readouterr().out
    header, rows = read_csv(out)
    assert header == HEADER
    assert [(r["order_reference"], r["status"], r["mode"]) for r in rows] == [
        ("MP1A", "PAID", "live"), ("MP2B", "FAILED", "live"), ("MP3C", "UNRESOLVED", "live")]
    first = rows[0]
    assert first == {"created_at": "2025-03-01T09:30:00+03:00", "order_reference": "MP1A",
                     "phone": "255712345671", "amount_tzs": "5000", "status": "PAID",
                     "channel": "M-PESA", "clickpesa_id": "CP1", "message": "Payment received",
                     "mode": "live"}
    assert rows[1]["message"] == "'=Insufficient balance"  # never a spreadsheet formula


@pytest.mark.parametrize("window, expected", [
    (["--from", "2025-03-02"], ["MP2B", "MP3C"]),
    (["--to", "2025-03-02"], ["MP1A", "MP2B"]),
    (["--from", "2025-03-02", "--to", "2025-03-02"], ["MP2B"]),
    (["--from", "2025-03-04"], []),
])
def test_export_filters_by_day(tmp_path: Path, window: list[str], expected: list[str]) -> None:
    fill_live_journal()
    out = tmp_path / "window.csv"
    assert main(["export", "--out", str(out), *window]) == 0
    header, rows = read_csv(out)
    assert header == HEADER
    assert [r["order_reference"] for r in rows] == expected


@pytest.mark.parametrize("where", [["export", "--training"], ["--training", "export"]])
def test_export_training_reads_only_the_training_journal(tmp_path: Path, where: list[str],
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    fill_live_journal()
    fill_training_journal()
    out = tmp_path / "training.csv"
    assert main([*where, "--out", str(out)]) == 0
    assert "training journal" in capsys.readouterr().out
    header, rows = read_csv(out)
    assert header == HEADER
    assert [(r["order_reference"], r["status"], r["mode"]) for r in rows] == [
        ("TR1X", "FAILED", "training")]


def test_export_without_a_journal_writes_only_the_header(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    out = tmp_path / "empty.csv"
    assert main(["export", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == HEADER + "\n"
    assert "Wrote 0 attempt(s)" in capsys.readouterr().out
    assert not paths.journal_file(False).exists()  # reading did not create one


@pytest.mark.parametrize("window", [
    ["--from", "2025-02-30"], ["--to", "01/03/2025"], ["--from", "20250301"],
    ["--from", "2025-03-03", "--to", "2025-03-01"],
])
def test_export_refuses_bad_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  window: list[str]) -> None:
    fill_live_journal()
    out = tmp_path / "bad.csv"
    assert main(["export", "--out", str(out), *window]) == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err or "is after" in err
    assert not out.exists()


def test_export_into_a_missing_folder_fails_clearly(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--out", str(tmp_path / "nowhere" / "x.csv")]) == 1
    assert "cannot write" in capsys.readouterr().err


# -- check -----------------------------------------------------------------------------


def check_lines(out: str) -> dict[str, str]:
    return {line.split(":", 1)[0]: line.split(":", 1)[1].strip()
            for line in out.splitlines() if ":" in line}


def test_check_passes_with_a_good_setup(memory_keyring,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True)
    settings.write_text("[till]\ntill_name = Front\nmin_amount = 500\n", encoding="utf-8")
    fill_live_journal()
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    lines = check_lines(out)
    assert set(lines) >= {"Settings", "Keyring", "CA bundle", "Journal"}
    assert all(lines[name].startswith("OK") for name in
               ("Settings", "Keyring", "CA bundle", "Journal"))
    assert "MemoryKeyring" in lines["Keyring"]
    assert "1 unresolved attempt(s)" in lines["Journal"]
    assert "All checks passed." in out
    assert "FAILED" not in out


def test_check_passes_without_a_settings_file(memory_keyring,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "using defaults" in check_lines(capsys.readouterr().out)["Settings"]


@pytest.mark.parametrize("text, words", [
    ("[till]\nmin_amount = lots\nlanguage = fr\n", ["min_amount", "'lots'", "language", "fr"]),
    ("this is not an ini file\n", ["cannot be read"]),
    ("[till]\nbase_url = http://example.com\n", ["base_url", "only https://"]),
])
def test_check_fails_on_a_broken_settings_file(memory_keyring,
                                               capsys: pytest.CaptureFixture[str],
                                               text: str, words: list[str]) -> None:
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True)
    settings.write_text(text, encoding="utf-8")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    line = check_lines(out)["Settings"]
    assert line.startswith("FAILED")
    for word in words:
        assert word in line
    assert check_lines(out)["Keyring"].startswith("OK")
    assert "1 check(s) failed." in out


def test_check_fails_without_a_keyring(no_keyring, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    lines = check_lines(out)
    assert lines["Keyring"].startswith("FAILED: No secure keyring is available")
    assert lines["Settings"].startswith("OK") and lines["Journal"].startswith("OK")
    assert "1 check(s) failed." in out


def test_check_fails_on_a_damaged_journal(memory_keyring,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    journal = paths.journal_file(False)
    journal.parent.mkdir(parents=True)
    journal.write_bytes(b"this is not a database" * 100)
    assert main(["check"]) == 1
    line = check_lines(capsys.readouterr().out)["Journal"]
    assert line.startswith("FAILED") and str(journal) in line


def test_check_online_training_uses_the_simulator(no_keyring,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # No keyring needed for training: said, not failed; the simulator answers, and the line
    # names it rather than api.clickpesa.com.
    with respx.mock(assert_all_called=False) as mock:  # any real request would fail here
        assert main(["check", "--online", "--training"]) == 0
        assert not mock.calls
    out = capsys.readouterr().out
    line = check_lines(out)["ClickPesa (training simulator)"]
    assert line.startswith("OK") and "token was issued" in line
    assert "training simulator" in line and "api.clickpesa.com" not in out
    assert "Keyring: not used in training mode" in out
    assert "Bearer" not in out


def test_check_online_training_passes_with_a_good_setup(memory_keyring,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    assert main(["--training", "check", "--online"]) == 0
    out = capsys.readouterr().out
    assert check_lines(out)["ClickPesa (training simulator)"].startswith("OK")
    assert "All checks passed." in out


TOKEN_URL = "https://api.clickpesa.com/third-parties/generate-token"


def store_credentials(memory_keyring) -> None:
    memory_keyring.store.update({(SERVICE, CLIENT_ID): CLIENT, (SERVICE, API_KEY): SECRET_KEY})


def test_check_online_fetches_a_token_with_the_stored_credentials(
        memory_keyring, capsys: pytest.CaptureFixture[str]) -> None:
    store_credentials(memory_keyring)
    with respx.mock:
        route = respx.post(TOKEN_URL).mock(return_value=httpx.Response(
            200, json={"success": True, "token": "Bearer secret-token-value"}))
        assert main(["check", "--online"]) == 0
    assert route.call_count == 1
    sent = route.calls[0].request.headers
    assert sent["client-id"] == CLIENT and sent["api-key"] == SECRET_KEY
    out, err = capsys.readouterr()
    assert check_lines(out)["ClickPesa"].startswith("OK")
    assert "secret-token-value" not in out + err
    assert_no_secret(out, err)


def test_check_online_reports_refused_credentials(memory_keyring,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    store_credentials(memory_keyring)
    with respx.mock:
        respx.post("https://till.example/third-parties/generate-token").mock(
            return_value=httpx.Response(403, json={"message": "Invalid or Expired API-Key"}))
        assert main(["check", "--online", "--base-url", "https://till.example"]) == 1
    out, err = capsys.readouterr()
    assert check_lines(out)["ClickPesa"] == ("FAILED: Authentication failed: "
                                             "Invalid or Expired API-Key")
    assert_no_secret(out, err)


def test_check_online_without_stored_credentials(memory_keyring,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with respx.mock(assert_all_called=False) as mock:
        assert main(["check", "--online"]) == 1
        assert not mock.calls  # nothing was sent without credentials
    line = check_lines(capsys.readouterr().out)["ClickPesa"]
    assert line.startswith("FAILED: Authentication failed: No Client ID or API key is stored")


def test_check_online_reports_no_connection(memory_keyring,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    store_credentials(memory_keyring)
    with respx.mock:
        respx.post(TOKEN_URL).mock(side_effect=httpx.ConnectError("no route"))
        assert main(["check", "--online"]) == 1
    out, err = capsys.readouterr()
    line = check_lines(out)["ClickPesa"]
    assert line.startswith("FAILED: Could not get a token from https://api.clickpesa.com")
    assert "No connection to ClickPesa" in line and "Authentication" not in line
    assert_no_secret(out, err)


# -- bad input and environment (issue 8; the fault-matrix rows are in
#    tests/test_fault_matrix_environment.py) ------------------------------------------------


def test_check_reports_a_writable_data_folder(memory_keyring,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    paths.data_dir().mkdir(parents=True)
    assert main(["check"]) == 0
    line = check_lines(capsys.readouterr().out)["Data folder"]
    assert line == f"OK ({paths.data_dir()} is writable)"
    assert not list(paths.data_dir().glob(".pos-app-write-test*"))  # the probe is gone


def test_check_creates_no_files(memory_keyring, tmp_path, capsys: pytest.CaptureFixture[str]
                                ) -> None:
    """`pos-app check` on a fresh computer looks and leaves nothing behind: no data folder,
    no empty live journal, no settings file."""
    assert tmp_path in paths.data_dir().parents and tmp_path in paths.config_dir().parents
    before = sorted(p for p in tmp_path.rglob("*"))
    assert main(["check"]) == 0
    assert sorted(p for p in tmp_path.rglob("*")) == before
    out = check_lines(capsys.readouterr().out)
    assert out["Journal"].startswith("OK (no journal yet")
    assert not paths.journal_file(False).exists()


def test_check_online_never_prints_a_traceback(memory_keyring, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from pos_app.clickpesa.gateway import Gateway

    store_credentials(memory_keyring)

    def bug(self) -> None:
        raise KeyError("a bug somewhere")

    monkeypatch.setattr(Gateway, "test_connection", bug)
    assert main(["check", "--online"]) == 1
    out, err = capsys.readouterr()
    assert check_lines(out)["ClickPesa"] == ("FAILED: the token check failed unexpectedly "
                                             "(KeyError); please report this.")
    assert "Traceback" not in out + err


@pytest.mark.parametrize("client_id", [" IDcli", "IDcli ", "IDcl\u00efent", "ID\tcli"])
def test_set_refuses_a_client_id_that_cannot_be_sent(memory_keyring, stdin, no_prompt,
                                                     capsys: pytest.CaptureFixture[str],
                                                     client_id: str) -> None:
    stdin(SECRET_KEY + "\n")
    assert main(["credentials", "set", "--client-id", client_id]) == 2
    out, err = capsys.readouterr()
    assert "The Client ID " in err and "nothing was stored" in err
    assert memory_keyring.store == {}
    assert_no_secret(out, err)


def test_set_keeps_the_key_exactly_but_for_the_line_ending(memory_keyring, stdin, no_prompt
                                                           ) -> None:
    stdin("SKinner space ok\r\n")
    assert main(["credentials", "set", "--client-id", CLIENT]) == 0
    assert memory_keyring.store[(SERVICE, API_KEY)] == "SKinner space ok"


def test_export_help_mentions_force(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--help"]) == 0
    assert "--force" in capsys.readouterr().out
