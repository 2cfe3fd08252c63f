"""The journal: attempts and their transitions in SQLite, CSV export, and surviving a crash."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.clickpesa.errors import ClickPesaError
from pos_app.clickpesa.gateway import Credentials, Gateway
from pos_app.clickpesa.simulator import Fault, Simulator
from pos_app.domain.attempt import AttemptState, IllegalTransition
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone
from pos_app.journal import Journal, JournalError
from pos_app.journal.export import HEADER, export_csv, write_csv

S = AttemptState
EAT = timezone(timedelta(hours=3))
REPO = Path(__file__).resolve().parents[1]


class WallClock:
    """A settable local clock for the journal's timestamps."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def wall() -> WallClock:
    return WallClock(datetime(2026, 3, 14, 9, 0, 0, tzinfo=EAT))


@pytest.fixture
def jr(tmp_path, wall):
    j = Journal(tmp_path / "j.sqlite3", mode="live", now=wall)
    yield j
    j.close()


def new(j: Journal, ref: str, amount: int = 5000, phone: str = "255712345678"):
    return j.record_new(ref, phone=phone, amount_tzs=amount, network_hint="Mixx by Yas",
                        till_name="Till 1")


# -- recording and transitions ----------------------------------------------------------

def test_record_new_then_transitions(jr, wall):
    rec = new(jr, "REF1")
    assert rec.state is S.NEW
    assert (rec.order_reference, rec.mode, rec.phone, rec.amount_tzs, rec.network_hint,
            rec.till_name) == ("REF1", "live", "255712345678", 5000, "Mixx by Yas", "Till 1")
    assert rec.created_at == "2026-03-14T09:00:00+03:00"

    wall.advance(seconds=2)
    rec = jr.transition("REF1", S.PENDING, channel="TIGO-PESA", clickpesa_id="LV6Y2U5Z",
                        detail="push accepted")
    assert (rec.state, rec.channel, rec.clickpesa_id) == (S.PENDING, "TIGO-PESA", "LV6Y2U5Z")
    assert rec.updated_at == "2026-03-14T09:00:02+03:00"
    assert rec.created_at == "2026-03-14T09:00:00+03:00"

    wall.advance(seconds=14)
    rec = jr.transition("REF1", S.PAID, message="Payment received")
    assert rec.state is S.PAID
    assert rec.channel == "TIGO-PESA"  # not wiped by a transition that omits it
    assert rec.message == "Payment received"
    assert jr.get("REF1") == rec

    assert [(f, t, d) for _, f, t, d in jr.transitions("REF1")] == [
        (None, "NEW", "journalled"), ("NEW", "PENDING", "push accepted"),
        ("PENDING", "PAID", "")]


def test_repeating_a_state_fills_blanks_only_and_logs_only_changes(jr):
    new(jr, "REF1")
    jr.transition("REF1", S.PENDING)
    jr.transition("REF1", S.PENDING)  # nothing new: no log entry
    assert len(jr.transitions("REF1")) == 2
    rec = jr.transition("REF1", S.PENDING, channel="M-PESA")
    assert rec.channel == "M-PESA"
    assert len(jr.transitions("REF1")) == 3


@pytest.mark.parametrize("path, illegal", [
    ([S.PENDING, S.PAID], S.PENDING),
    ([S.PENDING, S.PAID], S.FAILED),
    ([S.FAILED], S.PAID),
    ([S.NOT_SENT], S.PENDING),
    ([S.PENDING], S.NOT_SENT),
    ([S.PENDING], S.NEW),
])
def test_illegal_transition_raises_and_changes_nothing(jr, path, illegal):
    new(jr, "REF1")
    for state in path:
        jr.transition("REF1", state)
    before = jr.get("REF1")
    log_before = jr.transitions("REF1")
    with pytest.raises(IllegalTransition):
        jr.transition("REF1", illegal, message="should not stick")
    assert jr.get("REF1") == before
    assert jr.transitions("REF1") == log_before


