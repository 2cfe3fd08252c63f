"""Every sentence the cashier reads about a charge, in one place, through Qt's translator.

Error lines follow the seed SDK's wording — "Authentication failed: <reason>" and
"Payment request failed: <reason>" — and are always followed by one line saying what to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, assert_never

from PySide6.QtCore import QCoreApplication

from pos_app import i18n
from pos_app.domain.money import AmountError, AmountProblem, format_tzs

if TYPE_CHECKING:
    from pos_app.clickpesa.errors import Reason
    from pos_app.domain.attempt import AttemptRecord
    from pos_app.domain.evidence import Mismatch
    from pos_app.domain.phone import PhoneError
    from pos_app.till.charge import ChargeView, Phase, Problem

# The till core (pos_app.till.charge, pos_app.domain.phone) is imported inside the functions
# that need it, never here: the window imports this module before its first paint, and the
# till core is loaded only after it (see MainWindow.attach).

# The module-level tr() below is found by pyside6-lupdate, which files a tr() outside a class
# under the empty context: looked up under any other name, none of it would be translated.
CTX = ""
MESSAGES = i18n.CONTEXT


def tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def translated(reason: str) -> str:
    """A sentence made outside Qt (marked with QT_TRANSLATE_NOOP, see pos_app/i18n.py) — or
    ClickPesa's own words, which a catalogue may also translate — in the cashier's language.
    A settings.Problem is translated by its `template`, and so is each of its values that is
    itself a marked sentence or a Problem; a translation that breaks a placeholder falls back
    to the English."""
    if not reason or not isinstance(reason, str):
        return reason
    template = getattr(reason, "template", None)
    if template is None:
        return QCoreApplication.translate(MESSAGES, reason)
    values = {k: translated(v) for k, v in reason.values.items()}  # type: ignore[attr-defined]
    try:
        return QCoreApplication.translate(MESSAGES, template).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(reason)


def settings_problem(problem: str) -> str:
    """A settings.Problem in the cashier's language (plain strings are looked up too)."""
    return translated(problem)


def error_text(exc: BaseException) -> str:
    """An exception's sentence (a KeyringUnavailable, BadBaseUrl, JournalError…) in the
    cashier's language: its first argument keeps the Problem that `str(exc)` would flatten."""
    first = exc.args[0] if exc.args else None
    return translated(first) if isinstance(first, str) else str(exc)


def phone_problem(err: PhoneError) -> str:
    from pos_app.domain.phone import PhoneProblem

    return {
        PhoneProblem.EMPTY: tr("Type the customer's phone number."),
        PhoneProblem.NOT_A_NUMBER: tr("This is not a Tanzanian mobile number "
                                      "(e.g. 0712 345 678)."),
        PhoneProblem.NOT_TANZANIAN: tr("Only Tanzanian numbers (+255) can be charged."),
        PhoneProblem.NOT_MOBILE: tr("This is not a mobile-money number."),
        PhoneProblem.NO_WALLET: tr("{operator} numbers have no mobile wallet ClickPesa can "
                                   "charge.").format(operator=err.operator or ""),
    }[err.problem]


def amount_problem(err: AmountError) -> str:
    limit = format_tzs(err.limit) if err.limit is not None else ""
    return {
        AmountProblem.EMPTY: tr("Type the amount in shillings."),
        AmountProblem.NOT_A_NUMBER: tr("Type the amount as a number, e.g. 5000 or 5,000."),
        AmountProblem.FRACTIONAL: tr("Whole shillings only — no cents."),
        AmountProblem.NOT_POSITIVE: tr("The amount must be more than zero."),
        AmountProblem.BELOW_MIN: tr("The smallest amount is TZS {limit}.").format(limit=limit),
        AmountProblem.ABOVE_MAX: tr("The largest amount is TZS {limit}.").format(limit=limit),
    }[err.problem]


