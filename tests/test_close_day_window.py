"""Closing the day in the real window (pytest-qt, offscreen, the simulator on a manual clock):
History and its filters against a generated journal, shifts, the Paid screen's print (P),
printer off, the day report's chart, and Reconcile day…."""

from __future__ import annotations

import csv
import random
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fake_printer import FakePrinter
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from pos_app.domain.attempt import AttemptState
from pos_app.journal import Journal
from pos_app.reports.zreport import build_report
from pos_app.till.charge import Phase

S = AttemptState
EAT = timezone(timedelta(hours=3))


@pytest.fixture
def window(training_window):
    return training_window


def pay(qtbot, window, scheduler, phone: str = "0712 345 670", amount: str = "5000") -> str:
    qtbot.keyClicks(window.phone_edit, phone)
    qtbot.keyClicks(window.amount_edit, amount)
    qtbot.keyClick(window.amount_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.till.view.phase is Phase.WAITING)
    for _ in range(40):
        if window.till.view.phase is Phase.PAID:
            break
        scheduler.advance(3)
        qtbot.waitUntil(lambda: not window.till.view.checking)
    qtbot.waitUntil(lambda: window.till.view.phase is Phase.PAID)
    return window.till.view.reference


def generated_journal(path: Path, n: int = 400, seed: int = 7) -> list[tuple]:
    """n attempts over ten days with every status; returns (ref, day, phone, amount, state)."""
    rnd = random.Random(seed)
    at = [datetime(2026, 11, 20, 8, 0, tzinfo=EAT)]
    j = Journal(path, mode="live", now=lambda: at[0])
    made = []
    states = [S.PAID] * 6 + [S.FAILED, S.NOT_SENT, S.PENDING, S.ATTENTION]
    for i in range(n):
        at[0] = datetime(2026, 11, 20, 8, 0, tzinfo=EAT) + timedelta(minutes=36 * i)
        ref = f"G{i:05d}X"
        phone = f"2557{rnd.randint(10000000, 99999999)}"
        amount = rnd.choice([1000, 2500, 5000, 12000, 40000])
        state = rnd.choice(states)
        j.record_new(ref, phone=phone, amount_tzs=amount)
        if state is not S.NEW:
            if state in (S.PAID, S.FAILED, S.ATTENTION):
                j.transition(ref, S.PENDING, clickpesa_id="CP" + ref)
            if state is not S.PENDING:
                j.transition(ref, state)
            else:
                j.transition(ref, S.PENDING, clickpesa_id="CP" + ref)
        made.append((ref, at[0].date(), phone, amount, state))
    j.close()
    return made


def shown(history) -> list[str]:
    return history.shown_references()


# -- History ------------------------------------------------------------------------------------

@pytest.fixture
def history_window(qtbot, tmp_path: Path):
    from pos_app.ui.history_window import HistoryWindow
    from pos_app.ui.tasks import QtRunner

    made = generated_journal(tmp_path / "gen.sqlite3")
    journal = Journal(tmp_path / "gen.sqlite3", mode="live")
    runner = QtRunner()
    h = HistoryWindow(journal, runner, today=date(2026, 11, 30))
    qtbot.addWidget(h)
    with qtbot.waitSignal(h.loaded):
        h.show()
    yield h, made
    runner.wait()
    journal.close()


def test_history_filters_against_a_generated_journal(qtbot, history_window):
    h, made = history_window
    assert len(shown(h)) == len(made)
    paid = {ref for ref, _d, _p, _a, st in made if st is S.PAID}
    h.status.setCurrentIndex(h.status.findData("PAID"))
    assert set(shown(h)) == paid
    total = sum(a for ref, _d, _p, a, st in made if st is S.PAID)
    assert f"TZS {total:,}" in h.totals_label.text()
    # amount range and phone fragment, typed as a cashier would
    qtbot.keyClicks(h.amount, "2,000-6,000")
    want = {ref for ref, _d, _p, a, st in made if st is S.PAID and 2000 <= a <= 6000}
    assert set(shown(h)) == want
    phone = made[3][2]
    qtbot.keyClicks(h.phone, "0" + phone[3:7])  # "07xx…" as typed
    want = {ref for ref, _d, p, a, st in made
            if st is S.PAID and 2000 <= a <= 6000 and phone[3:7] in p}
    assert set(shown(h)) == want
    h.status.setCurrentIndex(0)
    h.amount.clear()
    h.phone.clear()
    # a date range
    h.all_dates.setChecked(False)
    h.date_from.setDate(QDate(2026, 11, 22))
    h.date_to.setDate(QDate(2026, 11, 23))
    want = {ref for ref, d, *_ in made if date(2026, 11, 22) <= d <= date(2026, 11, 23)}
    assert set(shown(h)) == want and want
    h.all_dates.setChecked(True)
    qtbot.keyClicks(h.reference, "g0012")
    assert shown(h) == [f"G0012{i}X" for i in reversed(range(10))]  # newest first
    h.reference.clear()
    # a bad amount is said, and the rows stay as they were
    qtbot.keyClicks(h.amount, "lots")
    assert h.filter_problem.isVisible() and len(shown(h)) == len(made)