def test_reference_can_never_be_recorded_twice(jr):
    new(jr, "REF1")
    with pytest.raises(JournalError):
        new(jr, "REF1", amount=9000)
    assert jr.get("REF1").amount_tzs == 5000


def test_unknown_reference(jr):
    assert jr.get("NOPE") is None
    with pytest.raises(JournalError):
        jr.transition("NOPE", S.PAID)
    with pytest.raises(JournalError):
        jr.note("NOPE", "hello")


def test_note_keeps_state_and_is_logged(jr):
    new(jr, "REF1")
    jr.transition("REF1", S.PENDING)
    jr.note("REF1", "cashier stopped waiting")
    assert jr.get("REF1").state is S.PENDING
    assert jr.transitions("REF1")[-1][1:] == ("PENDING", "PENDING", "cashier stopped waiting")


@pytest.mark.parametrize("amount", [0, -5])
def test_nonpositive_amount_cannot_be_journalled(jr, amount):
    with pytest.raises(JournalError):
        new(jr, "REF1", amount=amount)


def test_bad_mode_is_refused(tmp_path):
    with pytest.raises(ValueError):
        Journal(tmp_path / "x.sqlite3", mode="test")


def test_journal_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "j.sqlite3"
    Journal(path, mode="live").close()
    import sqlite3
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=99")
    db.commit()
    db.close()
    with pytest.raises(JournalError, match="newer version"):
        Journal(path, mode="live")


def test_unopenable_path_is_a_journal_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(JournalError):
        Journal(blocker / "j.sqlite3", mode="live")


# -- queries ----------------------------------------------------------------------------

def test_unresolved_lists_open_attempts_oldest_first(jr, wall):
    for ref, path in [("A", []), ("B", [S.PENDING]), ("C", [S.UNCERTAIN]),
                      ("D", [S.PENDING, S.PAID]), ("E", [S.FAILED]), ("F", [S.NOT_SENT]),
                      ("G", [S.ATTENTION])]:
        new(jr, ref)
        for state in path:
            jr.transition(ref, state)
        wall.advance(minutes=1)
    assert [(r.order_reference, r.state) for r in jr.unresolved()] == [
        ("A", S.NEW), ("B", S.PENDING), ("C", S.UNCERTAIN)]


def test_attempts_filtered_by_local_creation_date(jr, wall):
    wall.now = datetime(2026, 3, 13, 23, 59, 59, tzinfo=EAT)
    new(jr, "LATE13")
    wall.now = datetime(2026, 3, 14, 0, 0, 0, tzinfo=EAT)
    new(jr, "EARLY14")
    wall.now = datetime(2026, 3, 14, 18, 0, 0, tzinfo=EAT)
    new(jr, "EVENING14")
    wall.now = datetime(2026, 3, 16, 8, 0, 0, tzinfo=EAT)
    new(jr, "MORNING16")

    def refs(**kw):
        return [r.order_reference for r in jr.attempts(**kw)]

    assert refs() == ["LATE13", "EARLY14", "EVENING14", "MORNING16"]
    assert refs(date_from=date(2026, 3, 14), date_to=date(2026, 3, 14)) == ["EARLY14",
                                                                          "EVENING14"]
    assert refs(date_from=date(2026, 3, 14)) == ["EARLY14", "EVENING14", "MORNING16"]
    assert refs(date_to=date(2026, 3, 13)) == ["LATE13"]
    assert refs(date_from=date(2026, 3, 15), date_to=date(2026, 3, 15)) == []


def test_paid_total_counts_only_paid_attempts_of_that_day(jr, wall):
    for ref, amount, path in [("P1", 5000, [S.PENDING, S.PAID]), ("P2", 12_500, [S.PAID]),
                              ("F1", 7000, [S.FAILED]), ("N1", 9000, [S.NOT_SENT]),
                              ("W1", 3000, [S.PENDING]), ("A1", 4000, [S.ATTENTION])]:
        new(jr, ref, amount)
        for state in path:
            jr.transition(ref, state)
    wall.advance(days=1)
    new(jr, "TOMORROW", 100_000)
    jr.transition("TOMORROW", S.PAID)
    assert jr.paid_total(date(2026, 3, 14)) == (2, 17_500)
    assert jr.paid_total(date(2026, 3, 15)) == (1, 100_000)
    assert jr.paid_total(date(2026, 3, 13)) == (0, 0)