def _has(reason: str, *needles: str) -> bool:
    low = reason.lower()
    return any(n.lower() in low for n in needles)


def error_line(problem: Problem, reason: str) -> str:
    from pos_app.till.charge import Problem

    reason = translated(reason)
    if problem in (Problem.CREDENTIALS, Problem.AUTH):
        return tr("Authentication failed: {reason}").format(reason=reason)
    if problem is Problem.UNEXPECTED:
        return tr("Something unexpected went wrong ({reason}).").format(reason=reason)
    if problem is Problem.JOURNAL:
        return tr("Payment request failed: the journal could not be written.")
    if problem is Problem.OFFLINE:
        return tr("Payment request failed: No connection to ClickPesa.")
    return tr("Payment request failed: {reason}").format(reason=reason)


def guidance(problem: Problem, reason: str, status_code: int | None = None,
             code: Reason | None = None) -> str:
    """One line saying what to do, chosen by the gateway's reason code (never by matching
    ClickPesa's English)."""
    from pos_app.clickpesa.errors import Reason
    from pos_app.till.charge import Problem

    if problem is Problem.CREDENTIALS:
        if code is Reason.NO_KEYRING:
            return tr("Set up the computer's keyring, then enter the credentials in Settings. "
                      "Nothing was charged.")
        if code is Reason.BAD_CREDENTIAL_TEXT:
            return tr("A stored key contains characters ClickPesa keys never have: enter it "
                      "again in Settings, copied exactly. Nothing was charged.")
        if code is Reason.NO_CHECKSUM_KEY:
            return tr("Checksum is switched on but no checksum key is stored: enter it in "
                      "Settings. Nothing was charged.")
        return tr("Enter the Client ID and API key in Settings (Till → Settings). "
                  "Nothing was charged.")
    if problem is Problem.AUTH:
        if code is Reason.INVALID_CLIENT:
            return tr("Check the Client ID in Settings. Nothing was charged.")
        if code is Reason.API_KEY_NOT_ALLOWED:
            return tr("This API key is not allowed for this application: check it in the "
                      "ClickPesa dashboard. Nothing was charged.")
        if code is Reason.API_KEY_INVALID:
            return tr("Check the API key in Settings — it may have expired or been revoked. "
                      "Nothing was charged.")
        return tr("Check the API key in Settings. If the account uses an IP whitelist, this "
                  "shop's internet address may have changed. Nothing was charged.")
    if problem is Problem.REJECTED:
        if code is Reason.INVALID_PHONE:
            return tr("The number is not registered for mobile money. Ask for another "
                      "number. Nothing was charged.")
        if code is Reason.NO_COLLECTION_API:
            return tr("Enable the Collection API for this application in the ClickPesa "
                      "dashboard. Nothing was charged.")
        if code is Reason.NO_PAYMENT_METHOD:
            return tr("The ClickPesa account has no active way to collect payments: contact "
                      "ClickPesa. Nothing was charged.")
        if code is Reason.CLIENT_ID_REQUIRED:
            return tr("Check the Client ID in Settings. Nothing was charged.")
        if code is Reason.BAD_REFERENCE:
            return tr("The till made a reference ClickPesa refused; please report this. "
                      "Nothing was charged — you can try again.")
        return tr("Nothing was charged. Check the number and the amount and try again.")
    if problem is Problem.DUPLICATE:
        return tr("Nothing new was sent. Look up this reference in the ClickPesa dashboard "
                  "before taking the payment again.")
    if problem is Problem.OFFLINE:
        return tr("No internet connection — nothing was charged. Check the network and "
                  "try again.")
    if problem is Problem.UNAVAILABLE:
        if code is Reason.RATE_LIMITED or status_code == 429:
            return tr("Too many requests from this shop — nothing was charged. Wait a minute "
                      "and try again.")
        return tr("ClickPesa could not take the request — nothing was charged. Try again in "
                  "a minute.")
    if problem is Problem.NEVER_ARRIVED:
        return tr("ClickPesa confirms it never received the request — nothing was charged. "
                  "You can try again.")
    if problem is Problem.UNCLEAR:
        return tr("The till is asking ClickPesa whether the request arrived. Do not charge "
                  "again yet.")
    if problem is Problem.JOURNAL:
        return tr("Nothing was sent. Check the computer's free disk space, then try again.")
    return tr("The attempt is kept in the journal and will be checked again. Do not charge "
              "again until it is resolved.")


