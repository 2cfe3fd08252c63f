"""Whole sales through the real window against respx-mocked ClickPesa (issue #2's proof).

Time is a ManualScheduler that the test moves; network work runs on the real QThreadPool.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import httpx
import pytest
import respx
from PySide6.QtCore import Qt

from pos_app.clickpesa.gateway import Gateway
from pos_app.domain.attempt import AttemptState
from pos_app.domain.polling import PollPlan
from pos_app.settings import Settings
from pos_app.till.charge import Phase
from pos_app.ui.main_window import MainWindow
from pos_app.ui.tasks import QtRunner

FIRST_CHECK_S = PollPlan().first_check_s  # the till's first status check after a push

BASE = "https://api.clickpesa.com"
TOKEN = "Bearer eyJfake.token.one"
TOKEN2 = "Bearer eyJfake.token.two"


def status_rows(ref: str, status: str, message: str = "", amount: object = 5000,
                payer: str = "255712345671") -> list:
    return [{"id": "CP123", "status": status, "paymentReference": "PR1",
             "paymentPhoneNumber": payer, "orderReference": ref,
             "collectedAmount": amount, "collectedCurrency": "TZS", "message": message,
             "updatedAt": "2026-11-27T10:00:05Z", "createdAt": "2026-11-27T10:00:00Z",
             "customer": {"customerName": "JUMA", "customerPhoneNumber": "255712345671"},
             "clientId": "C1"}]


class Api:
    """A small scripted ClickPesa: routes on a respx router, replies set per test."""

    def __init__(self, router: respx.Router) -> None:
        self.router = router
        self.tokens = [TOKEN, TOKEN2]
        self.token = router.post("/third-parties/generate-token").mock(
            side_effect=lambda req: httpx.Response(
                200, json={"success": True, "token": self.tokens.pop(0)}))
        self.push = router.post("/third-parties/payments/initiate-ussd-push-request")
        self.push.mock(side_effect=self._accept)
        self.status = router.route(method="GET", path__regex=r"/third-parties/payments/\w+$")
        self.statuses: list[object] = []
        self.amounts: dict[str, int] = {}  # what was pushed: a paid row says that amount
        self.status.mock(side_effect=self._status)

    def _accept(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.amounts[body["orderReference"]] = int(body["amount"])
        return httpx.Response(200, json={
            "id": "CP123", "status": "PROCESSING", "channel": "TIGO-PESA",
            "orderReference": body["orderReference"], "collectedAmount": body["amount"],
            "collectedCurrency": "TZS", "createdAt": "2026-11-27T10:00:00Z", "clientId": "C1"})

    def _status(self, request: httpx.Request) -> httpx.Response:
        ref = request.url.path.rsplit("/", 1)[-1]
        item = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        if isinstance(item, httpx.Response):
            return item
        if len(item) == 2:  # type: ignore[arg-type]
            item = (*item, self.amounts.get(ref, 5000))  # type: ignore[misc]
        return httpx.Response(200, json=status_rows(ref, *item))  # type: ignore[misc]

    def pushed_ref(self) -> str:
        return json.loads(self.push.calls.last.request.content)["orderReference"]


@pytest.fixture
def api():
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield Api(router)


@pytest.fixture
def make_window(qtbot, scheduler, journal, creds):
    runners: list[QtRunner] = []
    windows: list[MainWindow] = []

    def make(credentials=lambda: creds, settings: Settings | None = None,
             problems: tuple[str, ...] = ()) -> MainWindow:
        runner = QtRunner()
        gateway = Gateway(BASE, credentials, clock=scheduler.now)
        w = MainWindow(gateway=gateway, journal=journal, settings=settings or Settings(),
                       training=False, runner=runner, scheduler=scheduler, problems=problems)
        qtbot.addWidget(w)
        with qtbot.waitActive(w):
            w.show()
            w.activateWindow()
        qtbot.waitUntil(lambda: not w.till.starting)  # the journal read at start-up is back
        runners.append(runner)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.till.shutdown()
    for r in runners:
        r.wait()


def type_sale(qtbot, w: MainWindow, phone: str = "0712 345 671", amount: str = "5000") -> None:
    qtbot.keyClicks(w.phone_edit, phone)
    qtbot.keyClick(w.phone_edit, Qt.Key.Key_Tab)
    assert w.amount_edit.hasFocus()
    qtbot.keyClicks(w.amount_edit, amount)


def press_enter(qtbot, w: MainWindow) -> None:
    qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_Return)


def settle(qtbot, w: MainWindow) -> None:
    """Wait (without sleeping) until no job of the window is outstanding."""
    qtbot.waitUntil(lambda: w.runner.pending == 0, timeout=5000)  # type: ignore[attr-defined]


def advance(qtbot, w: MainWindow, scheduler, seconds: float, step: float = 1.0) -> None:
    t = 0.0
    while t < seconds:
        scheduler.advance(step)
        t += step
        settle(qtbot, w)


def sell_paid(qtbot, w: MainWindow, scheduler, amount: str = "5000") -> None:
    """Type a sale, press Enter and run the clock past the first check; ClickPesa (mocked)
    answers SUCCESS."""
    type_sale(qtbot, w, amount=amount)
    press_enter(qtbot, w)
    advance(qtbot, w, scheduler, FIRST_CHECK_S + 1)
    assert w.till.view.phase is Phase.PAID


def test_whole_sale_paid(qtbot, api, make_window, scheduler, journal):
    api.statuses = [("PROCESSING",), ("PROCESSING",), ("SUCCESS", "Payment received")]
    w = make_window()
    assert w.phone_edit.hasFocus()
    type_sale(qtbot, w)
    assert "255712345671" in w.phone_hint.text() and "Mixx by Yas" in w.phone_hint.text()
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert w.till.view.phase is Phase.WAITING
    assert "enter their PIN" in w.title.text()
    assert "+255 712 345 671" in w.detail.text() and "Mixx by Yas" in w.detail.text()
    assert "left" in w.countdown.text()

    assert api.token.call_count == 1
    assert api.push.call_count == 1
    req = api.push.calls.last.request
    assert req.headers["Authorization"] == TOKEN  # as returned: no second "Bearer"
    body = json.loads(req.content)
    ref = body["orderReference"]
    assert body == {"amount": "5000", "currency": "TZS", "orderReference": ref,
                    "phoneNumber": "255712345671"}
    assert ref.isalnum() and len(ref) <= 20
    assert journal.get(ref).state.value == "PENDING"

    advance(qtbot, w, scheduler, 20)
    assert w.till.view.phase is Phase.PAID
    assert w.title.text() == "Paid"
    assert "5,000" in w.detail.text() and "CP123" in w.detail.text()
    assert api.status.call_count == 3
    assert api.token.call_count == 1 and api.push.call_count == 1
    assert journal.get(ref).state.value == "PAID"
    assert w.next_sale_button.hasFocus()
    press_enter(qtbot, w)
    assert w.till.view.phase is Phase.IDLE and w.phone_edit.hasFocus()
    assert w.phone_edit.text() == ""


def test_failed_shows_reason_and_advice(qtbot, api, make_window, scheduler, journal):
    api.statuses = [("FAILED", "Insufficient balance")]
    w = make_window()
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    advance(qtbot, w, scheduler, 10)
    assert w.till.view.phase is Phase.FAILED
    assert w.title.text() == "Failed"
    assert "Insufficient balance" in w.detail.text()
    assert "balance is too low" in w.guidance.text()
    assert journal.get(api.pushed_ref()).state.value == "FAILED"
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Escape)
    assert w.till.view.phase is Phase.IDLE


def test_no_answer_then_stop_waiting_keeps_it_unresolved(qtbot, api, make_window, scheduler,
                                                         journal):
    api.statuses = [("PROCESSING",)]
    w = make_window(settings=Settings(patience_s=60))
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    advance(qtbot, w, scheduler, 61)
    assert w.till.view.phase is Phase.NO_ANSWER
    assert w.title.text() == "No answer yet"
    assert w.check_again_button.isVisible() and w.stop_waiting_button.isVisible()
    calls = api.status.call_count
    assert w.focusWidget() is w.check_again_button
    press_enter(qtbot, w)  # the keyboard alone: Enter on the focused button
    settle(qtbot, w)
    assert api.status.call_count == calls + 1
    assert w.till.view.phase is Phase.NO_ANSWER
    qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Tab)
    assert w.focusWidget() is w.stop_waiting_button
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert w.till.view.phase is Phase.IDLE
    ref = api.pushed_ref()
    assert journal.get(ref).state.value == "PENDING"  # not failed: still unresolved
    assert journal.get(ref).state.report_status == "UNRESOLVED"
    # Later, the background re-check finds it paid.
    api.statuses = [("SUCCESS", "Payment received")]
    advance(qtbot, w, scheduler, 130, step=5)
    assert journal.get(ref).state.value == "PAID"
    assert "is now Paid" in w.notice.text()


def test_token_expiry_mid_shift_refetches_once(qtbot, api, make_window, scheduler):
    api.statuses = [("SUCCESS", "Payment received")]
    w = make_window()
    sell_paid(qtbot, w, scheduler)
    press_enter(qtbot, w)
    # ClickPesa invalidates the token early (checksum setting switched): next push gets 401.
    first = {"n": 0}

    def push(request: httpx.Request) -> httpx.Response:
        first["n"] += 1
        if request.headers["Authorization"] == TOKEN:
            return httpx.Response(401, json={"message": "Unauthorized"})
        return api._accept(request)

    api.push.mock(side_effect=push)
    type_sale(qtbot, w, amount="7000")
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert api.token.call_count == 2
    assert first["n"] == 2  # the refused push (nothing created) and its one repeat
    assert api.push.calls.last.request.headers["Authorization"] == TOKEN2
    advance(qtbot, w, scheduler, FIRST_CHECK_S + 1)
    assert w.till.view.phase is Phase.PAID


def test_token_reused_within_the_hour_and_renewed_after(qtbot, api, make_window, scheduler):
    api.statuses = [("SUCCESS", "Payment received")]
    w = make_window()
    for i in range(3):
        # a new amount each time: the same number and amount again would be guarded
        sell_paid(qtbot, w, scheduler, amount=str(5000 + i))
        press_enter(qtbot, w)
        scheduler.advance(600)
    assert api.token.call_count == 1
    scheduler.advance(3600)
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert api.token.call_count == 2


@pytest.mark.parametrize("created", [False, True], ids=["never-created-404", "was-created"])
def test_push_timeout_reconciles(qtbot, api, make_window, scheduler, journal, created):
    api.push.mock(side_effect=httpx.ReadTimeout("read timed out"))
    if created:
        api.statuses = [("PROCESSING",), ("SUCCESS", "Payment received")]
    else:
        api.statuses = [httpx.Response(404, json={"message": "Invalid or missing payment"})]
    w = make_window()
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert w.till.view.phase is Phase.CONFIRMING
    assert "Checking whether the prompt reached the customer" in w.title.text()
    assert not w.retry_button.isVisible()  # no "Try again" while it may still arrive
    ref = api.pushed_ref()
    assert journal.get(ref).state.value == "UNCERTAIN"
    advance(qtbot, w, scheduler, 12)
    if not created:
        # 404s prove nothing until the push cannot still be on its way (90 s here).
        assert w.till.view.phase is Phase.CONFIRMING
        advance(qtbot, w, scheduler, 85)
    assert api.push.call_count == 1  # never resent
    if created:
        assert w.till.view.phase is Phase.PAID
        assert journal.get(ref).state.value == "PAID"
    else:
        assert w.till.view.phase is Phase.NOT_SENT
        assert w.title.text() == "Not sent — nothing was charged"
        assert "Payment request failed:" in w.detail.text()
        assert "never received" in w.guidance.text()
        assert journal.get(ref).state.value == "NOT_SENT"
        # The cashier may retry: a NEW attempt with a NEW reference.
        api.push.mock(side_effect=api._accept)
        qtbot.mouseClick(w.retry_button, Qt.MouseButton.LeftButton)
        assert w.amount_edit.hasFocus()
        press_enter(qtbot, w)
        settle(qtbot, w)
        assert api.push.call_count == 2
        assert api.pushed_ref() != ref


def test_double_enter_sends_one_push(qtbot, api, make_window, scheduler):
    api.statuses = [("PROCESSING",)]
    w = make_window()
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    qtbot.keyClick(w.amount_edit, Qt.Key.Key_Return)
    qtbot.mouseClick(w.charge_button, Qt.MouseButton.LeftButton)
    w.request_charge()
    settle(qtbot, w)
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert api.push.call_count == 1


@pytest.mark.parametrize("phone,amount,phone_msg,amount_msg", [
    ("0732 123 456", "5000", "TTCL numbers have no mobile wallet", ""),
    ("12345", "5000", "not a Tanzanian mobile number", ""),
    ("0712 345 671", "0", "", "more than zero"),
    ("0712 345 671", "-500", "", "more than zero"),
    ("0712 345 671", "5000.50", "", "Whole shillings only"),
    ("0712 345 671", "abc", "", "as a number"),
    ("0712 345 671", "99999999", "", "largest amount is TZS 5,000,000"),
    ("0712 345 671", "50", "", "smallest amount is TZS 100"),
])
def test_invalid_input_is_flagged_and_never_charged(qtbot, api, make_window, phone, amount,
                                                    phone_msg, amount_msg):
    w = make_window()
    type_sale(qtbot, w, phone=phone, amount=amount)
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert w.till.view.phase is Phase.IDLE
    assert api.token.call_count == 0 and api.push.call_count == 0
    if phone_msg:
        assert phone_msg in w.phone_hint.text()
    if amount_msg:
        assert amount_msg in w.amount_hint.text()


def test_no_keyring_says_so_and_sends_nothing(qtbot, api, make_window, no_keyring, journal):
    from pos_app.app import stored_credentials

    w = make_window(credentials=stored_credentials)
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert w.till.view.phase is Phase.NOT_SENT
    assert w.detail.text().startswith("Authentication failed: No secure keyring")
    assert "keyring" in w.guidance.text()
    assert api.token.call_count == 0 and api.push.call_count == 0
    assert journal.recent() == []


def test_wrong_api_key_is_explained(qtbot, api, make_window):
    api.token.mock(return_value=httpx.Response(403, json={"message":
                                                          "Invalid or Expired API-Key"}))
    w = make_window()
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert w.detail.text() == "Authentication failed: Invalid or Expired API-Key"
    assert "Check the API key in Settings" in w.guidance.text()
    assert api.push.call_count == 0


def test_unregistered_number_is_explained(qtbot, api, make_window, journal):
    api.push.mock(return_value=httpx.Response(
        400, json={"message": "Invalid / unsupported phone number"}))
    w = make_window()
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert w.detail.text() == "Payment request failed: Invalid / unsupported phone number"
    assert "not registered for mobile money" in w.guidance.text()
    assert journal.get(api.pushed_ref()).state.report_status == "FAILED"


def test_offline_says_nothing_was_charged(qtbot, api, make_window):
    api.token.mock(side_effect=httpx.ConnectError("no route"))
    w = make_window()
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    settle(qtbot, w)
    assert w.detail.text() == "Payment request failed: No connection to ClickPesa."
    assert "No internet connection — nothing was charged" in w.guidance.text()


def test_closing_mid_call_keeps_the_attempt(qtbot, api, make_window, journal):
    api.statuses = [("PROCESSING",)]
    w = make_window()
    type_sale(qtbot, w)
    press_enter(qtbot, w)
    w.close()
    settle(qtbot, w)
    ref = api.pushed_ref()
    assert journal.get(ref).state.value == "PENDING"
    assert [r.order_reference for r in journal.unresolved()] == [ref]


def test_start_rechecks_what_an_earlier_run_left_unresolved(qtbot, api, make_window, scheduler,
                                                             journal):
    # An earlier run was killed ten minutes ago: one attempt journalled but maybe never
    # pushed, one pushed and left waiting.
    journal._now = lambda: datetime.now().astimezone() - timedelta(minutes=10)
    journal.record_new("MOLDNEVERSENT0000001", phone="255712345671", amount_tzs=1000)
    journal.record_new("MOLDPENDING000000002", phone="255754123450", amount_tzs=2000)
    journal.transition("MOLDPENDING000000002", AttemptState.PENDING)

    def status(request: httpx.Request) -> httpx.Response:
        ref = request.url.path.rsplit("/", 1)[-1]
        if ref == "MOLDNEVERSENT0000001":
            return httpx.Response(404, json={"message": f"Invalid or missing payment: {ref}"})
        return httpx.Response(200, json=status_rows(ref, "SUCCESS", "Payment received", 2000,
                                                    payer="255754123450"))

    api.status.mock(side_effect=status)
    w = make_window()
    advance(qtbot, w, scheduler, 10)
    assert journal.get("MOLDNEVERSENT0000001").state is AttemptState.NOT_SENT
    assert journal.get("MOLDPENDING000000002").state is AttemptState.PAID
    assert journal.unresolved() == []
    assert "MOLDPENDING000000002" in w.notice.text() and "is now Paid" in w.notice.text()
    assert not w.unresolved_label.isVisible()
    assert api.push.call_count == 0  # recovery never pushes


def test_unresolved_count_is_shown(qtbot, api, make_window, scheduler, journal):
    journal._now = lambda: datetime.now().astimezone() - timedelta(minutes=10)
    journal.record_new("MOLDPENDING000000003", phone="255754123450", amount_tzs=2000)
    journal.transition("MOLDPENDING000000003", AttemptState.PENDING)
    api.statuses = [("PROCESSING",)]
    w = make_window()
    advance(qtbot, w, scheduler, 10)
    assert w.unresolved_label.isVisible()
    assert w.unresolved_label.text().startswith("1 earlier payment")


def test_kiswahili_catalogue_translates_the_gateways_own_words(qtbot, api, make_window, qapp,
                                                                journal):
    from PySide6.QtCore import QTranslator

    from pos_app.app import resource_path

    translator = QTranslator()
    assert translator.load(resource_path("translations", "pos_app_sw.qm"))
    qapp.installTranslator(translator)
    try:
        api.push.mock(side_effect=httpx.ReadTimeout("read timed out"))
        api.statuses = [("PROCESSING",)]
        w = make_window()
        type_sale(qtbot, w)
        press_enter(qtbot, w)
        settle(qtbot, w)
        assert w.till.view.phase is Phase.CONFIRMING
        assert "ClickPesa haikujibu kwa wakati." in w.detail.text()
        # The journal keeps the till's own English: exports and audits stay in one language.
        assert journal.get(api.pushed_ref()).message == "ClickPesa did not answer in time."
    finally:
        qapp.removeTranslator(translator)


def test_settings_problems_are_shown_in_the_cashiers_language(qtbot, make_window, qapp):
    from PySide6.QtCore import QTranslator

    from pos_app.app import resource_path
    from pos_app.settings import parse_settings

    _, problems = parse_settings("[till]\nlanguage = fr\n")
    assert problems == ["Setting 'language' = 'fr' is not one of en, sw; using en."]
    translator = QTranslator()
    assert translator.load(resource_path("translations", "pos_app_sw.qm"))
    qapp.installTranslator(translator)
    try:
        w = make_window(problems=tuple(problems))
        assert w.notice.isVisible() and w.notice.text()
        assert w.notice.text() == ("Mpangilio 'language' = 'fr' si mojawapo ya en, sw; "
                                   "inatumia en.")
    finally:
        qapp.removeTranslator(translator)


def test_export_from_the_menu_writes_the_same_csv_as_the_cli(qtbot, api, make_window, scheduler,
                                                            tmp_path):
    api.statuses = [("SUCCESS", "Payment received")]
    w = make_window()
    sell_paid(qtbot, w, scheduler)
    out = tmp_path / "shop.csv"
    w.export_to(out)
    settle(qtbot, w)
    lines = out.read_text().splitlines()
    assert lines[0] == ("created_at,order_reference,phone,amount_tzs,status,channel,"
                        "clickpesa_id,message,mode")
    assert len(lines) == 2 and f",{api.pushed_ref()},255712345671,5000,PAID," in lines[1]
    assert lines[1].endswith(",live")
    assert "Exported 1 attempt(s)" in w.notice.text()
    w.export_to(tmp_path / "no-such-dir" / "x.csv")
    settle(qtbot, w)
    assert w.notice.text().startswith("The export failed:")