def test_history_sorts_by_amount_and_shows_a_timeline(qtbot, history_window):
    h, made = history_window
    h.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    amounts = [a for _r, _d, _p, a, _s in made]
    first = h.model.row_at(0)[3]
    assert first == max(amounts) and h.model.row_at(len(made) - 1)[3] == min(amounts)
    paid_ref = next(ref for ref, _d, _p, _a, st in made if st is S.PAID)
    h.reference.setText(paid_ref)
    with qtbot.waitSignal(h.timeline_shown):
        h.table.selectRow(0)
    steps = [h.timeline.item(i).text() for i in range(h.timeline.count())]
    assert len(steps) == 3 and "NEW" in steps[0] and "PENDING → PAID" in steps[2]
    assert h.reprint_button.isEnabled() is False  # no reprint handler given


def test_export_shown_rows(qtbot, history_window, tmp_path: Path):
    h, made = history_window
    h.status.setCurrentIndex(h.status.findData("NEEDS_ATTENTION"))
    out = tmp_path / "shown.csv"
    h.export_shown(out)
    qtbot.waitUntil(lambda: out.exists())
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert [r[1] for r in rows[1:]] == shown(h)
    assert {r[4] for r in rows[1:]} == {"NEEDS_ATTENTION"}


# -- the till window: shifts, Paid, P, History from the menu -------------------------------------

def action(window, name: str):
    from PySide6.QtGui import QAction

    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def test_open_shift_then_every_attempt_records_it(qtbot, window, scheduler, journal):
    cd = window.close_day
    qtbot.waitUntil(lambda: cd.open_shift_action.isEnabled())
    assert not cd.close_shift_action.isEnabled()
    action(window, "openShiftAction").trigger()
    dialog = cd.open_shift_dialog
    ok = dialog.findChild(QPushButton, "openShiftButton")
    ok.click()  # no name: refused, said
    assert dialog.isVisible() and dialog.problem.isVisible()
    qtbot.keyClicks(dialog.name_edit, "  Neema  ")
    with qtbot.waitSignal(cd.shift_changed):
        ok.click()
    assert cd.shift.cashier == "Neema" and "Neema" in cd.shift_label.text()
    ref = pay(qtbot, window, scheduler)
    record = journal.get(ref)
    assert (record.shift, record.cashier) == (cd.shift.shift_id, "Neema")
    shift_id = cd.shift.shift_id
    with qtbot.waitSignal(cd.shift_changed):
        action(window, "closeShiftAction").trigger()
    assert cd.shift is None and window.till.cashier == ""
    report = cd.report
    qtbot.waitUntil(lambda: report.report is not None)
    assert report.report.shift == shift_id and report.report.paid.count == 1
    assert "TOTAL PAID TZS 5,000" in report.text.toPlainText()
    assert [b.count for b in report.chart.buckets] == [b.count for b in report.report.hours]
    qtbot.keyClick(window, Qt.Key.Key_Return)  # next sale: no shift now, blank cashier
    ref2 = pay(qtbot, window, scheduler, phone="0712 345 671")
    assert (journal.get(ref2).shift, journal.get(ref2).cashier) == ("", "")


def test_paid_screen_prints_with_p_to_a_thermal_printer(qtbot, window, scheduler):
    printer = FakePrinter()
    window.settings = replace(window.settings, escpos_address=f"127.0.0.1:{printer.port}",
                              shop_name="Duka", paper="58mm")
    ref = pay(qtbot, window, scheduler)
    cd = window.close_day
    notices: list[str] = []
    cd.notice.connect(notices.append)
    assert cd.print_button.isVisible()
    with qtbot.waitSignal(cd.receipt_printed, timeout=10_000):
        qtbot.keyClick(window.next_sale_button, Qt.Key.Key_P)
    data = printer.finish()
    assert b"TZS 5,000" in data and ref.encode() in data and b"+255 7** *** 670" in data
    assert "went to 127.0.0.1" in notices[-1]
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert not cd.print_button.isVisible()