def failure_advice(message: str) -> str:
    if _has(message, "insufficient", "balance"):
        return tr("Tell the customer their wallet balance is too low. They can top up and try "
                  "again, or pay another way.")
    if _has(message, "cancel", "reject", "declin"):
        return tr("The customer cancelled the prompt. Ask whether they want to try again.")
    if _has(message, "pin"):
        return tr("The PIN was wrong or not entered. The customer can try again.")
    return tr("Tell the customer the payment did not go through: no money was taken. They can "
              "try again or pay another way.")


def trouble_line(problem: Problem | None, reason: str, code: Reason | None = None) -> str:
    from pos_app.clickpesa.errors import Reason
    from pos_app.till.charge import Problem

    if problem is None:
        return ""
    if problem in (Problem.AUTH, Problem.CREDENTIALS):
        return tr("Authentication failed: {reason} — still trying; check Settings.").format(
            reason=translated(reason))
    if code is Reason.RATE_LIMITED:
        return tr("ClickPesa asks the till to slow down — checking less often.")
    return tr("Trouble reaching ClickPesa ({reason}) — still checking.").format(
        reason=translated(reason))


def report_status(status: str) -> str:
    """The journal's final view (PAID, FAILED, UNRESOLVED, NEEDS_ATTENTION) in words."""
    return {
        "PAID": tr("Paid"),
        "FAILED": tr("Failed / not sent"),
        "UNRESOLVED": tr("Not confirmed yet"),
        "NEEDS_ATTENTION": tr("Needs attention"),
    }.get(status, status)


def state_word(phase: Phase) -> str:
    """The one or two words at the top of the panel, readable from across the counter."""
    from pos_app.till.charge import Phase

    match phase:
        case Phase.IDLE:
            return tr("Ready")
        case Phase.SENDING:
            return tr("Sending…")
        case Phase.GUARD:
            return tr("Check first")
        case Phase.WAITING:
            return tr("Waiting for the PIN")
        case Phase.CONFIRMING:
            return tr("Checking…")
        case Phase.NO_ANSWER:
            return tr("No answer yet")
        case Phase.PAID:
            return tr("Paid")
        case Phase.FAILED:
            return tr("Failed")
        case Phase.NOT_SENT:
            return tr("Not sent")
        case Phase.ATTENTION:
            return tr("Needs attention")
    assert_never(phase)


def keys_line(phase: Phase) -> str:
    """What Enter and Esc do, for the states whose guidance does not say it already."""
    from pos_app.till.charge import Phase

    if phase in (Phase.SENDING, Phase.WAITING, Phase.CONFIRMING):
        return tr("Enter and Esc do nothing now: the till follows the payment by itself.")
    if phase in (Phase.FAILED, Phase.NOT_SENT):
        return tr("Enter or Esc: next sale. Alt+R: try again with the same number and amount.")
    return ""


def countdown(seconds: int | None) -> str:
    if seconds is None:
        return ""
    m, s = divmod(max(0, seconds), 60)
    return tr("Waiting for the PIN… {m}:{s:02d} left").format(m=m, s=s)


def network_name(view: ChargeView) -> str:
    channel = view.channel.upper()
    for key, name in (("MPESA", "M-Pesa"), ("M-PESA", "M-Pesa"), ("TIGO", "Mixx by Yas"),
                      ("MIXX", "Mixx by Yas"), ("AIRTEL", "Airtel Money"),
                      ("HALO", "HaloPesa")):
        if key in channel:
            return name
    if view.phone is not None and view.phone.network is not None:
        return view.phone.network.value
    return view.channel or tr("unknown network")


