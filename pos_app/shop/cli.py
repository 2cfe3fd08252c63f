"""`pos-app shop join URL --code CODE`, `pos-app shop status`, `pos-app shop leave`,
`pos-app shop sync [--forever]`; and the shop line of `pos-app check`.

No Qt, no secret printed: the till's secret goes from the server's answer straight into the
keyring.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    print(f"pos-app: {message}", file=sys.stderr)


def add_parser(sub: Any) -> None:
    shop = sub.add_parser("shop", help="join this till to the shop server, or leave it",
                          description="A shop server keeps one ledger for all tills of a "
                                      "shop. The till keeps working without it.")
    ssub = shop.add_subparsers(dest="action", metavar="ACTION", required=True)
    join = ssub.add_parser("join", help="join the shop server with the owner's one-time code")
    join.add_argument("url", metavar="URL", help="the shop server, e.g. https://shop.example")
    join.add_argument("--code", required=True, metavar="CODE",
                      help="the code from `pos-app-server till add NAME` (XXXX-XXXX)")
    ssub.add_parser("status", help="say whether this till has joined, its backlog and last sync")
    ssub.add_parser("leave", help="forget the shop server and this till's secret")
    sync = ssub.add_parser("sync", help="send the journal's unsent events to the shop server now")
    sync.add_argument("--forever", action="store_true",
                      help="keep sending as the till journals (stop with Ctrl+C)")


def run(args: argparse.Namespace) -> int:
    actions: dict[str, Callable[[argparse.Namespace], int]] = {
        "join": _join, "status": _status, "leave": _leave, "sync": _sync}
    return actions[args.action](args)


def _join(args: argparse.Namespace) -> int:
    from pos_app.credentials import KeyringUnavailable, usable_backend
    from pos_app.shop import config, secret
    from pos_app.shop.client import ShopClient, ShopRefused, ShopUnreachable
    from pos_app.shop.config import BadServerUrl

    try:
        url = config.normalise_server_url(args.url)
    except BadServerUrl as exc:
        _err(str(exc))
        return EXIT_USAGE
    try:
        usable_backend()  # before spending the one-time code on a secret we could not keep
    except KeyringUnavailable as exc:
        _err(f"{exc}\nThe code was not used; nothing changed.")
        return EXIT_FAILED
    try:
        with ShopClient(url) as client:
            name, till_secret = client.join(args.code)
    except ShopRefused as exc:
        _err(f"the shop server refused the code: {exc}")
        return EXIT_FAILED
    except ShopUnreachable as exc:
        _err(f"{exc} Check the address and the network; the code was not used.")
        return EXIT_FAILED
    try:
        secret.save_secret(till_secret)
    except KeyringUnavailable as exc:
        _err(f"{exc}\nAsk the owner for a new code and join again.")
        return EXIT_FAILED
    config.write_server_url(url)
    state = config.ShopState(till_name=name, server_url=url,
                             joined_at=_now().isoformat(timespec="seconds"))
    config.save_state(state)
    print(f"Joined the shop server {url} as till '{name}'. The secret is in the keyring.")
    result = _sender(url, till_secret).sync_once()
    if result.ok:
        print(f"Sent {result.sent} event(s) from the journal; backlog {result.backlog}.")
    else:
        print(f"Not sent yet ({result.error}); the till keeps trying. Backlog {result.backlog}.")
    return EXIT_OK


def _now():  # noqa: ANN202
    from pos_app.shop.sender import local_now

    return local_now()


def _sender(url: str, till_secret: str):  # noqa: ANN202
    from pos_app import paths
    from pos_app.shop.client import ShopClient
    from pos_app.shop.sender import Sender

    return Sender(paths.journal_file(False), ShopClient(url, till_secret))


def summary() -> tuple[bool, str]:
    """(ok, one line) for `pos-app check` and `pos-app shop status`: offline, no network."""
    from pos_app import paths
    from pos_app.shop import config
    from pos_app.shop.outbox import Outbox

    url, problem = config.read_server_url()
    if problem and problem.startswith(config.UNREADABLE):
        return True, f"not known: {problem} (see Settings)"  # one failure, said once
    if problem:
        return False, problem
    state = config.load_state()
    backlog = 0
    journal = paths.journal_file(False)
    if journal.exists():
        try:
            with Outbox(journal) as outbox:
                backlog = outbox.backlog()
        except Exception as exc:  # noqa: BLE001 — sqlite3.Error and a broken file alike
            return False, f"the journal's outbox cannot be read ({type(exc).__name__})"
    if url is None:
        return True, f"not joined to a shop server; {backlog} event(s) kept for when it joins"
    if state.revoked:
        return False, (f"{url}: this till was revoked by the owner; {backlog} event(s) not "
                       "sent. Ask the owner for a new code and join again.")
    last = state.last_sync_at or "never"
    line = f"{url} as '{state.till_name or '?'}'; backlog {backlog} event(s); last sync {last}"
    if state.last_error:
        line += f"; last try failed: {state.last_error}"
    return True, line


def _status(args: argparse.Namespace) -> int:
    from pos_app.credentials import KeyringUnavailable
    from pos_app.shop import config, secret
    from pos_app.shop.client import ShopClient, ShopRefused, ShopUnreachable

    ok, line = summary()
    print(f"Shop server: {line}")
    url, _ = config.read_server_url()
    if url is None:
        return EXIT_OK if ok else EXIT_FAILED
    try:
        till_secret = secret.load_secret()
    except KeyringUnavailable as exc:
        print(f"Till secret: cannot be read: {exc}")
        return EXIT_FAILED
    print(f"Till secret stored: {'yes' if till_secret else 'no'}")
    if not till_secret:
        return EXIT_FAILED
    try:
        with ShopClient(url, till_secret, timeout=5.0) as client:
            me = client.me()
        print(f"Server: reachable; knows this till as '{me.get('till')}', "
              f"{me.get('events')} event(s) received")
    except ShopRefused as exc:
        print(f"Server: refused this till: {exc}")
        return EXIT_FAILED
    except ShopUnreachable as exc:
        print(f"Server: {exc} The till keeps its events and sends them later.")
    return EXIT_OK if ok else EXIT_FAILED


def _leave(args: argparse.Namespace) -> int:
    from pos_app.credentials import KeyringUnavailable
    from pos_app.shop import config, secret

    url, _ = config.read_server_url()
    state = config.load_state()
    try:
        removed = secret.delete_secret()
    except KeyringUnavailable as exc:
        _err(f"{exc}\nNothing changed.")
        return EXIT_FAILED
    config.write_server_url(None)
    config.clear_state()
    if url is None and not removed:
        print("This till had not joined a shop server; nothing to do.")
        return EXIT_OK
    name = f" '{state.till_name}'" if state.till_name else ""
    print(f"Left the shop server {url or ''}: the till{name} forgot its secret. The owner can "
          "revoke it with: pos-app-server till revoke NAME")
    return EXIT_OK


def _sync(args: argparse.Namespace) -> int:
    import threading

    from pos_app.credentials import KeyringUnavailable
    from pos_app.shop import config, secret

    url, problem = config.read_server_url()
    if url is None:
        _err(problem or "this till has not joined a shop server (pos-app shop join URL "
             "--code CODE).")
        return EXIT_FAILED
    try:
        till_secret = secret.load_secret()
    except KeyringUnavailable as exc:
        _err(str(exc))
        return EXIT_FAILED
    if not till_secret:
        _err("the till's shop secret is not in the keyring; join again.")
        return EXIT_FAILED
    sender = _sender(url, till_secret)
    if args.forever:
        stop = threading.Event()
        try:
            sender.run(stop)
        except KeyboardInterrupt:
            stop.set()
        return EXIT_OK
    result = sender.sync_once()
    if result.ok:
        print(f"Sent {result.sent} event(s); backlog {result.backlog}.")
        return EXIT_OK
    _err(f"{result.error} Backlog {result.backlog}; nothing is lost.")
    return EXIT_FAILED