def test_auto_print_and_printer_off_leave_the_payment_alone(qtbot, window, scheduler,
                                                           journal):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    window.settings = replace(window.settings, escpos_address=f"127.0.0.1:{port}",
                              auto_print=True)
    cd = window.close_day
    notices: list[str] = []
    cd.notice.connect(notices.append)
    with qtbot.waitSignal(cd.receipt_failed, timeout=10_000) as failed:
        ref = pay(qtbot, window, scheduler)
    assert "refused the connection" in failed.args[0]
    assert "payment itself is not affected" in notices[-1]
    assert window.till.view.phase is Phase.PAID and journal.get(ref).state is S.PAID
    assert window.title.text() == "Paid"


def test_system_printer_missing_is_said(qtbot, window, scheduler):
    window.settings = replace(window.settings, printer="Front-Desk-Printer")
    pay(qtbot, window, scheduler)
    cd = window.close_day
    with qtbot.waitSignal(cd.receipt_failed, timeout=10_000) as failed:
        cd.print_button.click()
    assert "Front-Desk-Printer is not available" in failed.args[0]


def test_history_from_the_menu_with_check_now_and_reprint(qtbot, window, scheduler, journal,
                                                          tmp_path):
    from pos_app.ui.printing import Output

    ref = pay(qtbot, window, scheduler)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    cd = window.close_day
    assert action(window, "historyAction").shortcut().toString() == "Ctrl+H"
    action(window, "historyAction").trigger()
    h = cd.history
    qtbot.waitUntil(lambda: h.model.rowCount() == 1)
    with qtbot.waitSignal(h.timeline_shown):
        h.table.selectRow(0)
    assert h.reprint_button.isEnabled() and h.check_button.isEnabled()
    out = tmp_path / "again.pdf"
    h._reprint = lambda r: cd.print_receipt(r, Output(pdf=out, paper="80mm"))
    with qtbot.waitSignal(cd.receipt_printed, timeout=10_000):
        h.reprint_button.click()
    assert out.read_bytes().startswith(b"%PDF")
    with qtbot.waitSignal(h.loaded, timeout=10_000):
        h.check_button.click()
    assert journal.get(ref).state is S.PAID


# -- day report and reconcile --------------------------------------------------------------------

def test_day_report_window_matches_the_journal(qtbot, window, scheduler, journal, tmp_path):
    pay(qtbot, window, scheduler)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    pay(qtbot, window, scheduler, phone="0754 000 111", amount="12000")
    action(window, "dayReportAction").trigger()
    report = window.close_day.report
    qtbot.waitUntil(lambda: report.report is not None)
    expected = build_report(journal.attempts(date.today(), date.today()), day=date.today(),
                            mode="live")
    assert report.report.paid == expected.paid and report.report.paid.amount_tzs == 17000
    assert report.chart.buckets == expected.hours
    out = tmp_path / "day.pdf"
    from pos_app.ui.printing import Output

    with qtbot.waitSignal(report.printed, timeout=10_000):
        report.print_to(Output(pdf=out, paper="A4"))
    import io

    import pypdf

    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "TOTALPAIDTZS17,000" in re.sub(r"\s+", "", text)


def test_reconcile_day_states_the_cost_then_runs_off_the_gui_thread(qtbot, window, scheduler,
                                                                   journal):
    ref = pay(qtbot, window, scheduler)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    # An attempt the till lost track of: ClickPesa (the simulator) has it paid.
    window.sim.remember("LOST1", "255712345672", 3000,
                        created_wall=datetime.now().astimezone())
    journal.record_new("LOST1", phone="255712345672", amount_tzs=3000)
    calls_before = window.sim.count("list")
    dialog = window.close_day.open_reconcile()
    with qtbot.waitSignal(dialog.cost_known):
        pass
    assert "This will use about 2 ClickPesa API call(s)" in dialog.cost_label.text()
    assert window.sim.count("list") == calls_before  # nothing asked before Reconcile
    with qtbot.waitSignal(dialog.finished_run, timeout=10_000) as run:
        dialog.run_button.click()
    result = run.args[0]
    assert result.resolved == ("LOST1",) and result.is_clean
    assert journal.get("LOST1").state is S.PAID
    assert "The till and ClickPesa agree." in dialog.output.toPlainText()
    assert ref in {p.record.order_reference for p in result.result.matched_paid}


