"""`pos-app-server`: migrate, serve, owners, tills, settings and the day's CSV export.

Every command takes `--database URL` (or POS_APP_SERVER_DATABASE_URL). Exit codes: 0 done,
1 failed (the message says why), 2 a bad value on the command line. No secret is printed
except the one-time enrolment code of `till add`, which is meant to be read out.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from pos_app import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    print(f"pos-app-server: {message}", file=sys.stderr)


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database", metavar="URL", default=None,
                   help="PostgreSQL URL (default: $POS_APP_SERVER_DATABASE_URL)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pos-app-server",
        description="Malipo POS shop server: one ledger on PostgreSQL for every till of a "
                    "shop, and the owner's dashboard.")
    parser.add_argument("--version", action="version", version=f"pos-app-server {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    m = sub.add_parser("migrate", help="create or update the database tables")
    _db_arg(m)

    s = sub.add_parser("serve", help="run the web server (API for tills, owner's dashboard)")
    _db_arg(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                   "127.0.0.1: put a TLS reverse proxy in front)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--checksum-key-file", metavar="FILE", default=None,
                   help="the ClickPesa account's checksum key, readable by this user only "
                        "(default: $POS_APP_SERVER_CHECKSUM_KEY_FILE); without it "
                        "/clickpesa/webhook refuses every call")
    s.add_argument("--checksum-mode", choices=("canonical", "legacy"), default="canonical",
                   help="how ClickPesa signs the webhooks (default canonical)")
    s.add_argument("--checksum-header", metavar="NAME", action="append", default=[],
                   help="also accept the signature in this header when the body has none "
                        "(seen in third-party code; not documented by ClickPesa)")

    o = sub.add_parser("owner", help="owners who may sign in to the dashboard")
    osub = o.add_subparsers(dest="action", metavar="ACTION", required=True)
    oa = osub.add_parser("add", help="add an owner (or set a new password); the password "
                         "comes from standard input, or is asked for without echo")
    oa.add_argument("email")
    _db_arg(oa)

    t = sub.add_parser("till", help="add, list and revoke tills")
    tsub = t.add_subparsers(dest="action", metavar="ACTION", required=True)
    ta = tsub.add_parser("add", help="add a till; prints its one-time code")
    ta.add_argument("name")
    _db_arg(ta)
    tl = tsub.add_parser("list", help="list the tills")
    _db_arg(tl)
    tr = tsub.add_parser("revoke", help="revoke a till: it can no longer send")
    tr.add_argument("name")
    _db_arg(tr)

    e = sub.add_parser("export", help="write one shop day's attempts to a CSV file")
    _db_arg(e)
    e.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the shop's local day")
    e.add_argument("--out", required=True, metavar="FILE.csv", type=Path)

    st = sub.add_parser("settings", help="show or change the shop's settings")
    _db_arg(st)
    st.add_argument("--timezone", metavar="ZONE",
                    help="the shop's time zone, which decides its day (default "
                         "Africa/Dar_es_Salaam)")
    st.add_argument("--kyc-verified", choices=("yes", "no"),
                    help="is the ClickPesa account verified (no daily cap of API calls)?")
    st.add_argument("--daily-call-cap", type=int, metavar="N",
                    help="API calls a day before verification (default 100)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    from pos_app.server import db, store

    try:
        url = db.database_url(args.database)
        if args.command == "migrate":
            return _migrate(url)
        if args.command == "serve":
            return _serve(url, args)
        if args.command == "owner":
            return _owner_add(url, args.email)
        if args.command == "till":
            return {"add": _till_add, "list": _till_list, "revoke": _till_revoke}[
                args.action](url, args)
        if args.command == "export":
            return _export(url, args)
        if args.command == "settings":
            return _settings(url, args)
    except db.DatabaseProblem as exc:
        _err(str(exc))
        return EXIT_FAILED
    except store.StoreProblem as exc:
        _err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted.")
        return 130
    return EXIT_USAGE  # pragma: no cover


def _migrate(url: str) -> int:
    from pos_app.server import db

    applied = db.migrate(url)
    print(f"Applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied
                                                    else "; the database is up to date."))
    return EXIT_OK


def _ready(url: str):  # noqa: ANN202 — a psycopg connection
    """A connection to a database that has been migrated, or DatabaseProblem saying so."""
    from pos_app.server import db

    conn = db.connect(url, autocommit=True)
    row = conn.execute("SELECT to_regclass('public.tills') AS t").fetchone()
    if row["t"] is None:
        conn.close()
        raise db.DatabaseProblem(f"The database {db.redact(url)} has no shop tables yet: run "
                                 "pos-app-server migrate --database URL first.")
    return conn


def _serve(url: str, args: argparse.Namespace) -> int:
    import uvicorn

    from pos_app.clickpesa.checksum import ChecksumMode
    from pos_app.server import db, webhooks
    from pos_app.server.app import ServerConfig, create_app

    try:
        key = webhooks.load_key(args.checksum_key_file)
    except webhooks.KeyProblem as exc:
        _err(str(exc))
        return EXIT_FAILED
    webhook = None if key is None else webhooks.WebhookConfig(
        key, ChecksumMode(args.checksum_mode), tuple(args.checksum_header))
    _ready(url).close()
    pending = db.pending_migrations(url)
    if pending:
        raise db.DatabaseProblem("The database needs migrating first (pos-app-server migrate): "
                                 + ", ".join(pending))
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(ServerConfig(database_url=url, webhook=webhook))
    print(f"Serving the shop on http://{args.host}:{args.port} (database {db.redact(url)}; "
          f"webhooks {'on, ' + args.checksum_mode if webhook else 'off: no checksum key'})",
          flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=False,
                proxy_headers=True, server_header=False,
                timeout_graceful_shutdown=5)  # tills' open streams: they reconnect elsewhere
    return EXIT_OK


def _read_password(prompt: str) -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        first = getpass.getpass(f"{prompt}: ")
        second = getpass.getpass(f"{prompt} again: ")
        if first != second:
            raise _Mismatch()
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


class _Mismatch(Exception):
    pass


def _owner_add(url: str, email: str) -> int:
    from pos_app.server import store

    email = store.clean_email(email)  # before asking for a password
    conn = _ready(url)
    try:
        try:
            password = _read_password("Password")
        except _Mismatch:
            _err("the two passwords differ; nothing was stored.")
            return EXIT_USAGE
        if not password:
            _err("no password given (on the first line of standard input, or typed); "
                 "nothing was stored.")
            return EXIT_USAGE
        with conn.transaction():
            added = store.add_owner(conn, email, password)
    finally:
        conn.close()
    print(f"Owner {email} {'added' if added else 'updated: new password, signed out everywhere'}.")
    return EXIT_OK


def _till_add(url: str, args: argparse.Namespace) -> int:
    from pos_app.server import store

    conn = _ready(url)
    try:
        with conn.transaction():
            code = store.add_till(conn, args.name)
    finally:
        conn.close()
    name = store.clean_till_name(args.name)
    print(f"Till '{name}' added. On that till run: pos-app shop join URL --code CODE")
    print("The code can be used once, within 24 hours.")
    print(f"code: {code}")
    return EXIT_OK


def _till_list(url: str, args: argparse.Namespace) -> int:
    from pos_app.server import store

    conn = _ready(url)
    try:
        tills = store.list_tills(conn)
    finally:
        conn.close()
    if not tills:
        print("No tills yet. Add one with: pos-app-server till add NAME")
        return EXIT_OK
    width = max(len(t.name) for t in tills)
    for t in tills:
        seen = t.last_seen_at.isoformat(timespec="seconds") if t.last_seen_at else "never"
        print(f"{t.name.ljust(width)}  {t.state:<15}  last seen {seen}")
    return EXIT_OK


def _till_revoke(url: str, args: argparse.Namespace) -> int:
    from pos_app.server import store

    conn = _ready(url)
    try:
        with conn.transaction():
            till = store.revoke_till(conn, args.name)
    finally:
        conn.close()
    print(f"Till '{till.name}' is revoked: the server refuses it from now on.")
    return EXIT_OK


def _export(url: str, args: argparse.Namespace) -> int:
    from pos_app.server import store
    from pos_app.server.export import write_csv

    try:
        day = date.fromisoformat(args.date.strip())
    except ValueError:
        _err(f"--date '{args.date}' is not a date in the form YYYY-MM-DD.")
        return EXIT_USAGE
    conn = _ready(url)
    try:
        rows = store.day_rows(conn, day)
    finally:
        conn.close()
    out: Path = args.out
    tmp = out.with_name(out.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            n = write_csv(rows, f)
        tmp.replace(out)
    except OSError as exc:
        _err(f"cannot write {out}: {exc.strerror or exc}")
        return EXIT_FAILED
    print(f"Wrote {n} attempt(s) of {day.isoformat()} to {out}.")
    return EXIT_OK


def _settings(url: str, args: argparse.Namespace) -> int:
    from pos_app.server import store

    conn = _ready(url)
    try:
        with conn.transaction():
            if args.timezone is not None:
                store.check_timezone(args.timezone.strip())
                store.set_setting(conn, "timezone", args.timezone.strip())
            if args.kyc_verified is not None:
                store.set_setting(conn, "kyc_verified", args.kyc_verified)
            if args.daily_call_cap is not None:
                if not 0 < args.daily_call_cap < 10**6:
                    raise store.StoreProblem("--daily-call-cap must be a positive number.")
                store.set_setting(conn, "daily_call_cap", str(args.daily_call_cap))
        rows = conn.execute("SELECT key, value FROM shop_settings ORDER BY key").fetchall()
    finally:
        conn.close()
    for r in rows:
        print(f"{r['key']} = {r['value']}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