def outcome_texts(view: ChargeView) -> tuple[str, str, str]:
    """(title, detail, guidance) for the big panel."""
    from pos_app.till.charge import Phase, Problem

    phone = view.phone.display() if view.phone else ""
    amount = view.amount.formatted() if view.amount else ""
    net = network_name(view)
    p = view.phase
    if p is Phase.IDLE:
        return (tr("Ready"),
                tr("Type the customer's phone number and the amount, then press Enter."), "")
    if p is Phase.SENDING:
        return (tr("Sending the payment request…"),
                tr("TZS {amount} to {phone} ({network}).").format(
                    amount=amount, phone=phone, network=net), "")
    if p is Phase.GUARD:
        return guard_texts(view)
    if p is Phase.WAITING:
        detail = tr("A payment prompt for TZS {amount} was sent to {phone} on {network}.").format(
            amount=amount, phone=phone, network=net)
        if view.resumed:
            detail += " " + tr("(The till was restarted while the customer was paying; it is "
                               "following this payment again.)")
        return (tr("Ask the customer to enter their PIN"), detail,
                trouble_line(view.trouble, view.trouble_reason, view.trouble_code))
    if p is Phase.CONFIRMING:
        if view.resumed:
            detail = tr("The till stopped while sending TZS {amount} to {phone}; it is asking "
                        "ClickPesa whether the request arrived.").format(amount=amount,
                                                                         phone=phone)
        else:
            detail = tr("The connection broke while sending TZS {amount} to {phone} "
                        "({reason}).").format(amount=amount, phone=phone,
                                              reason=translated(view.reason))
        return (tr("Checking whether the prompt reached the customer…"), detail,
                tr("Do not charge again and do not take cash yet: the prompt may still reach "
                   "the customer's phone. This can take a minute or two."))
    if p is Phase.NO_ANSWER:
        if view.attempt_state is not None and view.attempt_state.value in ("UNCERTAIN", "NEW"):
            detail = tr("The till could not confirm whether the request for TZS {amount} to "
                        "{phone} reached ClickPesa.").format(amount=amount, phone=phone)
        else:
            detail = tr("ClickPesa has not confirmed TZS {amount} from {phone} yet. Ask the "
                        "customer whether they entered their PIN.").format(
                            amount=amount, phone=phone)
        if view.checked_at and not view.checking:
            detail += " " + tr("Still no answer at {time}.").format(time=view.checked_at)
        return (tr("No answer yet"), detail,
                tr("Enter: “Check again” asks ClickPesa once more. Esc: “Stop waiting” moves "
                   "on — the till keeps checking in the background and never marks it failed."))
    if p is Phase.PAID:
        return (tr("Paid"),
                tr("TZS {amount} from {phone} via {network}. ClickPesa id: {id}.").format(
                    amount=amount, phone=phone, network=net, id=view.clickpesa_id or "—"),
                tr("The money arrived. Press Enter for the next sale."))
    if p is Phase.FAILED:
        return (tr("Failed"),
                tr("TZS {amount} from {phone} was not paid. ClickPesa says: {message}").format(
                    amount=amount, phone=phone,
                    message=translated(view.message) or tr("the payment failed")),
                failure_advice(view.message))
    if p is Phase.ATTENTION:
        return (tr("Needs attention"), attention_detail(view),
                tr("Do not hand over the goods until this payment is confirmed in the ClickPesa "
                   "dashboard (reference {ref}). Enter or Esc: next sale — it stays on the "
                   "list of payments to check.").format(ref=view.reference))
    # NOT_SENT
    problem = view.problem or Problem.UNEXPECTED
    return (tr("Not sent — nothing was charged"), error_line(problem, view.reason),
            guidance(problem, view.reason, view.status_code, view.code))


