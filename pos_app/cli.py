"""The `pos-app` command: opens the till, or manages credentials, exports and checks.

Subcommands never import Qt, so they work on a machine without a display. No secret value
(API key, checksum key, token) is ever printed or logged: only whether one is stored.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos_app import __version__

if TYPE_CHECKING:
    from datetime import date

    from pos_app.settings import Settings

OK, FAILED = "OK", "FAILED"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_MISMATCHES = 3  # pos-app reconcile: it ran, and found something for a person

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class UsageError(Exception):
    """A bad value on the command line; the message says which and why (exit 2)."""


def _err(message: str) -> None:
    print(message, file=sys.stderr)


# -- argument parsing ------------------------------------------------------------------


def _training_flag(parser: argparse.ArgumentParser, help_text: str) -> None:
    # SUPPRESS: when not given after the subcommand, the top-level `--training` stays.
    parser.add_argument("--training", action="store_true", default=argparse.SUPPRESS,
                        help=help_text)


class _NeedsFullParser(Exception):
    """The window's lean parser met something only the full parser can answer or word."""


class _WindowOptionsParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _NeedsFullParser(message)


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; with `commands=False` only the window's own options.

    Opening the window needs no subcommand, and building their parsers costs ~3 ms of
    argparse's translation look-ups at every start (benchmark 3), so `main` tries the lean
    parser first and falls back to the full one for anything else — help, a subcommand, or
    any mistake, which the full parser then words exactly as always.
    """
    parser = (argparse.ArgumentParser if commands else _WindowOptionsParser)(
        prog="pos-app",
        description="Malipo POS: a till that charges customers by ClickPesa USSD push. "
                    "Without a command it opens the till window.")
    parser.add_argument("--version", action="version", version=f"pos-app {__version__}")
    parser.add_argument("--training", action="store_true",
                        help="training mode: the built-in ClickPesa simulator, no real money, "
                             "a separate journal")
    parser.add_argument("--base-url", metavar="URL", default=None,
                        help="ClickPesa API address (default: from the settings file)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open the till window, check it starts, and quit")
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    cred = sub.add_parser("credentials", help="store, show or remove the ClickPesa credentials",
                          description="The Client ID, API key and checksum key live in the "
                                      "operating system's keyring, never in a file.")
    cred_sub = cred.add_subparsers(dest="action", metavar="ACTION", required=True)
    cset = cred_sub.add_parser(
        "set", help="store the Client ID and API key (and checksum key)",
        description="Stores the Client ID and the API key. The API key (and with --checksum "
                    "then the checksum key, one per line) is read from standard input when it "
                    "is not a terminal; otherwise it is asked for without echo.")
    cset.add_argument("--client-id", required=True, metavar="ID", help="ClickPesa Client ID")
    cset.add_argument("--checksum", action="store_true",
                      help="also store the checksum key (needed when checksum is switched on)")
    cred_sub.add_parser("status", help="say which credentials are stored (never their values)")
    cred_sub.add_parser("clear", help="remove the stored credentials from the keyring")

    exp = sub.add_parser("export", help="write the journal's attempts to a CSV file")
    exp.add_argument("--out", required=True, metavar="FILE.csv", type=Path,
                     help="the CSV file to write")
    exp.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                     help="first day to include (by the day the attempt was made)")
    exp.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                     help="last day to include")
    exp.add_argument("--force", action="store_true",
                     help="replace FILE.csv if it exists (never one of the till's own files)")
    exp.add_argument("--columns", choices=("standard", "full"), default="standard",
                     help="full: also the shift, cashier, till and the operator's transaction "
                          "id (payment_reference) after the standard columns")
    _training_flag(exp, "export the training journal instead of the real one")

    rcp = sub.add_parser("receipt", help="print or save the payment confirmation of a paid "
                                         "attempt",
                         description="The customer's payment confirmation (not a TRA fiscal "
                                     "receipt) for a PAID attempt, by its order reference.")
    rcp.add_argument("reference", metavar="REFERENCE", help="the attempt's order reference")
    where = rcp.add_mutually_exclusive_group(required=True)
    where.add_argument("--pdf", metavar="FILE", type=Path, help="save it as a PDF file")
    where.add_argument("--print", dest="print_to", nargs="?", const="", metavar="PRINTER",
                       help="print it on the system printer PRINTER (default: the system's "
                            "default printer)")
    where.add_argument("--escpos", metavar="HOST:PORT",
                       help="print it on a network ESC/POS thermal printer")
    _training_flag(rcp, "look in the training journal")

    rep = sub.add_parser("report", help="the day (Z) or shift report",
                         description="Counts and sums by status, paid by network and by hour, "
                                     "and what is still open, for one day or one shift.")
    period = rep.add_mutually_exclusive_group()
    period.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
    period.add_argument("--shift", metavar="ID", help="a shift, e.g. 20261201-1")
    rep.add_argument("--pdf", metavar="FILE", type=Path, help="also save it as a PDF (A4)")
    rep.add_argument("--json", metavar="FILE", type=Path, help="also write its figures as JSON")
    _training_flag(rep, "report on the training journal")

    rec = sub.add_parser("reconcile", help="check a day against ClickPesa's list of payments",
                         description="Pages through ClickPesa's payment list for the day (and "
                                     "a day either side) and matches it with the journal. "
                                     "Exit 0: everything agrees; 3: mismatches were found; "
                                     "1: it could not reconcile.")
    rec.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
    rec.add_argument("--json", metavar="FILE", type=Path, help="also write the result as JSON")
    rec.add_argument("--base-url", metavar="URL", default=argparse.SUPPRESS,
                     help="ClickPesa API address (default: from settings)")
    _training_flag(rec, "reconcile the training journal against the built-in simulator")

    chk = sub.add_parser("check", help="check settings, keyring, CA bundle and journal")
    chk.add_argument("--online", action="store_true",
                     help="also fetch a token from ClickPesa (one API call)")
    chk.add_argument("--base-url", metavar="URL", default=argparse.SUPPRESS,
                     help="ClickPesa API address for --online (default: from settings)")
    _training_flag(chk, "with --online, talk to the built-in simulator instead of ClickPesa")

    from pos_app.shop.cli import add_parser as add_shop_parser

    add_shop_parser(sub)
    return parser


def _parse(argv: list[str]) -> argparse.Namespace:
    if not any(a in ("-h", "--help") or not a.startswith("-") for a in argv):
        try:
            return build_parser(commands=False).parse_args(argv)
        except _NeedsFullParser:
            pass
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parse(sys.argv[1:] if argv is None else list(argv))
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE

    if args.base_url is not None:
        from pos_app.clickpesa.api import BadBaseUrl, normalise_base_url

        try:
            args.base_url = normalise_base_url(args.base_url)
        except BadBaseUrl as exc:
            _err(f"pos-app: {exc}")
            return EXIT_USAGE

    try:
        if args.command is None:
            return _run_gui(args)
        if args.command == "credentials":
            return {"set": _credentials_set, "status": _credentials_status,
                    "clear": _credentials_clear}[args.action](args)
        if args.command == "export":
            return _export(args)
        if args.command == "check":
            return _check(args)
        if args.command == "receipt":
            return _receipt(args)
        if args.command == "report":
            return _report_command(args)
        if args.command == "reconcile":
            return _reconcile(args)
        if args.command == "shop":
            from pos_app.shop.cli import run as run_shop

            return run_shop(args)
    except UsageError as exc:
        _err(f"pos-app: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("pos-app: interrupted.")
        return 130
    build_parser().error(f"unknown command {args.command!r}")  # pragma: no cover
    return EXIT_USAGE  # pragma: no cover


# -- the till window -------------------------------------------------------------------


def _run_gui(args: argparse.Namespace) -> int:
    try:
        from pos_app.app import run_gui  # imported here: the subcommands never load Qt
    except ImportError as exc:
        hint = ("" if (getattr(exc, "name", None) or "").startswith("pos_app") else
                "\nOn Linux the window needs the packages libgl1 libegl1 libfontconfig1 "
                "libxkbcommon0 libglib2.0-0 libdbus-1-3.")
        _err(f"pos-app: the till window cannot start: {exc}{hint}")
        return EXIT_FAILED
    return run_gui(training=args.training, base_url=args.base_url,
                   smoke_test=args.smoke_test)


# -- credentials -----------------------------------------------------------------------


def _read_secret(label: str, interactive: bool) -> str:
    """The value as typed: only the line ending is removed, so a stray space is refused
    (`_refusal`) rather than silently kept or dropped."""
    if interactive:
        import getpass

        return getpass.getpass(f"{label}: ").rstrip("\r\n")
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def _refusal(what: str, value: str) -> str | None:
    from pos_app.credentials import credential_text_refusal

    problem = credential_text_refusal(what, value)
    return None if problem is None else f"pos-app: {problem}"


def _credentials_set(args: argparse.Namespace) -> int:
    from pos_app.credentials import CredentialStore, KeyringUnavailable, describe, usable_backend

    client_id = args.client_id
    if not client_id.strip():
        _err("pos-app: the Client ID is empty; nothing was stored.")
        return EXIT_USAGE
    refused = _refusal("Client ID", client_id)
    if refused:
        _err(refused)
        return EXIT_USAGE
    try:
        backend = usable_backend()  # before asking for a key that could not be kept
    except KeyringUnavailable as exc:
        _err(f"pos-app: {exc}\nNothing was stored.")
        return EXIT_FAILED

    interactive = sys.stdin is not None and sys.stdin.isatty()
    api_key = _read_secret("API key", interactive)
    if not api_key.strip():
        _err("pos-app: the API key is empty; nothing was stored."
             + ("" if interactive else " Give it on the first line of standard input."))
        return EXIT_USAGE
    refused = _refusal("API key", api_key)
    if refused:
        _err(refused)
        return EXIT_USAGE
    checksum_key: str | None = None
    if args.checksum:
        checksum_key = _read_secret("Checksum key", interactive)
        if not checksum_key.strip():
            _err("pos-app: the checksum key is empty; nothing was stored."
                 + ("" if interactive else " Give it on the second line of standard input."))
            return EXIT_USAGE
        refused = _refusal("checksum key", checksum_key)
        if refused:
            _err(refused)
            return EXIT_USAGE

    try:
        CredentialStore().save(client_id, api_key, checksum_key)
    except KeyringUnavailable as exc:
        _err(f"pos-app: {exc}")
        return EXIT_FAILED
    stored = "Client ID, API key and checksum key" if args.checksum else "Client ID and API key"
    print(f"Stored the {stored} in the keyring ({describe(backend)}).")
    return EXIT_OK


def _credentials_status(args: argparse.Namespace) -> int:
    from pos_app.credentials import CredentialStore, KeyringUnavailable

    try:
        status = CredentialStore().status()
    except KeyringUnavailable as exc:
        _err(f"pos-app: {exc}")
        return EXIT_FAILED

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    print(f"Keyring backend: {status.backend}")
    print(f"Client ID stored: {yes(status.client_id)}")
    print(f"API key stored: {yes(status.api_key)}")
    print(f"Checksum key stored: {yes(status.checksum_key)}")
    return EXIT_OK


def _credentials_clear(args: argparse.Namespace) -> int:
    from pos_app.credentials import CredentialStore, KeyringUnavailable

    try:
        removed = CredentialStore().clear()
    except KeyringUnavailable as exc:
        _err(f"pos-app: {exc}")
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 — keyring backends raise many kinds
        _err(f"pos-app: the keyring could not remove the credentials ({type(exc).__name__}). "
             "Unlock it and try again.")
        return EXIT_FAILED
    if removed:
        print(f"Removed {removed} stored credential value(s) from the keyring.")
    else:
        print("No credentials were stored; nothing to remove.")
    return EXIT_OK


# -- export ----------------------------------------------------------------------------


def _parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    value = text.strip()
    if _DATE.fullmatch(value):
        try:
            from datetime import date

            return date.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(f"{option} '{text}' is not a date in the form YYYY-MM-DD.")


def _export(args: argparse.Namespace) -> int:
    from pos_app import paths
    from pos_app.journal import Journal, JournalError
    from pos_app.journal.export import ExportRefused, check_export_target, export_csv

    training = bool(getattr(args, "training", False))
    date_from = _parse_day(args.date_from, "--from")
    date_to = _parse_day(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise UsageError(f"--from {date_from} is after --to {date_to}.")

    journal_path = paths.journal_file(training)
    which = "training journal" if training else "journal"
    try:
        check_export_target(args.out, force=args.force)  # before the journal is even opened
        if journal_path.exists():
            journal = Journal(journal_path, mode="training" if training else "live")
            try:
                records = journal.attempts(date_from, date_to)
            finally:
                journal.close()
        else:
            records = []  # no attempt made yet: still a valid (header-only) file
        count = export_csv(records, args.out, force=args.force, columns=args.columns)
    except ExportRefused as exc:
        _err(f"pos-app: {exc}")
        return EXIT_FAILED
    except JournalError as exc:
        _err(f"pos-app: {exc}")
        return EXIT_FAILED
    except OSError as exc:
        _err(f"pos-app: cannot write {args.out}: {exc.strerror or exc}")
        return EXIT_FAILED
    print(f"Wrote {count} attempt(s) from the {which} to {args.out}.")
    return EXIT_OK


# -- check -----------------------------------------------------------------------------


def _report(name: str, ok: bool, detail: str) -> bool:
    """One line per check: `Name: OK (detail)` or `Name: FAILED: reason`."""
    print(f"{name}: {OK} ({detail})" if ok else f"{name}: {FAILED}: {detail}")
    return ok


def _check_settings(results: list[bool], training: bool) -> Settings:
    from pos_app import paths
    from pos_app.settings import load_settings

    path = paths.settings_to_load(training)
    settings, problems = load_settings(path)
    if problems:
        results.append(_report("Settings", False,
                               f"{len(problems)} problem(s) in {path}: " + " ".join(problems)))
    elif path.exists():
        results.append(_report("Settings", True, str(path)))
    else:
        results.append(_report("Settings", True, f"no file at {path}; using defaults"))
    return settings


def _check_keyring(results: list[bool], training: bool = False) -> None:
    from pos_app.credentials import KeyringUnavailable, describe, usable_backend

    try:
        backend = usable_backend()
    except KeyringUnavailable as exc:
        if training:  # training never reads the keyring: said, not failed
            print(f"Keyring: not used in training mode (live mode needs one: {exc})")
            return
        results.append(_report("Keyring", False, str(exc)))
        return
    results.append(_report("Keyring", True, describe(backend)))


def _check_ca_bundle(results: list[bool]) -> None:
    import certifi

    from pos_app.clickpesa.gateway import tls_context

    try:
        where = Path(certifi.where())
        if not where.is_file():
            results.append(_report("CA bundle", False, f"{where} does not exist"))
            return
        tls_context()
    except Exception as exc:  # noqa: BLE001 — ssl raises several kinds
        results.append(_report("CA bundle", False,
                               f"TLS cannot be set up ({type(exc).__name__}: {exc})"))
        return
    results.append(_report("CA bundle", True, str(where)))


def _check_data_folder(results: list[bool]) -> None:
    from pos_app import paths

    folder = paths.data_dir()
    problem = paths.data_folder_problem(folder, create=False)  # `check` creates nothing
    if problem is None and not folder.exists():
        results.append(_report("Data folder", True, f"{folder} does not exist yet; it can be "
                                                    "made there on the first start"))
        return
    results.append(_report("Data folder", problem is None, problem or f"{folder} is writable"))


def _check_journal(results: list[bool], training: bool) -> None:
    from pos_app import paths
    from pos_app.journal import Journal, JournalError

    path = paths.journal_file(training)
    if not path.exists():  # `check` creates no files: the till makes it on the first start
        results.append(_report("Journal", True, f"no journal yet at {path}; it is made on "
                                                "the first start"))
        return
    try:
        journal = Journal(path, mode="training" if training else "live")
        try:
            open_attempts = len(journal.unresolved())
        finally:
            journal.close()
    except JournalError as exc:
        results.append(_report("Journal", False, str(exc)))
        return
    except OSError as exc:
        results.append(_report("Journal", False, f"{path} cannot be opened: {exc}"))
        return
    results.append(_report("Journal", True,
                           f"{path}; {open_attempts} unresolved attempt(s)"))


def _check_online(results: list[bool], base_url: str, training: bool,
                  settings: Settings) -> None:
    from pos_app.clickpesa.errors import AuthFailed, ClickPesaError, CredentialsMissing
    from pos_app.clickpesa.gateway import Credentials, Gateway

    name = "ClickPesa (training simulator)" if training else "ClickPesa"
    where = "the built-in training simulator (no real money)" if training else base_url
    transport = None
    credentials: Callable[[], Credentials]
    if training:
        from pos_app.clickpesa.simulator import Simulator

        transport = Simulator().transport()
        credentials = lambda: Credentials("TRAINING", "TRAINING-KEY")  # noqa: E731
        kwargs: dict[str, Any] = {}
    else:
        from pos_app.credentials import CredentialStore

        credentials = CredentialStore().load
        kwargs = {"checksum_mode": settings.checksum_mode}
    from pos_app.logs import mask

    try:
        gateway = Gateway(base_url, credentials, transport=transport, **kwargs)
    except Exception as exc:  # noqa: BLE001 — bad URL, TLS set-up, an unusable proxy
        results.append(_report(name, False, f"cannot prepare the connection: {mask(str(exc))}"))
        return
    try:
        gateway.test_connection()
    except (AuthFailed, CredentialsMissing) as exc:
        results.append(_report(name, False, f"Authentication failed: {exc.reason}"))
        return
    except ClickPesaError as exc:
        results.append(_report(name, False,
                               f"Could not get a token from {where}: {exc.reason} "
                               "Check the internet connection and try again."))
        return
    except Exception as exc:  # noqa: BLE001 — a bug: one FAILED line, never a traceback
        results.append(_report(name, False, f"the token check failed unexpectedly "
                                            f"({type(exc).__name__}); please report this."))
        return
    finally:
        gateway.close()
    results.append(_report(name, True, f"a token was issued by {where}"))


def _check(args: argparse.Namespace) -> int:
    results: list[bool] = []
    training = bool(getattr(args, "training", False))
    settings = _check_settings(results, training)
    _check_keyring(results, training)
    _check_ca_bundle(results)
    _check_data_folder(results)
    _check_journal(results, training)
    if not training:  # training attempts never go to the shop server
        from pos_app.shop.cli import summary as shop_summary

        results.append(_report("Shop server", *shop_summary()))
    if args.online:
        if training:
            from pos_app.app import TRAINING_BASE_URL

            base_url = TRAINING_BASE_URL
        else:
            base_url = args.base_url or settings.base_url
        _check_online(results, base_url, training, settings)
    failed = results.count(False)
    if failed:
        print(f"{failed} check(s) failed.")
        return EXIT_FAILED
    print("All checks passed.")
    return EXIT_OK


# -- close the day: receipt, report, reconcile ---------------------------------------------


def _journal_for(training: bool):  # type: ignore[no-untyped-def]
    """The journal of this mode, or None when no attempt was ever made."""
    from pos_app import paths
    from pos_app.journal import Journal

    path = paths.journal_file(training)
    if not path.exists():
        return None
    return Journal(path, mode="training" if training else "live")


def _qt_for_painting() -> object:
    """Qt for painting (fonts, PDF, printers); offscreen when there is no display."""
    import os

    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") \
            and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    # A QApplication rather than a QGuiApplication: in one process (a test run, a future
    # caller that also opens a window) widgets can still be made after it.
    return QCoreApplication.instance() or QApplication(["pos-app"])


def _receipt(args: argparse.Namespace) -> int:
    from pos_app import paths
    from pos_app.journal import JournalError
    from pos_app.receipts.receipt import NotPaid, build_receipt
    from pos_app.settings import load_settings, printer_address

    training = bool(getattr(args, "training", False))
    settings, _problems = load_settings(paths.settings_file())
    address = None
    if args.escpos is not None:
        address = printer_address(args.escpos)
        if address is None:
            raise UsageError(f"--escpos '{args.escpos}' is not HOST:PORT "
                             "(e.g. 192.168.1.50:9100).")
    try:
        journal = _journal_for(training)
        record = journal.get(args.reference) if journal is not None else None
        if journal is not None:
            journal.close()
    except JournalError as exc:
        _err(f"pos-app: {exc}")
        return EXIT_FAILED
    which = "training journal" if training else "journal"
    if record is None:
        _err(f"pos-app: there is no attempt {args.reference} in the {which}.")
        return EXIT_FAILED
    from pos_app.receipts.receipt import ShopSettings

    shop = ShopSettings(settings.shop_name or "Malipo POS", settings.header_lines,
                        settings.till_name)
    try:
        receipt = build_receipt(record, shop)
    except NotPaid:
        _err(f"pos-app: {args.reference} is {record.state.report_status}, not PAID: only a "
             "paid attempt has a payment confirmation.")
        return EXIT_FAILED
    if address is not None:
        from pos_app.receipts.escpos import PrintError, print_receipt
        from pos_app.receipts.receipt import WIDTHS

        try:
            print_receipt(address[0], address[1], receipt,
                          columns=WIDTHS.get(settings.paper, 48), check_paper=True)
        except PrintError as exc:
            _err(f"pos-app: {exc} The payment itself is not affected.")
            return EXIT_FAILED
        print(f"Printed the confirmation of {args.reference} on {address[0]}:{address[1]}.")
        return EXIT_OK
    _qt_for_painting()
    from pos_app.ui.printing import Output, PrintFailed, print_receipt_job

    output = (Output(pdf=args.pdf, paper=settings.paper) if args.pdf is not None
              else Output(printer=args.print_to, paper=settings.paper))
    try:
        where = print_receipt_job(receipt, output)
    except PrintFailed as exc:
        _err(f"pos-app: {exc} The payment itself is not affected.")
        return EXIT_FAILED
    verb = "Saved" if args.pdf is not None else "Printed"
    print(f"{verb} the confirmation of {args.reference} to {where}.")
    return EXIT_OK


def report_json(report: Any, records: list[Any]) -> dict[str, Any]:
    """`pos-app report --json`: exactly the keys the operator interface names."""
    from pos_app.reports.zreport import sale_time

    by_channel: dict[str, dict[str, int]] = {}
    for r in records:
        if r.mode == report.mode and r.state.report_status == "PAID" and (
                (report.day is not None and sale_time(r).date() == report.day)
                or (report.day is None and r.shift == report.shift)):
            key = (r.channel or "").strip().upper() or "UNKNOWN"
            slot = by_channel.setdefault(key, {"count": 0, "tzs": 0})
            slot["count"] += 1
            slot["tzs"] += r.amount_tzs
    return {
        "date": report.day.isoformat() if report.day else None,
        "mode": report.mode,
        "paid_count": report.paid.count,
        "paid_tzs": report.paid.amount_tzs,
        "failed_count": report.status("FAILED").count,
        "unresolved_count": report.status("UNRESOLVED").count,
        "attention_count": report.status("NEEDS_ATTENTION").count,
        "by_channel": by_channel,
        "by_hour": {f"{b.hour:02d}": {"count": b.count, "tzs": b.amount_tzs}
                    for b in report.hours},
    }


def _write_json(path: Path, data: object) -> None:
    import json

    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def _report_command(args: argparse.Namespace) -> int:
    from datetime import date as date_type
    from datetime import datetime

    from pos_app import paths
    from pos_app.journal import JournalError
    from pos_app.reports.zreport import ReportError, build_report, report_text
    from pos_app.settings import load_settings

    training = bool(getattr(args, "training", False))
    mode = "training" if training else "live"
    day = _parse_day(args.date, "--date")
    if args.shift is None and day is None:
        day = date_type.today()
    settings, _problems = load_settings(paths.settings_file())
    try:
        journal = _journal_for(training)
        records = []
        if journal is not None:
            try:
                if args.shift is not None:
                    if journal.shift(args.shift) is None:
                        _err(f"pos-app: there is no shift {args.shift} in the "
                             f"{mode} journal.")
                        return EXIT_FAILED
                    records = journal.in_shift(args.shift)
                else:
                    records = journal.attempts(day, day)
            finally:
                journal.close()
        elif args.shift is not None:
            _err(f"pos-app: there is no shift {args.shift} in the {mode} journal.")
            return EXIT_FAILED
        report = build_report(records, day=day if args.shift is None else None,
                              shift=args.shift, mode=mode, title=settings.shop_name,
                              till_name=settings.till_name,
                              generated_at=datetime.now().astimezone())
    except (JournalError, ReportError) as exc:
        _err(f"pos-app: {exc}")
        return EXIT_FAILED
    print(report_text(report, 48), end="")
    try:
        if args.json is not None:
            _write_json(args.json, report_json(report, records))
        if args.pdf is not None:
            _qt_for_painting()
            from pos_app.reports.pdf import report_pdf

            data = report_pdf(report, paper_name="A4")
            tmp = args.pdf.with_name(args.pdf.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(args.pdf)
    except OSError as exc:
        _err(f"pos-app: cannot write {exc.filename}: {exc.strerror or exc}")
        return EXIT_FAILED
    return EXIT_OK


def _reconcile(args: argparse.Namespace) -> int:
    import time
    from datetime import date as date_type

    from pos_app import paths
    from pos_app.journal import JournalError
    from pos_app.settings import load_settings
    from pos_app.till import closing

    training = bool(getattr(args, "training", False))
    day = _parse_day(args.date, "--date") or date_type.today()
    settings, _problems = load_settings(paths.settings_file())
    base_url = getattr(args, "base_url", None) or settings.base_url
    limit = settings.reconcile_page_limit
    try:
        journal = _journal_for(training)
        if journal is None:
            from pos_app.journal import Journal

            journal = Journal(paths.journal_file(training),
                              mode="training" if training else "live")
    except JournalError as exc:
        _err(f"pos-app: {exc}")
        return EXIT_FAILED
    gateway = None
    try:
        start, end = closing.margin_dates(day)
        cost = closing.estimate_cost(len(journal.attempts(start, end)), limit)
        print(f"This will use about {cost.calls} ClickPesa API call(s) ({cost.pages} page(s) "
              f"of up to {limit} payments and a token), more if other tills or payment links "
              "share the account. Accounts before KYC may make 100 calls a day.",
              file=sys.stderr)
        gateway = _reconcile_gateway(training, base_url, settings, journal)

        def progress(page: int, total: int | None) -> None:
            of = f" ({total} payments listed)" if total is not None else ""
            print(f"... page {page}{of}", file=sys.stderr)

        result = closing.reconcile_day(gateway, journal, day, limit=limit, sleep=time.sleep,
                                       on_page=progress)
    except closing.ReconcileFailed as exc:
        _err(f"pos-app: could not reconcile {day}: {exc}")
        return EXIT_FAILED
    except JournalError as exc:
        _err(f"pos-app: could not reconcile {day}: {exc}")
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 — a bad URL, TLS, no credentials: one line
        from pos_app.clickpesa.errors import ClickPesaError
        from pos_app.logs import mask

        reason = exc.reason if isinstance(exc, ClickPesaError) else \
            f"{type(exc).__name__}: {mask(str(exc))}"
        _err(f"pos-app: could not reconcile {day}: {reason}")
        return EXIT_FAILED
    finally:
        if gateway is not None:
            gateway.close()
        journal.close()
    print(closing.result_text(result), end="")
    if args.json is not None:
        try:
            _write_json(args.json, result.as_json())
        except OSError as exc:
            _err(f"pos-app: cannot write {args.json}: {exc.strerror or exc}")
            return EXIT_FAILED
    return EXIT_OK if result.is_clean else EXIT_MISMATCHES


def _reconcile_gateway(training: bool, base_url: str, settings: Settings,
                       journal: Any) -> Any:
    from pos_app.clickpesa.gateway import Credentials, Gateway

    if not training:
        from pos_app.credentials import CredentialStore

        return Gateway(base_url, CredentialStore().load, checksum_mode=settings.checksum_mode)
    # Training: the simulator lives only as long as a process, so it is given back the
    # pushes the training journal says it sent; its customers then end them as they would
    # have (by the number's last digit), and the day reconciles as a live one does.
    from datetime import datetime

    from pos_app.clickpesa.simulator import Simulator

    sim = Simulator()
    for r in journal.attempts():
        if r.clickpesa_id or r.state.name in ("PENDING", "PAID", "FAILED", "UNCERTAIN"):
            sim.remember(r.order_reference, r.phone, r.amount_tzs,
                         created_wall=datetime.fromisoformat(r.created_at),
                         clickpesa_id=r.clickpesa_id)
    return Gateway("https://simulator.training.invalid",
                   lambda: Credentials("TRAINING", "TRAINING-KEY"), transport=sim.transport())