def test_recent_is_newest_first(jr, wall):
    for ref in ("A", "B", "C"):
        new(jr, ref)
        wall.advance(seconds=1)
    assert [r.order_reference for r in jr.recent(2)] == ["C", "B"]


# -- CSV export -------------------------------------------------------------------------

def exported(j: Journal) -> list[list[str]]:
    out = io.StringIO()
    write_csv(j.attempts(), out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_csv_header_is_exact(jr):
    out = io.StringIO()
    assert write_csv([], out) == 0
    assert out.getvalue() == ("created_at,order_reference,phone,amount_tzs,status,channel,"
                              "clickpesa_id,message,mode\n")
    assert ",".join(HEADER) == out.getvalue().strip()


def test_csv_rows_and_status_mapping(jr, wall):
    cases = [("NEW1", []), ("PEND1", [S.PENDING]), ("UNC1", [S.UNCERTAIN]),
             ("PAID1", [S.PENDING, S.PAID]), ("FAIL1", [S.FAILED]), ("NOTS1", [S.NOT_SENT]),
             ("ATT1", [S.ATTENTION])]
    for ref, path in cases:
        new(jr, ref)
        for state in path:
            jr.transition(ref, state, channel="M-PESA", clickpesa_id="ID" + ref)
        wall.advance(seconds=1)
    rows = exported(jr)
    assert rows[0] == list(HEADER)
    status = {r[1]: r[4] for r in rows[1:]}
    assert status == {"NEW1": "UNRESOLVED", "PEND1": "UNRESOLVED", "UNC1": "UNRESOLVED",
                      "PAID1": "PAID", "FAIL1": "FAILED", "NOTS1": "FAILED",
                      "ATT1": "NEEDS_ATTENTION"}
    paid = next(r for r in rows if r[1] == "PAID1")
    assert paid == ["2026-03-14T09:00:03+03:00", "PAID1", "255712345678", "5000", "PAID",
                    "M-PESA", "IDPAID1", "", "live"]


@pytest.mark.parametrize("message, cell", [
    ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
    ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\n=1"), ("\n=1", "'\n=1"),
])
def test_csv_guards_against_formula_injection(jr, message, cell):
    new(jr, "REF1")
    jr.transition("REF1", S.FAILED, message=message, channel="=cmd|' /C calc'!A0",
                  clickpesa_id="@ID")
    row = exported(jr)[1]
    assert row[7] == cell
    assert row[5] == "'=cmd|' /C calc'!A0"
    assert row[6] == "'@ID"


@pytest.mark.parametrize("message", ["ok\r=HYPERLINK(1)", "ok\r\n=HYPERLINK(1)",
                                     "ok\n=HYPERLINK(1)"])
def test_csv_line_breaks_inside_text_cannot_start_a_new_row(jr, message):
    new(jr, "REF1")
    jr.transition("REF1", S.FAILED, message=message)
    out = io.StringIO()
    write_csv(jr.attempts(), out)
    text = out.getvalue()
    assert "\r" not in text  # a bare CR would end the row in a spreadsheet
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and all(len(r) == len(HEADER) for r in rows)
    assert rows[1][7] == "ok\n=HYPERLINK(1)"
    assert rows[1][8] == "live"


def test_csv_leaves_ordinary_text_alone(jr):
    new(jr, "REF1")
    jr.transition("REF1", S.FAILED, message='Insufficient balance, "retry" later')
    assert exported(jr)[1][7] == 'Insufficient balance, "retry" later'


def test_export_csv_writes_file_atomically(jr, tmp_path):
    new(jr, "REF1")
    jr.transition("REF1", S.PAID)
    target = tmp_path / "out" / "export.csv"
    target.parent.mkdir()
    assert export_csv(jr.attempts(), target) == 1
    assert not (target.parent / "export.csv.part").exists()
    with open(target, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(HEADER)
    assert rows[1][1] == "REF1" and rows[1][4] == "PAID"


# -- crash recovery ---------------------------------------------------------------------

CRASH = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from pos_app.domain.attempt import AttemptState
    from pos_app.journal import Journal
    j = Journal(Path(sys.argv[1]), mode="live")
    j.record_new(sys.argv[2], phone="255712345678", amount_tzs=5000)
    if len(sys.argv) > 3:
        j.transition(sys.argv[2], AttemptState[sys.argv[3]], clickpesa_id="LV6Y2U5Z")
    os._exit(9)  # killed: no close(), no checkpoint, no atexit
""")


def crash_after(path: Path, ref: str, *extra: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)}
    proc = subprocess.run([sys.executable, "-c", CRASH, str(path), ref, *extra],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 9, proc.stderr


def test_attempt_survives_the_app_being_killed(tmp_path):
    path = tmp_path / "journal.sqlite3"
    crash_after(path, "CRASHREF1")
    j = Journal(path, mode="live")
    try:
        rec = j.get("CRASHREF1")
        assert rec is not None
        assert rec.state is S.NEW
        assert [r.order_reference for r in j.unresolved()] == ["CRASHREF1"]
        # and it can still be followed to its end after the restart
        assert j.transition("CRASHREF1", S.NOT_SENT).state is S.NOT_SENT
        assert j.unresolved() == []
    finally:
        j.close()


def test_transition_survives_the_app_being_killed(tmp_path):
    path = tmp_path / "journal.sqlite3"
    crash_after(path, "CRASHREF2", "PENDING")
    j = Journal(path, mode="live")
    try:
        rec = j.get("CRASHREF2")
        assert (rec.state, rec.clickpesa_id) == (S.PENDING, "LV6Y2U5Z")
        assert [r.order_reference for r in j.unresolved()] == ["CRASHREF2"]
    finally:
        j.close()


# -- no secrets on disk -----------------------------------------------------------------

def test_journal_never_holds_a_secret_after_a_session(tmp_path, creds: Credentials):
    """A whole session (token, checksum, 401 renewal, failures) leaves no secret on disk."""
    clock = [1000.0]
    sim = Simulator(clock=lambda: clock[0], credentials=(creds.client_id, creds.api_key),
                    checksum=(ChecksumMode.CANONICAL, creds.checksum_key))
    gw = Gateway("https://api.clickpesa.com", lambda: creds, transport=sim.transport(),
                 checksum_mode=ChecksumMode.CANONICAL, clock=lambda: clock[0])
    path = tmp_path / "data" / "journal.sqlite3"
    j = Journal(path, mode="live")
    tokens: set[str] = set()
    try:
        for i, last in enumerate((1, 6, 8, 9)):
            ref = f"SECRETTEST{i}"
            phone = Phone(f"25571234567{last}")
            j.record_new(ref, phone=phone.digits, amount_tzs=5000, network_hint="Mixx by Yas")
            if i == 2:
                sim.expire_tokens()  # forces the 401 -> new token path
            try:
                accepted = gw.initiate(ref, phone, Amount(5000))
            except ClickPesaError as exc:
                j.transition(ref, S.NOT_SENT, message=exc.reason, detail=repr(exc))
                continue
            tokens.add(gw.ensure_token())
            j.transition(ref, S.PENDING, channel=accepted.channel,
                         clickpesa_id=accepted.clickpesa_id, detail=repr(accepted))
            clock[0] += 30
            status = gw.status(ref)
            j.note(ref, f"status {status!r}")
            if status.row and status.verdict.value in ("paid", "failed"):
                j.transition(ref, S.PAID if status.verdict.value == "paid" else S.FAILED,
                             message=status.row.message)
        sim.inject("status", Fault(status=401, body={"message": "Unauthorized"}))
        j.note("SECRETTEST0", f"recheck {gw.status('SECRETTEST0')!r}")
        tokens.add(gw.ensure_token())
        assert sim.count("token") >= 2 and len(tokens) >= 2  # the session did renew
        assert [r.state for r in j.attempts()] == [S.PAID, S.FAILED, S.PENDING, S.NOT_SENT]
    finally:
        j.close()
        gw.close()
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    assert files
    blob = b"".join(p.read_bytes() for p in files)
    assert creds.api_key and creds.checksum_key
    for secret in (creds.api_key, creds.checksum_key, *tokens,
                   *(t.split()[-1] for t in tokens)):
        assert secret.encode() not in blob, f"secret found in {[p.name for p in files]}"
    assert b"255712345671" in blob  # the check can see what is in the file


# -- secrets and a disk that refuses -----------------------------------------------------

def test_journal_masks_registered_secrets_in_message_and_detail(jr):
    from pos_app.logs import register_secret

    secret = "Bearer eyJjournal-mask-test-token"
    register_secret(secret)
    new(jr, "REFM")
    jr.transition("REFM", S.PENDING, message=f"echo {secret}", detail=f"d {secret}",
                  channel=f"M-PESA {secret}", clickpesa_id=f"ID{secret}")
    jr.note("REFM", f"note {secret[7:]}")
    record = jr.get("REFM")
    assert record.message == "echo ***" and record.channel == "M-PESA ***"
    assert record.clickpesa_id == "ID***"
    assert [d for *_, d in jr.transitions("REFM")][1:] == ["d ***", "note ***"]


def test_csv_masks_registered_secrets_too(jr):
    from pos_app.logs import register_secret

    new(jr, "REFX")
    jr.transition("REFX", S.FAILED, message="later-registered-secret-value")
    register_secret("later-registered-secret-value")
    assert exported(jr)[1][7] == "***"


@pytest.mark.parametrize("errno_code, trouble", [(30, "read_only"), (28, "full")])
def test_unopenable_folder_is_told_in_plain_words(tmp_path, monkeypatch, errno_code, trouble):
    import errno as errno_module

    from pos_app import paths

    def refuse(self, *args, **kwargs):
        raise OSError(errno_code, errno_module.errorcode[errno_code])

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(JournalError) as info:
        Journal(tmp_path / "sub" / "j.sqlite3", mode="live")
    assert info.value.trouble == trouble
    assert str(info.value) == paths.STORAGE_MESSAGES[("journal", trouble)].format(
        path=tmp_path / "sub" / "j.sqlite3", folder=tmp_path / "sub")


def test_storage_trouble_reads_sqlite_and_os_errors():
    import errno
    import sqlite3

    from pos_app import paths

    assert paths.storage_trouble(OSError(errno.EROFS, "x")) == paths.READ_ONLY
    assert paths.storage_trouble(OSError(errno.EACCES, "x")) == paths.READ_ONLY
    assert paths.storage_trouble(OSError(errno.ENOSPC, "x")) == paths.FULL
    assert paths.storage_trouble(OSError(errno.ENOENT, "x")) is None
    assert paths.storage_trouble(
        sqlite3.OperationalError("attempt to write a readonly database")) == paths.READ_ONLY
    assert paths.storage_trouble(
        sqlite3.OperationalError("database or disk is full")) == paths.FULL
    assert paths.storage_trouble(sqlite3.DatabaseError("file is not a database")) is None
    assert paths.storage_trouble(ValueError("readonly database")) is None


def test_export_csv_refuses_existing_files_without_force(jr, tmp_path):
    from pos_app.journal.export import ExportRefused

    new(jr, "REF1")
    target = tmp_path / "exists.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ExportRefused) as info:
        export_csv(jr.attempts(), target)
    assert "already exists" in str(info.value)
    assert target.read_text(encoding="utf-8") == "old"
    assert export_csv(jr.attempts(), target, force=True) == 1
    with pytest.raises(ExportRefused):
        export_csv(jr.attempts(), tmp_path, force=True)  # a folder
    with pytest.raises(ExportRefused):  # the journal itself, named by the caller
        export_csv(jr.attempts(), jr.path, force=True, protected=[jr.path])
    assert jr.get("REF1") is not None