def mismatch_line(m: Mismatch) -> str:
    from pos_app.domain.evidence import MismatchKind

    if m.kind is MismatchKind.AMOUNT:
        return tr("ClickPesa says TZS {observed} arrived, not TZS {expected}.").format(
            observed=m.observed, expected=m.expected)
    if m.kind is MismatchKind.NO_AMOUNT:
        return tr("ClickPesa says it was paid but not how much (the sale was TZS "
                  "{expected}).").format(expected=m.expected)
    if m.kind is MismatchKind.CURRENCY:
        return tr("ClickPesa says the money arrived in {observed}, not in {expected}.").format(
            observed=m.observed or tr("no currency"), expected=m.expected)
    if m.kind is MismatchKind.PAYER:
        return tr("ClickPesa says it was paid from {observed}, not from {expected}.").format(
            observed=m.observed, expected=m.expected)
    return tr("ClickPesa's payment names another reference ({observed}).").format(
        observed=m.observed or tr("none"))


def attention_detail(view: ChargeView) -> str:
    from pos_app.till.charge import Problem
    from pos_app.till.follow import Attention

    if view.problem is Problem.DUPLICATE:
        return error_line(view.problem, view.reason)
    if view.mismatch is not None:
        return mismatch_line(view.mismatch)
    a = view.attention
    if a is Attention.PAID_AFTER_FAILED:
        return tr("ClickPesa now says this payment was paid after it was reported failed — "
                  "check with the customer.")
    if a is Attention.APPEARED_AFTER_NOT_SENT:
        return tr("ClickPesa now shows this payment after it was reported not sent — check "
                  "with the customer.")
    if a is Attention.DISAGREE:
        return tr("ClickPesa lists several payments for this reference that disagree.")
    if a is Attention.FAILED_AFTER_PAID:
        return tr("ClickPesa now reports this paid payment as not paid — check with the "
                  "customer and in the ClickPesa dashboard.")
    return tr("ClickPesa reports {status}. {message}").format(
        status=view.clickpesa_status or tr("an unknown status"),
        message=translated(view.message))


def earlier_line(r: AttemptRecord) -> str:
    return tr("{time} · TZS {amount} · {status}").format(
        time=r.created_at[11:16], amount=format_tzs(r.amount_tzs),
        status=report_status(r.state.report_status))


def guard_texts(view: ChargeView) -> tuple[str, str, str]:
    """Enter found an earlier attempt for this number: nothing was sent."""
    r = view.earlier
    phone = view.phone.display() if view.phone else ""
    if r is None:  # pragma: no cover — the till always sets it with GUARD
        return (tr("Nothing was sent"), "", "")
    state = r.state
    if state.value == "PAID":
        title = tr("Already paid a moment ago")
    elif state.is_unresolved:
        title = tr("This number has a payment not confirmed yet")
    else:
        title = tr("This number has a payment that needs attention")
    detail = tr("Nothing was sent. Earlier attempt for {phone}: {line}.").format(
        phone=phone, line=earlier_line(r))
    if view.checking:
        detail += " " + tr("Asking ClickPesa…")
    elif view.earlier_trouble:
        detail += " " + tr("Could not reach ClickPesa ({reason}).").format(
            reason=translated(view.earlier_trouble))
    elif view.earlier_checked:
        detail += " " + tr("Checked at {time}.").format(time=view.checked_at)
    if view.earlier_checked and not state.is_unresolved and state.value in ("FAILED",
                                                                          "NOT_SENT"):
        advice = tr("The earlier attempt took no money. Enter: charge TZS {amount} now. "
                    "Esc: back.").format(amount=view.amount.formatted() if view.amount else "")
    else:
        advice = tr("Enter: check it now. Alt+A: charge anyway (a second prompt — only if the "
                    "customer is sure the first was not paid). Esc: back.")
    return title, detail, advice
