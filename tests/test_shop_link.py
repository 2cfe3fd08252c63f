"""The till window's link to its shop server (issues 11 and 12): started only when joined,
the outbox sender on its own thread, hints reaching the till, the link's state in the status
bar, and today's ClickPesa calls counted across restarts for the shop's API budget."""

from __future__ import annotations

import threading
from datetime import date

from PySide6.QtCore import Qt

from pos_app.hints.stream import Hint
from pos_app.shop.usage import CallTally
from pos_app.till.charge import Phase


class FakeStream:
    def __init__(self, on_hint, on_live, on_refused) -> None:
        self.on_hint, self.on_live, self.on_refused = on_hint, on_live, on_refused
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True

    def stop(self, timeout_s: float = 2.0) -> None:
        self.stopped = True

    def fire(self, fn, *args) -> None:  # from a thread of its own, like the real one
        t = threading.Thread(target=fn, args=args)
        t.start()
        t.join()


def _link(qtbot, w, tmp_path, found=("https://shop.example", "till-secret"), files=None):
    streams, senders = [], []
    files = files if files is not None else [1]

    def sender_start(journal_path, url, secret, api_calls):
        senders.append((journal_path, url, secret, api_calls, threading.Event()))
        return (None, senders[-1][-1])

    w.link_shop(tmp_path / "journal.sqlite3",
                read=lambda: found() if callable(found) else found,
                watch=lambda: files[0],
                stream_factory=lambda *cbs: streams.append(FakeStream(*cbs)) or streams[-1],
                sender_start=sender_start)
    qtbot.waitUntil(lambda: w.runner.pending == 0)
    return streams, senders


def test_a_joined_till_links_and_hints_reach_the_sale(qtbot, training_window, scheduler,
                                                      tmp_path):
    w = training_window
    streams, senders = _link(qtbot, w, tmp_path)
    assert len(streams) == 1 and streams[0].started
    (_path, url, secret, api_calls, stop), = senders
    assert (url, secret) == ("https://shop.example", "till-secret")
    assert w.shop_label.isVisible() and "not connected" in w.shop_label.text()
    stream = streams[0]
    stream.fire(stream.on_live, True)
    qtbot.waitUntil(lambda: w.shop_label.text() == "Shop server: connected")
    assert w.till.hints_live
    qtbot.keyClicks(w.phone_edit, "0712 345 671")  # pays after 12 s
    qtbot.keyClick(w.phone_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(w.amount_edit, "5000")
    qtbot.keyClick(w.amount_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.runner.pending == 0 and w.till.view.phase is Phase.WAITING)
    ref = w.till.view.reference
    for _ in range(13):
        scheduler.advance(1)
        qtbot.waitUntil(lambda: w.runner.pending == 0)
    assert w.sim.count("status") == 0  # the stream is up: no polling before the fallback
    stream.fire(stream.on_hint, Hint(ref, "SUCCESS", "41"))
    qtbot.waitUntil(lambda: w.till.view.phase is Phase.PAID)
    assert w.sim.count("status") == 1
    assert api_calls()[date.today().isoformat()] >= 3  # token, push, status
    stream.fire(stream.on_live, False)
    qtbot.waitUntil(lambda: "not connected" in w.shop_label.text())
    assert not w.till.hints_live
    stream.fire(stream.on_refused, 401)
    qtbot.waitUntil(lambda: "refused" in w.shop_label.text())
    w.close()
    assert stream.stopped and stop.is_set()


def test_a_till_that_has_not_joined_links_nothing(qtbot, training_window, tmp_path):
    w = training_window
    streams, senders = _link(qtbot, w, tmp_path, found=None)
    assert streams == [] and senders == []
    assert w.shop_link is None and not w.shop_label.isVisible()


def test_the_days_calls_survive_a_restart_and_a_new_gateway(tmp_path):
    path = tmp_path / "api-calls.json"
    today = date(2026, 12, 1)
    live = [5]
    first = CallTally(lambda: live[0], today=lambda: today, path=path)
    assert first.snapshot() == {"2026-12-01": 5}
    first.gateway_replaced(live[0])  # Settings made a new gateway: it starts at 0
    live[0] = 2
    assert first.snapshot() == {"2026-12-01": 7}
    live[0] = 1  # the till restarted: a fresh gateway
    second = CallTally(lambda: live[0], today=lambda: today, path=path)
    assert second.snapshot() == {"2026-12-01": 8}
    tomorrow = date(2026, 12, 2)
    third = CallTally(lambda: live[0], today=lambda: tomorrow, path=path)
    assert third.snapshot() == {"2026-12-02": 1}  # yesterday's count is not today's
    path.write_text("garbage")
    assert CallTally(lambda: 0, today=lambda: today, path=path).snapshot() == {"2026-12-01": 0}


def test_joining_and_leaving_while_the_till_is_open_is_noticed_within_seconds(
        qtbot, training_window, scheduler, tmp_path):
    from pos_app.ui.main_window import SHOP_WATCH_S

    w = training_window
    joined: list = [None]
    files = [1]
    streams, senders = _link(qtbot, w, tmp_path, found=lambda: joined[0], files=files)
    assert streams == [] and w.shop_link is None
    # `pos-app shop join` in a terminal beside the till
    joined[0], files[0] = ("https://shop.example", "till-secret"), 2
    scheduler.advance(SHOP_WATCH_S)
    qtbot.waitUntil(lambda: w.runner.pending == 0 and bool(streams))
    assert streams[0].started and len(senders) == 1
    assert w.shop_label.isVisible()
    reads = len(streams)
    scheduler.advance(SHOP_WATCH_S * 3)  # nothing changed on disk: no new link, no keyring read
    qtbot.waitUntil(lambda: w.runner.pending == 0)
    assert len(streams) == reads
    # `pos-app shop leave`
    joined[0], files[0] = None, 3
    scheduler.advance(SHOP_WATCH_S)
    qtbot.waitUntil(lambda: w.runner.pending == 0 and w.shop_link is None)
    assert streams[0].stopped and senders[0][-1].is_set()
    assert not w.shop_label.isVisible() and not w.till.hints_live
    assert SHOP_WATCH_S <= 5.0  # "within a few seconds of joining"
