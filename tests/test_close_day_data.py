"""Close-the-day data: the journal's version-3 step, shifts, the settings for receipts and
closing, and the simulator's payment list over real HTTP."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from pos_app.clickpesa.gateway import Credentials, Gateway
from pos_app.clickpesa.simulator import Simulator
from pos_app.clickpesa.simulator_http import SimulatorServer
from pos_app.domain.attempt import AttemptState
from pos_app.journal import Journal
from pos_app.journal.store import SCHEMA_VERSION, ShiftError
from pos_app.settings import Settings, load_settings, parse_settings, printer_address, save_settings

EAT = timezone(timedelta(hours=3))

V2_SCHEMA = """
CREATE TABLE attempts (order_reference TEXT PRIMARY KEY, mode TEXT NOT NULL, phone TEXT NOT NULL,
  amount_tzs INTEGER NOT NULL, network_hint TEXT NOT NULL DEFAULT '',
  till_name TEXT NOT NULL DEFAULT '', state TEXT NOT NULL, channel TEXT NOT NULL DEFAULT '',
  clickpesa_id TEXT NOT NULL DEFAULT '', message TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  payment_reference TEXT NOT NULL DEFAULT '', second_look_at TEXT);
CREATE TABLE transitions (id INTEGER PRIMARY KEY AUTOINCREMENT, order_reference TEXT NOT NULL,
  at TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
INSERT INTO attempts VALUES ('OLD1', 'live', '255712345678', 5000, '', 'Till 1', 'PAID',
  'M-PESA', 'CP1', '', '2026-11-30T10:00:00+03:00', '2026-11-30T10:01:00+03:00', 'OP1', NULL);
INSERT INTO transitions (order_reference, at, from_state, to_state, detail)
  VALUES ('OLD1', '2026-11-30T10:01:00+03:00', 'PENDING', 'PAID', 'status SUCCESS');
PRAGMA user_version=2;
"""


def test_a_version_2_journal_gains_shifts_in_place(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(V2_SCHEMA)
    db.close()
    j = Journal(path, mode="live")
    old = j.get("OLD1")
    assert old is not None and old.state is AttemptState.PAID
    assert (old.shift, old.cashier, old.payment_reference) == ("", "", "OP1")
    assert [s.source for s in j.timeline("OLD1")] == [""]
    shift = j.open_shift("Asha")
    j.record_new("NEW1", phone="255712345679", amount_tzs=100, shift=shift.shift_id,
                 cashier="Asha")
    assert j.get("NEW1").cashier == "Asha"
    j.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3  # 4: outbox
    db.close()
    Journal(path, mode="live").close()  # opening again changes nothing


def test_shifts_one_at_a_time_numbered_by_day(tmp_path: Path):
    at = [datetime(2026, 12, 1, 7, 0, tzinfo=EAT)]
    j = Journal(tmp_path / "j.sqlite3", mode="live", now=lambda: at[0])
    with pytest.raises(ShiftError):
        j.open_shift("   ")
    first = j.open_shift("  Neema   Juma ")
    assert (first.shift_id, first.cashier, first.is_open) == ("20261201-1", "Neema Juma", True)
    with pytest.raises(ShiftError):
        j.open_shift("Asha")  # one is open
    assert j.open_shift_now() == first
    at[0] += timedelta(hours=6)
    closed = j.close_shift(first.shift_id)
    assert closed.closed_at == at[0].isoformat(timespec="seconds") and not closed.is_open
    with pytest.raises(ShiftError):
        j.close_shift(first.shift_id)
    with pytest.raises(ShiftError):
        j.close_shift("nope")
    assert j.open_shift_now() is None
    assert j.open_shift("Asha").shift_id == "20261201-2"
    j.close()


def test_settings_for_receipts_round_trip_and_bad_values_fall_back(tmp_path: Path):
    s = Settings(shop_name="Duka", header_line_1="Kariakoo", header_line_3="TIN 1",
                 printer="Front", paper="58mm", auto_print=True,
                 escpos_address="192.168.1.50:9100", reconcile_page_limit=200,
                 reconcile_at_shift_close=True)
    path = tmp_path / "settings.ini"
    save_settings(s, path)
    loaded, problems = load_settings(path)
    assert problems == [] and loaded == s
    assert loaded.header_lines == ("Kariakoo", "TIN 1")
    bad, problems = parse_settings("[till]\npaper = 110mm\nauto_print = sometimes\n"
                                   "escpos_address = printer port\nreconcile_page_limit = 0\n")
    assert (bad.paper, bad.auto_print, bad.escpos_address, bad.reconcile_page_limit) == \
        ("80mm", False, "", 50)
    assert len(problems) == 4
    assert any("paper" in p for p in problems) and any("escpos_address" in p for p in problems)
    ok, problems = parse_settings("[till]\npaper = a4\nauto_print = YES\n")
    assert (ok.paper, ok.auto_print, problems) == ("A4", True, [])


@pytest.mark.parametrize(("text", "address"), [
    ("192.168.1.50:9100", ("192.168.1.50", 9100)), ("printer.local", ("printer.local", 9100)),
    ("[fe80::1]:9101", ("fe80::1", 9101)), ("[fe80::1]", ("fe80::1", 9100)),
    ("host:0", None), ("host:99999", None), ("a b:1", None), ("", None), ("[fe80::1", None),
    ("h:x", None)])
def test_printer_addresses(text: str, address):
    assert printer_address(text) == address


def test_the_simulator_lists_payments_over_http_too(scheduler):
    sim = Simulator(clock=scheduler.now, max_page_limit=2)
    t = datetime(2026, 12, 1, 9, 0, tzinfo=EAT)
    for i in range(3):
        sim.remember(f"H{i}", f"25571234567{i}", 1000 + i, created_wall=t + timedelta(hours=i))
    sim.remember("LATE", "255712345679", 500, created_wall=datetime(2026, 12, 1, 23, 30,
                                                                    tzinfo=EAT))
    with SimulatorServer(sim) as server:
        gw = Gateway(server.url, lambda: Credentials("ID", "KEY"))
        try:
            first = gw.list_payments(date(2026, 12, 1), date(2026, 12, 1), skip=0, limit=2)
            second = gw.list_payments(date(2026, 12, 1), date(2026, 12, 1), skip=2, limit=2)
            from pos_app.clickpesa.errors import Unavailable

            with pytest.raises(Unavailable):  # above what this "ClickPesa" accepts
                gw.list_payments(date(2026, 12, 1), date(2026, 12, 1), limit=3)
        finally:
            gw.close()
    assert first.total_count == 4
    assert [r.order_reference for r in first.rows + second.rows] == ["H0", "H1", "H2", "LATE"]
    assert all(r.is_paid for r in first.rows)  # the customers of …0, …1 pay
    assert second.rows[-1].collected_amount == 500


def test_the_settings_dialog_keeps_receipt_settings(qtbot, memory_keyring):
    from pos_app.ui.settings_dialog import SettingsDialog
    from pos_app.ui.tasks import QtRunner

    runner = QtRunner()
    dialog = SettingsDialog(Settings(paper="58mm"), training=True, runner=runner,
                            settings_path=None, gateway_factory=None)
    qtbot.addWidget(dialog)
    assert dialog.paper.currentData() == "58mm"
    qtbot.keyClicks(dialog.shop_name, "Duka  la Mama")
    qtbot.keyClicks(dialog.header_edits[1], "Simu 0754 000 111")
    dialog.paper.setCurrentIndex(dialog.paper.findData("A4"))
    dialog.auto_print.setChecked(True)
    dialog.page_limit.setValue(120)
    qtbot.keyClicks(dialog.escpos, "printer port")
    assert dialog._collect() is None  # not an address: said, nothing saved
    assert "192.168.1.50:9100" in dialog.result_label.text()
    dialog.escpos.setText("10.0.0.7:9100")
    got = dialog._collect()
    assert got is not None
    assert (got.shop_name, got.header_lines, got.paper, got.auto_print, got.escpos_address,
            got.reconcile_page_limit, got.printer) == \
        ("Duka la Mama", ("Simu 0754 000 111",), "A4", True, "10.0.0.7:9100", 120, "")
    runner.wait()
