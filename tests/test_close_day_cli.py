"""The close-the-day commands, driven in-process through `main([...])` against a journal
built in the test: receipt (PDF text, ESC/POS bytes, printer off), report (figures, JSON
keys), reconcile (exit codes, JSON) and export --columns full."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pypdf
import pytest
import respx
from fake_printer import FakePrinter

from pos_app import paths
from pos_app.cli import main
from pos_app.domain.attempt import AttemptState
from pos_app.journal import Journal
from pos_app.journal.export import HEADER
from pos_app.settings import Settings, save_settings

S = AttemptState
EAT = timezone(timedelta(hours=3))
TODAY = date(2026, 12, 1)


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 1, 8, 0, tzinfo=EAT)

    def __call__(self) -> datetime:
        return self.at


def build_journal(training: bool = False) -> None:
    """A day of one till: two shifts, every status, three networks, payments at 08, 09, 14 h."""
    clock = Clock()
    j = Journal(paths.journal_file(training), mode="training" if training else "live",
                now=clock)

    def sale(ref: str, at: tuple[int, int], phone: str, amount: int, state: AttemptState, *,
             channel: str = "M-PESA", shift: str = "", cashier: str = "", day: int = 1) -> None:
        clock.at = datetime(2026, 12, day, *at, tzinfo=EAT)
        j.record_new(ref, phone=phone, amount_tzs=amount, till_name="Till 1", shift=shift,
                     cashier=cashier)
        if state is S.NEW:
            return
        if state in (S.PAID, S.FAILED):
            j.transition(ref, S.PENDING, clickpesa_id="CP" + ref, channel=channel)
        j.transition(ref, state, payment_reference="OP" + ref if state is S.PAID else None)

    clock.at = datetime(2026, 12, 1, 7, 55, tzinfo=EAT)
    first = j.open_shift("Neema", till_name="Till 1").shift_id
    sale("A1", (8, 5), "255754000111", 5000, S.PAID, shift=first, cashier="Neema")
    sale("A2", (8, 40), "255654000222", 12000, S.PAID, channel="TIGO-PESA", shift=first,
         cashier="Neema")
    sale("A3", (9, 10), "255754000336", 3000, S.FAILED, shift=first, cashier="Neema")
    sale("A4", (9, 30), "255784000448", 7000, S.NEW, shift=first, cashier="Neema")
    clock.at = datetime(2026, 12, 1, 12, 0, tzinfo=EAT)
    j.close_shift(first)
    second = j.open_shift("Juma").shift_id
    sale("B1", (14, 15), "255784000111", 20000, S.PAID, channel="AIRTEL-MONEY", shift=second,
         cashier="Juma")
    sale("B2", (14, 50), "255754000999", 1500, S.NOT_SENT, shift=second, cashier="Juma")
    sale("B3", (15, 5), "255754000119", 2500, S.ATTENTION, shift=second, cashier="Juma")
    sale("Y1", (10, 0), "255754000111", 9999, S.PAID, day=2)  # another day
    j.close()


@pytest.fixture
def settings_file() -> Path:
    path = paths.settings_file()
    save_settings(Settings(shop_name="Duka la Mama", header_line_1="Kariakoo St 12",
                           header_line_3="TIN 123-456-789", till_name="Till 1",
                           paper="58mm"), path)
    return path


# -- export ---------------------------------------------------------------------------------

def test_export_keeps_its_columns_and_full_adds_four(tmp_path: Path):
    build_journal()
    plain, full = tmp_path / "plain.csv", tmp_path / "full.csv"
    assert main(["export", "--out", str(plain)]) == 0
    assert main(["export", "--out", str(full), "--columns", "full"]) == 0
    plain_rows = list(csv.reader(plain.open(encoding="utf-8")))
    full_rows = list(csv.reader(full.open(encoding="utf-8")))
    assert tuple(plain_rows[0]) == HEADER
    assert full_rows[0] == [*HEADER, "shift", "cashier", "till", "payment_reference"]
    a1 = next(r for r in full_rows if r[1] == "A1")
    assert a1[9:] == ["20261201-1", "Neema", "Till 1", "OPA1"]
    assert [r[:9] for r in full_rows] == plain_rows  # the same rows, four columns more


# -- report ----------------------------------------------------------------------------------

def test_day_report_figures_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    build_journal()
    out = tmp_path / "day.json"
    assert main(["report", "--date", "2026-12-01", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert set(data) == {"date", "mode", "paid_count", "paid_tzs", "failed_count",
                         "unresolved_count", "attention_count", "by_channel", "by_hour"}
    assert data["date"] == "2026-12-01" and data["mode"] == "live"
    assert (data["paid_count"], data["paid_tzs"]) == (3, 37000)
    assert data["failed_count"] == 2  # failed and not sent
    assert data["unresolved_count"] == 1 and data["attention_count"] == 1
    assert data["by_channel"] == {"M-PESA": {"count": 1, "tzs": 5000},
                                  "TIGO-PESA": {"count": 1, "tzs": 12000},
                                  "AIRTEL-MONEY": {"count": 1, "tzs": 20000}}
    assert data["by_hour"]["08"] == {"count": 2, "tzs": 17000}
    assert data["by_hour"]["14"] == {"count": 1, "tzs": 20000}
    assert data["by_hour"]["09"] == {"count": 0, "tzs": 0}
    assert len(data["by_hour"]) == 24
    text = capsys.readouterr().out
    assert "TOTAL PAID TZS 37,000" in text and "A4" in text  # the unresolved one is listed


def test_shift_report_and_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    build_journal()
    pdf, out = tmp_path / "shift.pdf", tmp_path / "shift.json"
    assert main(["report", "--shift", "20261201-2", "--pdf", str(pdf), "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert (data["paid_count"], data["paid_tzs"], data["failed_count"],
            data["attention_count"]) == (1, 20000, 1, 1)
    text = re.sub(r"\s+", "", "".join(p.extract_text()
                                      for p in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages))
    assert "Shiftreport" in text and "TOTALPAIDTZS20,000" in text
    assert main(["report", "--shift", "nope"]) == 1
    assert "no shift nope" in capsys.readouterr().err


def test_report_without_a_journal_is_empty_and_bad_date_is_usage(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "r.json"
    assert main(["report", "--json", str(out)]) == 0
    assert json.loads(out.read_text())["paid_count"] == 0
    assert main(["report", "--date", "1.12.2026"]) == 2
    assert main(["report", "--date", "2026-12-01", "--shift", "x"]) == 2


def test_training_report_is_kept_apart(tmp_path: Path):
    build_journal(training=True)
    live, training = tmp_path / "l.json", tmp_path / "t.json"
    assert main(["report", "--date", "2026-12-01", "--json", str(live)]) == 0
    assert main(["report", "--date", "2026-12-01", "--training", "--json", str(training)]) == 0
    assert json.loads(live.read_text())["paid_count"] == 0
    t = json.loads(training.read_text())
    assert t["mode"] == "training" and t["paid_tzs"] == 37000


# -- receipt ---------------------------------------------------------------------------------

def test_receipt_pdf_holds_amount_ids_and_masked_number(tmp_path: Path, settings_file: Path):
    build_journal()
    pdf = tmp_path / "a2.pdf"
    assert main(["receipt", "A2", "--pdf", str(pdf)]) == 0
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    flat = re.sub(r"\s+", "", text)
    assert "TZS12,000" in flat
    assert "CPA2" in flat and "OPA2" in flat and "A2" in flat
    assert "+2556" + "\u2022" * 5 + "222" in flat  # +255 6•• ••• 222
    assert "654000222" not in flat  # never the whole number
    assert "DUKALAMAMA" in flat and "Paymentconfirmation" in flat
    assert "NotaTRAfiscalreceipt" in flat and "Neema" in flat


def test_receipt_to_a_network_thermal_printer(settings_file: Path,
                                              capsys: pytest.CaptureFixture[str]):
    build_journal()
    printer = FakePrinter()
    assert main(["receipt", "B1", "--escpos", f"127.0.0.1:{printer.port}"]) == 0
    data = printer.finish()
    assert b"TZS 20,000" in data and b"CPB1" in data and b"OPB1" in data
    assert b"+255 7** *** 111" in data
    assert b"784000111" not in data
    assert data.rstrip().endswith(b"\x1dVA\x00") or b"\x1dV" in data  # cut
    assert "Printed the confirmation of B1" in capsys.readouterr().out


def test_printer_off_is_said_and_the_payment_is_untouched(settings_file: Path,
                                                         capsys: pytest.CaptureFixture[str]):
    import socket

    build_journal()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: a printer that is switched off
    assert main(["receipt", "B1", "--escpos", f"127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err
    assert "refused the connection" in err and "payment itself is not affected" in err
    assert main(["receipt", "B1", "--print", "No-Such-Printer"]) == 1
    err = capsys.readouterr().err
    assert "No-Such-Printer is not available" in err
    assert "payment itself is not affected" in err
    j = Journal(paths.journal_file(False), mode="live")
    assert j.get("B1").state is S.PAID
    j.close()


def test_receipt_refuses_unpaid_unknown_and_bad_address(settings_file: Path,
                                                       capsys: pytest.CaptureFixture[str]):
    build_journal()
    assert main(["receipt", "A3", "--pdf", "x.pdf"]) == 1
    assert "not PAID" in capsys.readouterr().err
    assert main(["receipt", "ZZZ", "--pdf", "x.pdf"]) == 1
    assert "no attempt ZZZ" in capsys.readouterr().err
    assert main(["receipt", "A1", "--escpos", "printer:port"]) == 2
    assert main(["receipt", "A1"]) == 2  # one of --pdf, --print, --escpos is required
    assert main(["receipt", "A1", "--pdf", "a.pdf", "--escpos", "h:1"]) == 2


# -- reconcile --------------------------------------------------------------------------------

LIST = "https://api.clickpesa.com/third-parties/payments/all"


def _row(ref: str, status: str, amount: int, phone: str) -> dict:
    return {"id": "CP" + ref, "orderReference": ref, "status": status,
            "collectedAmount": amount, "collectedCurrency": "TZS", "paymentPhoneNumber": phone,
            "channel": "M-PESA", "createdAt": "2026-12-01T06:00:00Z"}


def test_reconcile_live_exit_3_with_json(tmp_path: Path, memory_keyring,
                                         capsys: pytest.CaptureFixture[str]):
    from pos_app.credentials import CredentialStore

    CredentialStore().save("IDx", "KEYx")
    build_journal()
    rows = [_row("A1", "SUCCESS", 5000, "255754000111"),
            _row("A2", "SUCCESS", 12000, "255654000222"),
            _row("A3", "SUCCESS", 3000, "255754000336"),  # the till said failed: DANGER
            _row("A4", "SUCCESS", 7000, "255784000448"),  # unresolved: made final
            _row("B1", "SUCCESS", 20000, "255784000111"),
            _row("B2", "FAILED", 1500, "255754000999"),
            _row("LINK9", "SUCCESS", 100, "255700000000")]
    out = tmp_path / "rec.json"
    with respx.mock() as mock:
        mock.post("https://api.clickpesa.com/third-parties/generate-token").mock(
            return_value=httpx.Response(200, json={"success": True, "token": "Bearer T"}))
        mock.get(LIST).mock(return_value=httpx.Response(200, json={"data": rows,
                                                                   "totalCount": 7}))
        code = main(["reconcile", "--date", "2026-12-01", "--json", str(out)])
    assert code == 3
    data = json.loads(out.read_text())
    assert set(data) == {"date", "clickpesa_rows", "matched", "resolved", "mismatches",
                         "not_in_journal"}
    assert data["resolved"] == ["A4"]
    assert data["not_in_journal"] == 1 and data["clickpesa_rows"] == 7
    (danger,) = [m for m in data["mismatches"] if m["order_reference"] == "A3"]
    assert (danger["till_status"], danger["clickpesa_status"], danger["kind"]) == \
        ("FAILED", "SUCCESS", "paid_at_clickpesa_only")
    assert {"order_reference", "till_status", "clickpesa_status", "kind"} <= set(danger)
    err = capsys.readouterr().err
    assert "This will use about 2 ClickPesa API call(s)" in err


def test_reconcile_that_cannot_run_says_why(tmp_path: Path, memory_keyring,
                                            capsys: pytest.CaptureFixture[str]):
    build_journal()
    assert main(["reconcile", "--date", "2026-12-01"]) == 1  # no credentials stored
    err = capsys.readouterr().err
    assert "could not reconcile 2026-12-01" in err and "No Client ID or API key" in err


def test_reconcile_training_against_the_simulator(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]):
    build_journal(training=True)
    clock = Clock()
    clock.at = datetime(2026, 12, 1, 16, 0, tzinfo=EAT)
    j = Journal(paths.journal_file(True), mode="training", now=clock)
    j.record_new("T1", phone="255754000772", amount_tzs=4000)  # …2 pays at the simulator
    j.transition("T1", S.PENDING, clickpesa_id="SIMT1")
    j.record_new("T2", phone="255754000771", amount_tzs=4500)  # …1 pays; the till said failed
    j.transition("T2", S.PENDING, clickpesa_id="SIMT2")
    j.transition("T2", S.FAILED)
    j.close()
    out = tmp_path / "t.json"
    code = main(["reconcile", "--training", "--date", "2026-12-01", "--json", str(out)])
    data = json.loads(out.read_text())
    assert code == 3
    assert data["resolved"] == ["T1"]
    assert [(m["order_reference"], m["kind"]) for m in data["mismatches"]] == \
        [("T2", "paid_at_clickpesa_only")]
    assert data["not_in_journal"] == 0
    j = Journal(paths.journal_file(True), mode="training")
    assert j.get("T1").state is S.PAID and j.timeline("T1")[-1].source == "reconcile"
    assert j.get("T2").state is S.FAILED  # listed, never "fixed"
    j.close()
