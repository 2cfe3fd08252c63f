"""The till's window: phone, amount, Enter — and a large, plain answer.

The window is built in two steps so that it is on screen as early as possible. The
constructor builds every widget with nothing but Qt and the wording; `attach()` then opens the
till (its core, the journal, the gateway) — at once when the caller passes them in (tests),
or, when the app starts, just after the window's first paint (`call_after_first_paint`).
Nothing the cashier types is lost in between: the fields work from the first frame and are
checked the moment the till is attached; Enter before that does nothing.

So this module must not import the till core at module level (`tests/test_startup.py`
checks), nor touch PySide's `Qt` namespace before the first paint (creating its enums costs
~15 ms).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import Amount, AmountError, format_tzs, parse_amount
from pos_app.settings import LANGUAGES, Settings, save_settings
from pos_app.ui import wording
from pos_app.ui.history import RecentAttempts
from pos_app.ui.widgets import ElidedLabel

if TYPE_CHECKING:
    from datetime import datetime

    from PySide6.QtGui import QCloseEvent, QKeyEvent, QPaintEvent, QResizeEvent

    from pos_app.clickpesa.auth import CredentialSource
    from pos_app.domain.attempt import AttemptRecord
    from pos_app.domain.phone import Phone
    from pos_app.journal import Journal
    from pos_app.till.charge import ChargeView, Till
    from pos_app.till.follow import CheckOutcome
    from pos_app.till.ports import PaymentGateway, Runner, Scheduler
    from pos_app.till.recheck import RoundReport
    from pos_app.ui.shop_link import ShopLink

    # Builds a gateway for the given settings; with a credential source when testing values
    # the cashier typed but has not saved yet.
    GatewayFactory = Callable[[Settings, CredentialSource | None], PaymentGateway]

log = logging.getLogger(__name__)


def _display_phone(digits: str) -> str:
    from pos_app.domain.phone import Phone

    try:
        return Phone(digits).display()
    except ValueError:  # an old journal row in another form: show it as it is
        return digits

# By Phase name, so that the till core need not be imported to build the window.
_PANEL_STYLE = {
    "IDLE": "background:#f4f4f4; border:1px solid #ccc;",
    "GUARD": "background:#fff0d6; border:3px solid #e37400;",
    "SENDING": "background:#eef4ff; border:2px solid #5b8def;",
    "CONFIRMING": "background:#fff6e0; border:2px solid #d9a400;",
    "WAITING": "background:#eef4ff; border:2px solid #5b8def;",
    "NO_ANSWER": "background:#fff6e0; border:2px solid #d9a400;",
    "PAID": "background:#e3f6e5; border:3px solid #1e8e3e;",
    "FAILED": "background:#fde8e8; border:3px solid #c5221f;",
    "NOT_SENT": "background:#fde8e8; border:3px solid #c5221f;",
    "ATTENTION": "background:#fff0d6; border:3px solid #e37400;",
}

HISTORY_ROWS = 8  # recent attempts shown under the panel
SHOP_WATCH_S = 5.0  # how soon a `pos-app shop join` / `leave` reaches an open till

# The focused button and field are plain to see from a step back: a thick blue frame.
_FOCUS_STYLE = """
QPushButton { padding: 4px 12px; border: 1px solid #8a8a8a; border-radius: 4px;
              background: #fafafa; color: #000; }
QPushButton:hover { background: #f0f4fb; }
QPushButton:pressed { background: #dde6f5; }
QPushButton:disabled { color: #9a9a9a; background: #f0f0f0; border-color: #c8c8c8; }
QPushButton:focus { border: 3px solid #1a56db; background: #e8f0fe; }
QLineEdit { padding: 2px 4px; border: 1px solid #8a8a8a; border-radius: 3px; }
QLineEdit:focus { border: 3px solid #1a56db; }
QLineEdit:disabled { color: #707070; background: #f0f0f0; }
"""

# Sizes (issue 9): the state word and the amount are the largest things on screen, at least
# 28 pt and 22 pt on a 1366×768 screen at 100 %; a bigger window scales every font of the panel.
STATE_PT = 28.0
AMOUNT_PT = 24.0
HEADLINE_PT = 16.0
INPUT_PT = 16.0
DETAIL_PT = 14.0
GUIDANCE_PT = 12.0
BASE_WIDTH, BASE_HEIGHT = 1366, 700  # the window maximised on a 1366×768 screen: factor 1
# 1024×768 at 150 % is 683×512 logical pixels, less the taskbar: the window fits in that.
MIN_WIDTH, MIN_HEIGHT = 640, 460

# The icon beside the state word (never colour alone), by Phase name: QStyle's standard
# pixmaps, so every platform draws its own familiar one.
_STATE_ICON = {
    "IDLE": "SP_ArrowRight",
    "SENDING": "SP_BrowserReload",
    "WAITING": "SP_BrowserReload",
    "CONFIRMING": "SP_BrowserReload",
    "NO_ANSWER": "SP_MessageBoxQuestion",
    "GUARD": "SP_MessageBoxWarning",
    "ATTENTION": "SP_MessageBoxWarning",
    "PAID": "SP_DialogApplyButton",
    "FAILED": "SP_MessageBoxCritical",
    "NOT_SENT": "SP_MessageBoxCritical",
}

# If the window is never painted (started minimised, say), the till is attached anyway.
ATTACH_FALLBACK_MS = 300


class MainWindow(QMainWindow):
    view_changed = Signal(object)  # ChargeView, after the window has rendered it
    ready = Signal()  # the till is attached: charges can be taken

    # Set by attach(); the window takes charges only from then on.
    till: Till
    journal: Journal
    runner: Runner
    scheduler: Scheduler

    def __init__(
        self,
        *,
        settings: Settings,
        training: bool,
        gateway: PaymentGateway | None = None,
        journal: Journal | None = None,
        settings_path: Path | None = None,
        gateway_factory: GatewayFactory | None = None,
        runner: Runner | None = None,
        scheduler: Scheduler | None = None,
        wall_clock: Callable[[], datetime] | None = None,
        problems: Sequence[str] = (),
        recheck_on_start: bool = True,
        credentials_check: Callable[[], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.training = training
        self.settings_path = settings_path
        self.gateway_factory = gateway_factory
        # Live mode: returns why no credentials can be used (None: they can); run on a worker.
        self.credentials_check = credentials_check
        self._credentials_problem: str | None = None
        self._given_runner, self._given_scheduler = runner, scheduler
        self._wall_clock = wall_clock
        self._phone: Phone | None = None
        self._amount: Amount | None = None
        self._last_inputs: tuple[str, str] = ("", "")
        self._shown_phase: str | None = None
        self._attached = False
        self._after_paint: Callable[[], None] | None = None
        self._history_reads = 0  # the latest read asked for; older answers are dropped
        self._size_factor = 0.0
        self._icon_for: str | None = None
        self._build(problems)
        if gateway is not None and journal is not None:
            self.attach(gateway, journal, recheck_on_start=recheck_on_start)

    @property
    def is_ready(self) -> bool:
        """Whether the till is attached (see the module's docstring)."""
        return self._attached

    def attach(self, gateway: PaymentGateway, journal: Journal, *,
               recheck_on_start: bool = True) -> None:
        """Open the till in this window: from now on Enter charges."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence

        from pos_app.till.charge import Till
        from pos_app.ui.tasks import QtRunner, QtScheduler

        if self._attached:
            raise RuntimeError("the till is already attached to this window")
        self.runner = self._given_runner or QtRunner()
        self.scheduler = self._given_scheduler or QtScheduler(self)
        self.journal = journal
        self.till = Till(gateway, journal, self.runner, self.scheduler,
                         patience_s=self.settings.patience_s, till_name=self.settings.till_name,
                         on_view=self._render, on_background=self._on_background,
                         **({"wall_clock": self._wall_clock} if self._wall_clock else {}))
        self._attached = True
        # Details that need Qt's namespace enums, which the first frame does without (a
        # QKeySequence from a StandardKey creates them too).
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Ctrl+, everywhere: QKeySequence.Preferences is empty on Linux and Windows (on macOS
        # Qt's "Ctrl" is ⌘, so this is ⌘, there).
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.charge_button.clicked.connect(self.request_charge)
        self.check_earlier_button.clicked.connect(self.till.guard_enter)
        self.charge_anyway_button.clicked.connect(self._charge_anyway)
        self.guard_back_button.clicked.connect(self._guard_back)
        self.open_settings_button.clicked.connect(self.open_settings)
        self.check_selected_button.clicked.connect(self._check_selected)
        self.unresolved_list.itemActivated.connect(lambda _item: self._check_selected())
        self.check_again_button.clicked.connect(self.till.check_again)
        self.stop_waiting_button.clicked.connect(self._stop_waiting)
        self.retry_button.clicked.connect(self._try_again)
        self.next_sale_button.clicked.connect(self.next_sale)
        self.settings_action.triggered.connect(self.open_settings)
        self.recheck_action.triggered.connect(self.recheck_now)
        self.export_action.triggered.connect(self.choose_export_file)
        self.phone_edit.textChanged.connect(self._phone_changed)
        self.amount_edit.textChanged.connect(self._amount_changed)
        self.phone_edit.returnPressed.connect(self._phone_enter)
        self.amount_edit.returnPressed.connect(self.request_charge)
        self.amount_edit.editingFinished.connect(self._format_amount)
        # Whatever the cashier typed before the till was attached is checked now.
        self._phone_changed(self.phone_edit.text())
        self._amount_changed(self.amount_edit.text())
        self._render(self.till.view)
        # Reads the journal on a worker: brings back a sale interrupted by a restart, and
        # then (unless told not to) re-checks every open attempt in the background.
        self.till.start(recheck=recheck_on_start)
        self._check_credentials()
        self.ready.emit()

    def call_after_first_paint(self, fn: Callable[[], None], *,
                               fallback_ms: int = ATTACH_FALLBACK_MS) -> None:
        """Run `fn` once, on the GUI thread, right after the window's first paint — or after
        `fallback_ms` if it has not been painted by then."""
        self._after_paint = fn
        QTimer.singleShot(fallback_ms, self._run_after_paint)

    def _run_after_paint(self) -> None:
        fn, self._after_paint = self._after_paint, None
        if fn is not None:
            fn()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        super().paintEvent(event)
        if self._after_paint is not None:
            # Queued: it runs once this paint pass is over and the frame is on screen.
            QTimer.singleShot(0, self._run_after_paint)

    # -- building ------------------------------------------------------------------------

    def _build(self, problems: Sequence[str]) -> None:
        # Small enough for 1024×768 at 150 % scaling (683×512 logical pixels, less a taskbar);
        # the recent list scrolls when the window is that small.
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)
        central = QWidget(self)
        central.setObjectName("centralWidget")
        central.setStyleSheet(_FOCUS_STYLE)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(4)

        self.banner = QLabel(central)
        self.banner.setObjectName("trainingBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#ffd400; color:#000; font-weight:bold;"
                                  " padding:4px; border:2px solid #000;")
        self.banner.setVisible(self.training)
        outer.addWidget(self.banner)

        # Phone and amount side by side: one row of the screen, the hint beside each label.
        inputs = QGridLayout()
        inputs.setHorizontalSpacing(8)
        inputs.setVerticalSpacing(0)
        self.phone_label = QLabel(central)
        self.phone_hint = QLabel(central)
        self.phone_hint.setObjectName("phoneHint")
        self.phone_edit = QLineEdit(central)
        self.phone_edit.setObjectName("phoneEdit")
        self.amount_label = QLabel(central)
        self.amount_hint = QLabel(central)
        self.amount_hint.setObjectName("amountHint")
        self.amount_edit = QLineEdit(central)
        self.amount_edit.setObjectName("amountEdit")
        self.phone_label.setBuddy(self.phone_edit)
        self.amount_label.setBuddy(self.amount_edit)
        self.charge_button = QPushButton(central)
        self.charge_button.setObjectName("chargeButton")
        for col, (label, hint, edit) in enumerate(((self.phone_label, self.phone_hint,
                                                    self.phone_edit),
                                                   (self.amount_label, self.amount_hint,
                                                    self.amount_edit))):
            head = QHBoxLayout()
            head.setSpacing(12)
            head.addWidget(label)
            head.addWidget(hint, 1)
            inputs.addLayout(head, 0, col)
            inputs.addWidget(edit, 1, col)
            inputs.setColumnStretch(col, 3 if col == 0 else 2)
        inputs.addWidget(self.charge_button, 1, 2)
        outer.addLayout(inputs)

        # Live mode without credentials: said at once, with the way out.
        self.credentials_box = QFrame(central)
        self.credentials_box.setObjectName("credentialsBox")
        creds_row = QHBoxLayout(self.credentials_box)
        creds_row.setContentsMargins(0, 0, 0, 0)
        self.credentials_notice = QLabel(self.credentials_box)
        self.credentials_notice.setObjectName("credentialsNotice")
        self.credentials_notice.setWordWrap(True)
        self.credentials_notice.setStyleSheet("color:#c5221f; font-weight:bold;")
        self.open_settings_button = QPushButton(self.credentials_box)
        self.open_settings_button.setObjectName("openSettingsButton")
        creds_row.addWidget(self.credentials_notice, 1)
        creds_row.addWidget(self.open_settings_button)
        self.credentials_box.setVisible(False)
        outer.addWidget(self.credentials_box)

        # The panel: one state at a time. Its icon and word, and the amount, are the largest
        # things on screen; then what to do, the detail, what Enter and Esc do, the countdown.
        self.panel = QFrame(central)
        self.panel.setObjectName("outcomePanel")
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(10, 6, 10, 6)
        panel_layout.setSpacing(4)
        state_row = QHBoxLayout()
        self.state_icon = QLabel(self.panel)
        self.state_icon.setObjectName("stateIcon")
        self.state_word = QLabel(self.panel)
        self.state_word.setObjectName("stateWord")
        self.state_word.setWordWrap(True)
        self.amount_shown = QLabel(self.panel)
        self.amount_shown.setObjectName("amountShown")
        state_row.addWidget(self.state_icon)
        state_row.addWidget(self.state_word, 1)
        state_row.addWidget(self.amount_shown)
        self.title = QLabel(self.panel)  # the headline: what is happening, in a sentence
        self.title.setObjectName("outcomeTitle")
        self.title.setWordWrap(True)
        self.detail = QLabel(self.panel)
        self.detail.setObjectName("outcomeDetail")
        self.detail.setWordWrap(True)
        self.guidance = QLabel(self.panel)
        self.guidance.setObjectName("outcomeGuidance")
        self.guidance.setWordWrap(True)
        self.countdown = QProgressBar(self.panel)
        self.countdown.setObjectName("countdownBar")
        self.countdown.setTextVisible(True)
        buttons = QHBoxLayout()
        self.check_again_button = QPushButton(self.panel)
        self.check_again_button.setObjectName("checkAgainButton")
        self.stop_waiting_button = QPushButton(self.panel)
        self.stop_waiting_button.setObjectName("stopWaitingButton")
        self.retry_button = QPushButton(self.panel)
        self.retry_button.setObjectName("retryButton")
        self.next_sale_button = QPushButton(self.panel)
        self.next_sale_button.setObjectName("nextSaleButton")
        # GUARD: an earlier attempt for this number; "Check it now" is the default, "Charge
        # anyway" a separate, deliberate act (never the default, never focused by itself).
        self.check_earlier_button = QPushButton(self.panel)
        self.check_earlier_button.setObjectName("checkEarlierButton")
        self.charge_anyway_button = QPushButton(self.panel)
        self.charge_anyway_button.setObjectName("chargeAnywayButton")
        self.guard_back_button = QPushButton(self.panel)
        self.guard_back_button.setObjectName("guardBackButton")
        self._panel_buttons = (self.check_again_button, self.stop_waiting_button,
                               self.retry_button, self.next_sale_button,
                               self.check_earlier_button, self.charge_anyway_button,
                               self.guard_back_button)
        for b in self._panel_buttons:
            buttons.addWidget(b)
        panel_layout.addLayout(state_row)
        panel_layout.addWidget(self.title)
        panel_layout.addWidget(self.detail)
        panel_layout.addWidget(self.guidance)
        panel_layout.addStretch(1)
        panel_layout.addWidget(self.countdown)
        panel_layout.addLayout(buttons)
        outer.addWidget(self.panel, 3)

        # Below the panel, in a space of its own (the panel never moves when it fills): the
        # attempts not confirmed yet, then the recent ones; it scrolls when the window is small.
        lower = QWidget(central)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.setSpacing(2)
        self.unresolved_label = QLabel(lower)
        self.unresolved_label.setObjectName("unresolvedLabel")
        self.unresolved_label.setWordWrap(True)
        self.unresolved_label.setStyleSheet("color:#8a4b00; font-weight:bold;")
        lower_layout.addWidget(self.unresolved_label)
        unresolved_row = QHBoxLayout()
        self.unresolved_list = QListWidget(lower)
        self.unresolved_list.setObjectName("unresolvedList")
        self.unresolved_list.setMaximumHeight(self.fontMetrics().height() * 5)
        self.check_selected_button = QPushButton(lower)
        self.check_selected_button.setObjectName("checkSelectedButton")
        unresolved_row.addWidget(self.unresolved_list, 1)
        unresolved_row.addWidget(self.check_selected_button)
        lower_layout.addLayout(unresolved_row)
        self._unresolved_refs: list[str] = []
        self._unresolved_shown: list[AttemptRecord] = []
        for w in (self.unresolved_label, self.unresolved_list, self.check_selected_button):
            w.setVisible(False)
        self.history = RecentAttempts([""] * 5, HISTORY_ROWS, lower)
        self.history.setObjectName("historyTable")
        lower_layout.addWidget(self.history)
        lower_layout.addStretch(1)
        self.lower = QScrollArea(central)
        self.lower.setObjectName("lowerArea")
        self.lower.setWidgetResizable(True)
        self.lower.setFrameShape(QFrame.Shape.NoFrame)
        self.lower.setWidget(lower)
        self.lower.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        outer.addWidget(self.lower, 2)
        self.setCentralWidget(central)

        # The status bar: notices on the left (one line, the whole text as a tooltip: they
        # never move the layout), today's count and total on the right, always — a permanent
        # widget stays while menus show their hints.
        bar = self.statusBar()  # made now: made later, it would push the window's content up
        self.notice = ElidedLabel(bar)
        self.notice.setObjectName("noticeLabel")
        self.notice.setStyleSheet("color:#8a4b00; font-weight:bold;")
        bar.addWidget(self.notice, 1)
        self.day_total = QLabel(bar)
        self.day_total.setObjectName("dayTotal")
        bold = QFont(self.font())
        bold.setBold(True)
        self.day_total.setFont(bold)
        bar.addPermanentWidget(self.day_total)
        self._day_paid: tuple[int, int] | None = None
        # The shop server's link, when this till has joined one (pos_app/ui/shop_link.py).
        self.shop_label = QLabel(bar)
        self.shop_label.setObjectName("shopLabel")
        self.shop_label.setVisible(False)
        bar.addPermanentWidget(self.shop_label)
        self.shop_link: ShopLink | None = None
        self._shop_state: str | None = None  # "live", "down" or "refused"

        self.till_menu = self.menuBar().addMenu("")
        self.settings_action = QAction(self)
        self.settings_action.setObjectName("settingsAction")
        self.till_menu.addAction(self.settings_action)
        self.recheck_action = QAction(self)
        self.recheck_action.setObjectName("recheckAction")
        self.till_menu.addAction(self.recheck_action)
        self.export_action = QAction(self)
        self.export_action.setObjectName("exportAction")
        self.till_menu.addAction(self.export_action)
        self.language_menu = self.till_menu.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        self.language_actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            action = QAction(self)
            action.setObjectName(f"language_{code}")
            action.setCheckable(True)
            action.setChecked(code == self.settings.language)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        from pos_app.ui.close_day import install_close_day

        install_close_day(self, self.till_menu)  # History, shifts, day report, reconcile…
        self.till_menu.addSeparator()
        self.quit_action = QAction(self)
        self.quit_action.setObjectName("quitAction")
        self.quit_action.triggered.connect(self.request_quit)
        self.till_menu.addAction(self.quit_action)

        self._apply_sizes(1.0)
        self.retranslate_ui()
        self._set_notice("\n".join(wording.settings_problem(p) for p in problems))
        # Until the till is attached (a blink at start-up) the panel says so, and Enter and
        # the buttons that need the till are not connected yet.
        self.state_word.setText(self.tr("Opening the till…"))
        self.title.setText(self.state_word.text())
        self.panel.setStyleSheet(f"QFrame#outcomePanel {{{_PANEL_STYLE['IDLE']}}}")
        for b in self._panel_buttons:
            b.setVisible(False)
        for w in (self.countdown, self.guidance, self.title, self.detail, self.state_icon):
            w.setVisible(False)
        self.phone_edit.setFocus()

    def retranslate_ui(self) -> None:
        """Every fixed text of the window, in the language now installed: called when the
        window is built and again when the cashier switches language (no restart)."""
        self.setWindowTitle(self.tr("Malipo POS — training") if self.training
                            else self.tr("Malipo POS"))
        self.banner.setText(self.tr(
            "TRAINING MODE — no real money moves. Simulated customers by the last digit of "
            "the number: 0–4 pay, 5 pays slowly, 6 has too little balance, 7 cancels, "
            "8 never answers, 9 is not a wallet."))
        self.phone_label.setText(self.tr("&Phone"))
        self.amount_label.setText(self.tr("A&mount (TZS)"))
        self.phone_edit.setPlaceholderText(self.tr("0712 345 678"))
        self.phone_edit.setAccessibleName(self.tr("Customer phone number"))
        self.amount_edit.setPlaceholderText(self.tr("Amount in TZS"))
        self.amount_edit.setAccessibleName(self.tr("Amount in Tanzanian shillings"))
        self.charge_button.setText(self.tr("&Charge (Enter)"))
        self.open_settings_button.setText(self.tr("&Open Settings…"))
        self.check_again_button.setText(self.tr("Check a&gain (Enter)"))
        self.stop_waiting_button.setText(self.tr("&Stop waiting (Esc)"))
        self.retry_button.setText(self.tr("T&ry again"))
        self.next_sale_button.setText(self.tr("&Next sale (Enter)"))
        self.check_earlier_button.setText(self.tr("Check it no&w (Enter)"))
        self.charge_anyway_button.setText(self.tr("Charge &anyway"))
        self.guard_back_button.setText(self.tr("&Back (Esc)"))
        self.unresolved_list.setAccessibleName(self.tr("Payments not confirmed yet"))
        self.check_selected_button.setText(self.tr("C&heck selected"))
        self.countdown.setAccessibleName(self.tr("Time left for the PIN"))
        self.history.set_headers([self.tr("Time"), self.tr("Phone"), self.tr("Amount (TZS)"),
                                  self.tr("Status"), self.tr("Reference")])
        self.till_menu.setTitle(self.tr("&Till"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.recheck_action.setText(self.tr("&Re-check unresolved payments"))
        self.export_action.setText(self.tr("&Export journal to CSV…"))
        self.language_menu.setTitle(self.tr("&Language"))
        # Each language by its own name, whatever the language shown: a cashier who cannot
        # read the current one still finds theirs.
        self.language_actions["en"].setText("&English")
        self.language_actions["sw"].setText("&Kiswahili")
        self.quit_action.setText(self.tr("&Quit"))
        self._show_day_total()
        self._show_shop_state()

    # -- sizes and language ----------------------------------------------------------------

    def _apply_sizes(self, factor: float) -> None:
        """Fonts for a window `factor` times the size of a 1366×768 screen's (never smaller
        than there): maximised on a bigger screen, the panel's words grow with it."""
        self._size_factor = factor

        def font(points: float, bold: bool = False) -> QFont:
            f = QFont(self.font())
            f.setPointSizeF(points * factor)
            f.setBold(bold)
            return f

        self.state_word.setFont(font(STATE_PT, True))
        self.amount_shown.setFont(font(AMOUNT_PT, True))
        self.title.setFont(font(HEADLINE_PT, True))
        self.detail.setFont(font(DETAIL_PT))
        self.guidance.setFont(font(GUIDANCE_PT))
        for w in (self.phone_edit, self.amount_edit, self.charge_button):
            w.setFont(font(INPUT_PT))
        for b in self._panel_buttons:
            b.setFont(font(GUIDANCE_PT))
        self.countdown.setFont(font(GUIDANCE_PT))
        side = round(self.state_word.fontMetrics().height() * 1.1)
        self.state_icon.setFixedSize(side, side)
        self._icon_for = None  # redrawn at the new size on the next render

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        size = event.size()
        factor = max(1.0, min(size.width() / BASE_WIDTH, size.height() / BASE_HEIGHT))
        factor = round(factor * 4) / 4  # in steps: no refont on every pixel of a drag
        if factor != self._size_factor:
            self._apply_sizes(factor)
            if self._attached:
                self._render(self.till.view)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 — Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            if self._attached:
                self._phone_changed(self.phone_edit.text())
                self._amount_changed(self.amount_edit.text())
                self._render(self.till.view)
                self._on_background(None, self._unresolved_shown)
                self._refresh_history()
        super().changeEvent(event)

    # -- the shop server ------------------------------------------------------------------

    def link_shop(self, journal_path: Path, *, read: Callable[[], tuple[str, str] | None]
                  | None = None, watch: Callable[[], object] | None = None,
                  **link_kwargs: Any) -> None:
        """Live mode: if this till has joined a shop server, send it the outbox and follow its
        stream of ClickPesa's webhooks (hints). Read on a worker (the keyring may be slow),
        and again within a few seconds whenever `pos-app shop join` or `leave` changes the
        shop's files while the till is open."""
        from pos_app.ui.shop_link import read_joined, shop_files_signature

        read = read or read_joined
        watch = watch or shop_files_signature
        seen: list[object] = [object()]  # the files' signature when last read

        def job() -> tuple[object, tuple[str, str] | None, bool]:
            signature = watch()
            if signature == seen[0]:
                return signature, None, False
            return signature, read(), True

        def done(result: tuple[object, tuple[str, str] | None, bool]) -> None:
            signature, found, changed = result
            seen[0] = signature
            if changed and self._attached:
                self._relink(found, journal_path, link_kwargs)
            if self._attached and not self.till.closed:
                self.scheduler.call_later(SHOP_WATCH_S, ask)

        def failed(exc: BaseException) -> None:
            log.warning("shop server not linked: %s", type(exc).__name__)
            if self._attached and not self.till.closed:
                self.scheduler.call_later(SHOP_WATCH_S, ask)

        def ask() -> None:
            if self._attached and not self.till.closed:
                self.runner.submit(job, done, failed)

        ask()

    def _relink(self, found: tuple[str, str] | None, journal_path: Path,
                link_kwargs: dict[str, Any]) -> None:
        from pos_app.ui.shop_link import ShopLink

        if self.shop_link is not None:
            if found is not None and (found[0], found[1]) == (self.shop_link.url,
                                                              self.shop_link.secret):
                return  # the same shop: keep the link as it is
            self.shop_link.stop()  # left, revoked or joined elsewhere
            self.shop_link = None
            # A revoked till keeps saying so; one that left says nothing more.
            self._set_shop_state("refused" if self._shop_state == "refused" else None)
        if found is None:
            return
        url, secret = found
        self.shop_link = ShopLink(self, url, secret, journal_path, **link_kwargs)
        self.shop_link.live_changed.connect(
            lambda up: self._set_shop_state("live" if up else "down"))
        self.shop_link.refused.connect(lambda _status: self._set_shop_state("refused"))
        self._set_shop_state("down")
        self.shop_link.start()

    def _set_shop_state(self, state: str | None) -> None:
        self._shop_state = state
        self._show_shop_state()

    def _show_shop_state(self) -> None:
        state = self._shop_state
        self.shop_label.setVisible(state is not None)
        if state == "live":
            self.shop_label.setText(self.tr("Shop server: connected"))
        elif state == "refused":
            self.shop_label.setText(self.tr("Shop server: this till was refused (see pos-app "
                                            "shop status)"))
        elif state == "down":
            self.shop_label.setText(self.tr("Shop server: not connected — payments are "
                                            "checked as usual"))

    def set_language(self, language: str) -> None:
        """Till → Language: switch at once (the window retranslates itself) and save it."""
        from PySide6.QtWidgets import QApplication

        from pos_app.app import install_translator

        for code, action in self.language_actions.items():
            action.setChecked(code == language)
        if language == self.settings.language:
            return
        app = QApplication.instance()
        if app is None or not install_translator(app, language):
            self._set_notice(self.tr("That language is not available; the till stays as it "
                                     "is."))
            return
        settings = replace(self.settings, language=language)
        self.settings = settings
        path = self.settings_path
        if path is not None and self._attached:
            self.runner.submit(lambda: save_settings(settings, path), lambda _r: None,
                               lambda exc: self._set_notice(self.tr(
                                   "The language is changed but could not be saved: {error}")
                                   .format(error=exc)))

    # -- input ---------------------------------------------------------------------------

    def _hint(self, label: QLabel, text: str, ok: bool) -> None:
        label.setText(text)
        label.setProperty("valid", ok)
        label.setStyleSheet("color:#1e6e2e;" if ok else "color:#c5221f;")

    def _phone_changed(self, text: str) -> None:
        from pos_app.domain.phone import PhoneError, parse_phone

        result = parse_phone(text)
        if isinstance(result, PhoneError):
            self._phone = None
            shown = "" if not text.strip() else wording.phone_problem(result)
            self._hint(self.phone_hint, shown, False)
        else:
            self._phone = result
            network = result.network.value if result.network else ""
            self._hint(self.phone_hint, self.tr("{digits} · {network} (likely)").format(
                digits=result.digits, network=network), True)

    def _amount_changed(self, text: str) -> None:
        result = parse_amount(text, minimum=self.settings.min_amount,
                              maximum=self.settings.max_amount)
        if isinstance(result, AmountError):
            self._amount = None
            shown = "" if not text.strip() else wording.amount_problem(result)
            self._hint(self.amount_hint, shown, False)
        else:
            self._amount = result
            self._hint(self.amount_hint, self.tr("TZS {amount}").format(
                amount=result.formatted()), True)

    def _format_amount(self) -> None:
        if self._amount is not None and self.amount_edit.isEnabled():
            formatted = self._amount.formatted()
            if self.amount_edit.text() != formatted:
                self.amount_edit.setText(formatted)

    def _phone_enter(self) -> None:
        if self._phone is not None and self._amount is None:
            self.amount_edit.setFocus()
        else:
            self.request_charge()

    def request_charge(self) -> None:
        """Enter or the Charge button. Sends at most one push, however often it is pressed."""
        from pos_app.domain.phone import parse_phone

        if self.till.sale_under_way or self.till.view.phase.is_outcome \
                or self.till.view.phase.name == "GUARD":
            return
        if self._credentials_problem is not None:
            self._show_credentials_problem()
            return
        if self._phone is None or self._amount is None:
            if self._phone is None:
                self._hint(self.phone_hint, wording.phone_problem(
                    parse_phone(self.phone_edit.text())), False)  # type: ignore[arg-type]
                self.phone_edit.setFocus()
            if self._amount is None:
                err = parse_amount(self.amount_edit.text(), minimum=self.settings.min_amount,
                                   maximum=self.settings.max_amount)
                self._hint(self.amount_hint, wording.amount_problem(err), False)  # type: ignore[arg-type]
                if self._phone is not None:
                    self.amount_edit.setFocus()
            return
        self._last_inputs = (self.phone_edit.text(), self.amount_edit.text())
        self.till.charge(self._phone, self._amount)

    def next_sale(self) -> None:
        if self.till.new_sale():
            self.phone_edit.clear()
            self.amount_edit.clear()
            self.phone_edit.setFocus()

    def _try_again(self) -> None:
        phone, amount = self._last_inputs
        if self.till.new_sale():
            self.phone_edit.setText(phone)
            self.amount_edit.setText(amount)
            self.amount_edit.setFocus()
            self.amount_edit.selectAll()

    def _charge_anyway(self) -> None:
        self.till.charge_anyway()

    def _guard_back(self) -> None:
        if self.till.cancel_guard():
            # Back to the fields as typed, the number selected: the cashier corrects it or
            # types another over it.
            self.phone_edit.setFocus()
            self.phone_edit.selectAll()

    def _check_selected(self) -> None:
        row = self.unresolved_list.currentRow()
        if not 0 <= row < len(self._unresolved_refs):
            row = 0 if self._unresolved_refs else -1
        if row < 0:
            return
        ref = self._unresolved_refs[row]
        self._set_notice(self.tr("Asking ClickPesa about {ref}…").format(ref=ref))
        self.till.check_attempt(ref, self._checked_selected)

    def _checked_selected(self, out: CheckOutcome) -> None:
        import datetime

        record, error, ref = out.record, out.error, out.reference
        at = datetime.datetime.now().strftime("%H:%M")
        if error is not None:
            from pos_app.till.view import reason_for

            self._set_notice(self.tr("{ref}: could not reach ClickPesa at {time} ({reason}).")
                             .format(ref=ref, time=at,
                                     reason=wording.translated(reason_for(error))))
        elif record is not None:
            self._set_notice(self.tr("{ref}: {status} (checked at {time}).").format(
                ref=ref, time=at, status=wording.report_status(record.state.report_status)))
            self._refresh_history()

    def recheck_now(self) -> None:
        """Till → Re-check unresolved payments: ask about every open attempt now, and say
        what that found."""
        self._set_notice(self.tr("Asking ClickPesa about the payments not confirmed yet…"))
        self.till.start_background(0.0, on_round=self._rechecked)

    def _rechecked(self, report: RoundReport) -> None:
        from pos_app.domain.attempt import AttemptState as S

        if report.checked == 0:
            self._set_notice(self.tr("Re-check done: no payment was waiting for an answer."))
            return
        paid = report.now_final.get(S.PAID, 0)
        failed = report.now_final.get(S.FAILED, 0) + report.now_final.get(S.NOT_SENT, 0)
        attention = report.now_final.get(S.ATTENTION, 0)
        parts = [self.tr("%n asked about", "", report.checked)]
        if paid:
            parts.append(self.tr("%n now paid", "", paid))
        if failed:
            parts.append(self.tr("%n not paid", "", failed))
        if attention:
            parts.append(self.tr("%n need(s) attention", "", attention))
        if report.still_open:
            parts.append(self.tr("%n still not confirmed", "", report.still_open))
        if report.unreachable:
            parts.append(self.tr("%n could not be asked (no answer from ClickPesa)", "",
                                 report.unreachable))
        self._set_notice(self.tr("Re-check done: {parts}.").format(parts=", ".join(parts)))
        self._refresh_history()

    def _stop_waiting(self) -> None:
        if self.till.stop_waiting():
            self.phone_edit.clear()
            self.amount_edit.clear()
            self.phone_edit.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 — Qt's name
        from PySide6.QtCore import Qt

        if not self._attached:
            super().keyPressEvent(event)
            return
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        escape = event.key() == Qt.Key.Key_Escape
        phase = self.till.view.phase.name
        if phase == "GUARD" and (enter or escape):
            if escape:
                self._guard_back()
            elif self.focusWidget() is self.charge_anyway_button:
                self._charge_anyway()  # only when the cashier moved onto it on purpose
            elif self.focusWidget() is self.guard_back_button:
                self._guard_back()
            else:
                self.till.guard_enter()
            return
        if phase == "NO_ANSWER" and escape:
            self._stop_waiting()
            return
        focused = self.focusWidget()
        if enter and isinstance(focused, QPushButton) and focused.isEnabled() \
                and focused is not self.next_sale_button:
            focused.click()  # outside a dialog Qt buttons ignore Enter; cashiers expect it
            return
        if self.till.view.phase.is_outcome and (enter or event.key() == Qt.Key.Key_Escape):
            self.next_sale()
            return
        super().keyPressEvent(event)

    # -- rendering -----------------------------------------------------------------------

    def _render(self, view: ChargeView) -> None:
        from pos_app.till.charge import Phase

        title, detail, advice = wording.outcome_texts(view)
        phase = view.phase
        word = wording.state_word(phase)
        self.state_word.setText(word)
        self.amount_shown.setText(self.tr("TZS {amount}").format(amount=view.amount.formatted())
                                  if view.amount is not None and phase is not Phase.IDLE
                                  else "")
        self.title.setText(title)
        self.title.setVisible(bool(title) and title != word)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        advice = " ".join(t for t in (advice, wording.keys_line(phase)) if t)
        self.guidance.setText(advice)
        self.guidance.setVisible(bool(advice))
        self._show_icon(phase.name)
        waiting = phase in (Phase.WAITING, Phase.CONFIRMING)
        if waiting and view.remaining_s is not None:
            self.countdown.setRange(0, max(1, view.patience_s))
            self.countdown.setValue(max(0, min(view.remaining_s, view.patience_s)))
            self.countdown.setFormat(wording.countdown(view.remaining_s))
            self.countdown.setVisible(True)
        elif view.checking:
            self.countdown.setRange(0, 1)
            self.countdown.setValue(0)
            self.countdown.setFormat(self.tr("Checking…"))
            self.countdown.setVisible(True)
        else:
            self.countdown.setVisible(False)
        self.panel.setStyleSheet(f"QFrame#outcomePanel {{{_PANEL_STYLE[phase.name]}}}")
        editable = phase is Phase.IDLE
        if view.resumed and view.phone is not None and view.amount is not None \
                and not self.phone_edit.text().strip():
            # A sale interrupted by a restart: show whose it is.
            self.phone_edit.setText(view.phone.display())
            self.amount_edit.setText(view.amount.formatted())
        self.phone_edit.setEnabled(editable)
        self.amount_edit.setEnabled(editable)
        self.charge_button.setEnabled(editable and self._credentials_problem is None)
        guard = phase is Phase.GUARD
        for b in (self.check_earlier_button, self.charge_anyway_button, self.guard_back_button):
            b.setVisible(guard)
        no_answer = phase is Phase.NO_ANSWER
        self.check_again_button.setVisible(no_answer)
        # Not disabled while a check runs (the till ignores a second one): disabling the
        # focused button would push the keyboard focus onto "Stop waiting".
        self.check_again_button.setEnabled(no_answer)
        self.stop_waiting_button.setVisible(no_answer)
        self.retry_button.setVisible(phase in (Phase.NOT_SENT, Phase.FAILED))
        self.next_sale_button.setVisible(phase.is_outcome)
        if phase.name != self._shown_phase:
            self._shown_phase = phase.name
            self._refresh_history()  # the row appears as soon as the attempt exists
        if phase.is_outcome:
            self.next_sale_button.setFocus()
        elif guard and self.focusWidget() not in (self.check_earlier_button,
                                                  self.charge_anyway_button,
                                                  self.guard_back_button):
            self.check_earlier_button.setFocus()
        elif no_answer and self.focusWidget() not in (self.check_again_button,
                                                      self.stop_waiting_button):
            self.check_again_button.setFocus()
        elif editable and self.focusWidget() not in (self.phone_edit, self.amount_edit):
            self.phone_edit.setFocus()
        self.view_changed.emit(view)

    def _show_icon(self, phase: str) -> None:
        if phase == self._icon_for:
            return
        self._icon_for = phase
        name = _STATE_ICON.get(phase)
        if name is None:
            self.state_icon.clear()
            self.state_icon.setVisible(False)
            return
        from PySide6.QtWidgets import QStyle

        icon = self.style().standardIcon(getattr(QStyle.StandardPixmap, name), None, self)
        self.state_icon.setPixmap(icon.pixmap(self.state_icon.size()))
        self.state_icon.setVisible(True)

    def _set_notice(self, text: str) -> None:
        """A notice in the status bar: one line (all of it in the tooltip); the layout above
        never moves for it."""
        self.notice.set_full_text(" ".join(text.split("\n")))

    def _on_background(self, changed: AttemptRecord | None,
                       unresolved: list[AttemptRecord] | None) -> None:
        if changed is not None and changed.state.is_final:
            self._set_notice(self.tr(
                "Earlier payment {ref}: TZS {amount} from {phone} is now {status}.").format(
                    ref=changed.order_reference, amount=format_tzs(changed.amount_tzs),
                    phone=changed.phone,
                    status=wording.report_status(changed.state.report_status)))
            self._refresh_history()
        if unresolved is not None:
            self._unresolved_shown = list(unresolved)
            current = self.till.view.reference
            others = [r for r in unresolved if r.order_reference != current]
            self.unresolved_label.setText(
                self.tr("%n earlier payment(s) not confirmed yet — the till keeps checking "
                        "them. Do not charge those customers again.", "", len(others))
                if others else "")
            selected = self.unresolved_list.currentRow()
            self.unresolved_list.clear()
            self._unresolved_refs = [r.order_reference for r in others]
            for r in others:
                self.unresolved_list.addItem(self.tr("{time} · {phone} · TZS {amount} · {status}")
                                             .format(time=r.created_at[11:16],
                                                     phone=_display_phone(r.phone),
                                                     amount=format_tzs(r.amount_tzs),
                                                     status=wording.report_status(
                                                         r.state.report_status)))
            if others:
                self.unresolved_list.setCurrentRow(min(max(selected, 0), len(others) - 1))
            for w in (self.unresolved_label, self.unresolved_list, self.check_selected_button):
                w.setVisible(bool(others))

    def _refresh_history(self) -> None:
        """Read the recent attempts and today's total on a worker and show them when they
        come. The journal is one connection behind a lock: read here, the GUI thread would
        wait whenever a worker is syncing a write to disk (tens of ms on a slow disk)."""
        import datetime

        self._history_reads += 1
        read, journal, today = self._history_reads, self.journal, datetime.date.today()
        self.runner.submit(lambda: (journal.recent(HISTORY_ROWS), journal.paid_total(today)),
                           lambda result: self._show_history(read, *result),
                           lambda exc: self._history_failed(read, exc))

    def _show_history(self, read: int, records: list[AttemptRecord],
                      paid: tuple[int, int]) -> None:
        if read != self._history_reads:
            return  # a newer read is on its way; show that one
        self.history.show_rows([
            (r.created_at[11:16], r.phone, format_tzs(r.amount_tzs),
             wording.report_status(r.state.report_status), r.order_reference)
            for r in records])
        self._day_paid = paid
        self._show_day_total()

    def _show_day_total(self) -> None:
        if self._day_paid is None:
            self.day_total.setText("")
            return
        count, total = self._day_paid
        label = (self.tr("Training today: %n paid, TZS {total} (not real money)", "", count)
                 if self.training else self.tr("Today: %n paid, TZS {total}", "", count))
        self.day_total.setText(label.format(total=format_tzs(total)))

    def _history_failed(self, read: int, exc: BaseException) -> None:
        if read == self._history_reads:
            self._set_notice(wording.error_text(exc))  # a JournalError says which file and why

    # -- settings and closing ------------------------------------------------------------

    def choose_export_file(self) -> None:
        import datetime

        from PySide6.QtWidgets import QFileDialog

        today = datetime.date.today().isoformat()
        suggested = f"malipo-{'training-' if self.training else ''}{today}.csv"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export journal"), suggested,
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """The whole journal of this mode as CSV (the same file as `pos-app export`)."""
        from pos_app.journal.export import export_csv

        journal = self.journal
        # force=True: the file dialog has asked about an existing file. The till's own
        # files (the journal above all) are refused whatever force says.
        self.runner.submit(lambda: export_csv(journal.attempts(), path, force=True),
                           lambda n: self._set_notice(self.tr(
                               "Exported %n attempt(s) to {path}.", "", n).format(path=path)),
                           lambda exc: self._set_notice(self.tr(
                               "The export failed: {error}").format(
                                   error=wording.error_text(exc))))

    def open_settings(self) -> None:
        from pos_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, training=self.training, runner=self.runner,
                                settings_path=self.settings_path,
                                gateway_factory=self.gateway_factory, parent=self)
        if dialog.exec() and dialog.saved_settings is not None:
            self.apply_settings(dialog.saved_settings)

    def _sale_under_way(self) -> bool:
        return self._attached and self.till.sale_under_way

    def request_quit(self) -> None:
        """Till → Quit (Ctrl+Q): during a sale, ask first."""
        if self._sale_under_way() and not self._confirm_quit():
            return
        self.close()

    def _confirm_quit(self) -> bool:
        """A sale is under way: ask before quitting (the default is to stay)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Quit during a sale?"),
                          self.tr("A payment is still being followed. It is safe in the "
                                  "journal: if you quit now, the till follows it again on the "
                                  "next start. Quit anyway?"), parent=self)
        box.setObjectName("quitQuestion")
        quit_button = box.addButton(self.tr("&Quit"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(self.tr("&Keep the till open"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.exec()
        return box.clickedButton() is quit_button

    def _check_credentials(self) -> None:
        """Live mode: are there credentials to charge with? Asked on a worker (the keyring
        may be slow); until the answer, Charge works as before."""
        check = self.credentials_check
        if check is None or self.training:
            return
        self.runner.submit(check, self._credentials_checked,
                           lambda exc: self._credentials_checked(str(exc)))

    def _credentials_checked(self, problem: str | None) -> None:
        self._credentials_problem = problem
        if problem is None:
            self.credentials_box.setVisible(False)
        else:
            self._show_credentials_problem()
        self._render(self.till.view)

    def _show_credentials_problem(self) -> None:
        self.credentials_notice.setText(self.tr(
            "No ClickPesa credentials can be used on this computer, so nothing can be "
            "charged: {reason}").format(reason=wording.translated(self._credentials_problem or "")))
        self.credentials_box.setVisible(True)

    def apply_settings(self, settings: Settings) -> None:
        if settings.language != self.settings.language:
            self.set_language(settings.language)  # retranslates the window at once
        self.settings = settings
        self.till.patience_s = settings.patience_s
        self.till.till_name = settings.till_name
        if self.gateway_factory is not None and not self.till.busy:
            old = self.till.gateway
            if self.shop_link is not None:
                from pos_app.ui.shop_link import calls_of

                self.shop_link.tally.gateway_replaced(calls_of(old))
            self.till.gateway = self.gateway_factory(settings, None)
            old.close()
        self._amount_changed(self.amount_edit.text())
        self._check_credentials()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 — Qt's name
        # The attempt in flight is already journalled; its job finishes and records its
        # result. The next start re-checks whatever is still unresolved.
        # The cashier closing the window (title bar: a spontaneous close) is asked during a
        # sale, like Ctrl+Q (`request_quit`); the program closing it (shutdown, tests) is not.
        if event.spontaneous() and self._sale_under_way() and not self._confirm_quit():
            event.ignore()
            return
        if self.shop_link is not None:
            self.shop_link.stop()
        if self._attached:
            self.till.shutdown()
        self._after_paint = None  # closed before the till was attached: never attach it
        super().closeEvent(event)

