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

    chk = sub.add_parser("check", help="check settings, keyring, CA bundle and journal")
    chk.add_argument("--online", action="store_true",
                     help="also fetch a token from ClickPesa (one API call)")
    chk.add_argument("--base-url", metavar="URL", default=argparse.SUPPRESS,
                     help="ClickPesa API address for --online (default: from settings)")
    _training_flag(chk, "with --online, talk to the built-in simulator instead of ClickPesa")
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