# -- words --------------------------------------------------------------------------------------

def _mnemonics(texts: list[str]) -> list[str]:
    return [m.group(1).lower() for t in texts for m in [re.search(r"&([^&])", t)] if m]


def test_mnemonics_do_not_clash_in_the_till_menu_the_window_and_history(qtbot, window,
                                                                        tmp_path):
    menu = window.menuBar().actions()[0].menu()
    letters = _mnemonics([a.text() for a in menu.actions() if a.text()])
    assert len(letters) == len(set(letters)), letters
    from PySide6.QtWidgets import QLabel

    mine = window.close_day.print_button
    others = [w.text() for w in window.findChildren(QPushButton) if w is not mine]
    others += [label.text() for label in window.findChildren(QLabel) if label.buddy()]
    (letter,) = _mnemonics([mine.text()])
    assert letter not in _mnemonics(others), (letter, others)
    assert letter not in ("t", "h")  # Alt+T is the Till menu, Alt+H "Check selected"
    window.close_day.open_history()
    h = window.close_day.history
    texts = [w.text() for w in h.findChildren(QPushButton)]
    texts += [label.text() for label in h.findChildren(QLabel) if label.buddy()]
    texts += [h.all_dates.text()]
    letters = _mnemonics(texts)
    assert len(letters) == len(set(letters)), letters
    QApplication.processEvents()


def test_history_shows_the_newest_first_then_reads_the_rest(qtbot, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    from pos_app.ui import history_window
    from pos_app.ui.history_window import HistoryWindow
    from pos_app.ui.tasks import QtRunner

    monkeypatch.setattr(history_window, "FIRST_CHUNK", 30)
    monkeypatch.setattr(history_window, "CHUNK", 100)
    made = generated_journal(tmp_path / "gen.sqlite3", n=250)
    journal = Journal(tmp_path / "gen.sqlite3", mode="live")
    runner = QtRunner()
    h = HistoryWindow(journal, runner)
    qtbot.addWidget(h)
    firsts: list[int] = []
    h.first_rows.connect(firsts.append)
    with qtbot.waitSignal(h.loaded) as loaded:
        h.show()
    assert firsts == [30] and loaded.args == [250]
    assert shown(h)[:3] == [made[-1][0], made[-2][0], made[-3][0]]
    assert len(set(shown(h))) == 250
    assert "still reading" not in h.totals_label.text()
    runner.wait()
    journal.close()


def test_close_day_switches_language_with_the_window(qtbot, window):
    from PySide6.QtCore import QTranslator

    qm = Path(__file__).resolve().parent.parent / "resources" / "translations" / "pos_app_sw.qm"
    translator = QTranslator()
    assert translator.load(str(qm))
    app = QApplication.instance()
    cd = window.close_day
    assert cd.history_action.text() == "&History…"
    app.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: cd.history_action.text() != "&History…")
        assert cd.history_action.text() == "His&toria ya malipo…"
        assert cd.print_button.text() == "Chapisha uthi&bitisho (P)"
    finally:
        app.removeTranslator(translator)
    qtbot.waitUntil(lambda: cd.history_action.text() == "&History…")


def test_close_shift_prints_its_report_when_auto_print_is_on(qtbot, window, scheduler):
    printer = FakePrinter()
    cd = window.close_day
    qtbot.waitUntil(lambda: cd.open_shift_action.isEnabled())
    with qtbot.waitSignal(cd.shift_changed):
        cd.open_shift("Asha")
    window.settings = replace(window.settings, auto_print=True,
                              escpos_address=f"127.0.0.1:{printer.port}")
    printed: list[str] = []
    cd.receipt_printed.connect(printed.append)
    ref = pay(qtbot, window, scheduler)  # auto-print: the slip goes to the printer first
    qtbot.waitUntil(lambda: printed == [ref], timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    second = FakePrinter()
    window.settings = replace(window.settings, escpos_address=f"127.0.0.1:{second.port}")
    with qtbot.waitSignal(cd.shift_changed):
        action(window, "closeShiftAction").trigger()
    reports: list[str] = []
    cd.report.printed.connect(reports.append)
    qtbot.waitUntil(lambda: len(reports) == 1, timeout=10_000)
    slip, report = printer.finish(), second.finish()
    assert ref.encode() in slip
    assert b"Shift report" in report and b"TOTAL PAID TZS 5,000" in report
