"""Shop-server test helpers (the fixtures are re-exported by conftest.py): a real PostgreSQL
(Debian's cluster, as root over its socket), a fresh database per test cloned from a migrated
template, servers on loopback, an owner who signs in.

The cluster is started when it is installed but not running; when PostgreSQL is not
installed at all the tests fail saying how to install it (`.ci/run` does).
"""

from __future__ import annotations

import getpass
import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pytest_postgresql.janitor import DatabaseJanitor

SOCKET_DIR = os.environ.get("POS_APP_TEST_PG_HOST", "/var/run/postgresql")
# The database role: the OS user running the tests (peer authentication over the socket) —
# root under .ci/run, the developer on a desktop (`sudo -u postgres createuser -s $USER`).
PG_USER = os.environ.get("POS_APP_TEST_PG_USER") or getpass.getuser()
PG_PORT = int(os.environ.get("POS_APP_TEST_PG_PORT", "5432"))
_names = itertools.count()
# 2026-12-01 21:30 UTC is already 2 December in Dar es Salaam (UTC+3): the shop's day.
FIXED_NOW = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)
SHOP_DAY = "2026-12-02"


def _can_connect() -> str | None:
    try:
        psycopg.connect(host=SOCKET_DIR, port=PG_PORT, user=PG_USER, dbname="postgres",
                        connect_timeout=5).close()
        return None
    except psycopg.OperationalError as exc:
        return str(exc).strip()


def ensure_cluster() -> None:
    problem = _can_connect()
    if problem is None:
        return
    if shutil.which("pg_ctlcluster") is None or shutil.which("pg_lsclusters") is None:
        pytest.fail("PostgreSQL is not installed: the shop server's tests need a real one. "
                    "On Debian: apt-get install -y postgresql (as .ci/run does). "
                    f"Connecting to {SOCKET_DIR} said: {problem}", pytrace=False)
    clusters = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True,
                              text=True).stdout.split()
    if len(clusters) >= 2:
        subprocess.run(["pg_ctlcluster", clusters[0], clusters[1], "start"],
                       capture_output=True, text=True)
    deadline = time.monotonic() + 30
    while (problem := _can_connect()) is not None and time.monotonic() < deadline:
        if "role" in problem and "does not exist" in problem:
            subprocess.run(["su", "postgres", "-c", f"createuser -s {PG_USER}"],
                           capture_output=True, text=True)
        time.sleep(0.2)
    if problem is not None:
        pytest.fail(f"PostgreSQL is installed but cannot be reached at {SOCKET_DIR} as "
                    f"{PG_USER}: {problem}. Start it with `pg_ctlcluster 15 main start` and "
                    f"create the role with `su postgres -c \"createuser -s {PG_USER}\"`.",
                    pytrace=False)


def url_for(dbname: str) -> str:
    return f"postgresql:///{dbname}?host={SOCKET_DIR}&port={PG_PORT}&user={PG_USER}"


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    ensure_cluster()
    from pos_app.server import db

    name = f"malipo_tpl_{os.getpid()}"
    janitor = DatabaseJanitor(user=PG_USER, host=SOCKET_DIR, port=PG_PORT, dbname=name,
                              as_template=True)
    janitor.drop()
    janitor.init()
    db.migrate(url_for(name))
    yield name
    janitor.drop()


@pytest.fixture
def database_url(pg_template: str) -> Iterator[str]:
    name = f"malipo_t_{os.getpid()}_{next(_names)}"
    janitor = DatabaseJanitor(user=PG_USER, host=SOCKET_DIR, port=PG_PORT, dbname=name,
                              template_dbname=pg_template)
    janitor.init()
    try:
        yield url_for(name)
    finally:
        janitor.drop()


@pytest.fixture
def conn(database_url: str) -> Iterator[psycopg.Connection]:
    from pos_app.server import db

    c = db.connect(database_url, autocommit=True)
    yield c
    c.close()


class Clock:
    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app_client(database_url: str, clock: Clock) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from pos_app.server.app import ServerConfig, create_app

    app = create_app(ServerConfig(database_url=database_url, now=clock))
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, deadline_s: float = 30.0) -> None:
    import httpx

    deadline = time.monotonic() + deadline_s
    last = ""
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.05)
    raise AssertionError(f"server at {base} not healthy within {deadline_s} s ({last})")


class ThreadServer:
    """uvicorn on a loopback port in this process (for the till-side tests)."""

    def __init__(self, database_url: str, now: Any = None, **config: Any) -> None:
        import uvicorn

        from pos_app.server.app import ServerConfig, create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cfg = ServerConfig(database_url=database_url, pool_max=4, **config)
        if now is not None:
            cfg.now = now
        config = uvicorn.Config(create_app(cfg), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on",
                                timeout_graceful_shutdown=1)  # open SSE streams end then
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> ThreadServer:
        self.thread.start()
        wait_healthy(self.url)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture
def live_server(database_url: str) -> Iterator[ThreadServer]:
    server = ThreadServer(database_url).start()
    yield server
    server.stop()


class ProcessServer:
    """`pos-app-server serve` as a child process: it can be killed and started again."""

    def __init__(self, database_url: str, port: int | None = None,
                 log: Path | None = None, extra: list[str] | None = None) -> None:
        self.database_url = database_url
        self.extra = extra or []
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ProcessServer:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pos_app.server", "serve", "--database", self.database_url,
             "--port", str(self.port), *self.extra], stdout=out, stderr=subprocess.STDOUT)
        wait_healthy(self.url)
        return self

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=15)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def add_till(database_url: str, name: str) -> str:
    from pos_app.server import db, store

    with db.connect(database_url, autocommit=True) as c, c.transaction():
        return store.add_till(c, name)


def join(client: Any, code: str) -> str:
    r = client.post("/api/v1/join", json={"code": code})
    assert r.status_code == 200, r.text
    return r.json()["secret"]


def enrolled(client: Any, database_url: str, name: str) -> dict[str, str]:
    """Authorization headers of a freshly joined till."""
    secret = join(client, add_till(database_url, name))
    return {"authorization": f"Bearer {secret}"}


def event(ref: str, seq: int, from_state: str | None, to_state: str, *,
          amount: int = 5000, mode: str = "live", at: str = "2026-12-02T00:35:00+03:00",
          channel: str = "", message: str = "", phone: str = "255712345678") -> dict[str, Any]:
    return {"event_id": f"{ref}:{seq}", "order_reference": ref, "seq": seq,
            "from_state": from_state, "to_state": to_state, "at": at, "detail": "",
            "attempt": {"mode": mode, "phone": phone, "amount_tzs": amount,
                        "created_at": "2026-12-02T00:30:00+03:00", "updated_at": at,
                        "state": to_state, "channel": channel, "message": message,
                        "clickpesa_id": "", "payment_reference": "", "network_hint": ""}}


def paid_attempt(ref: str, amount: int = 5000, channel: str = "M-PESA",
                 mode: str = "live") -> list[dict[str, Any]]:
    return [event(ref, 0, None, "NEW", amount=amount, mode=mode),
            event(ref, 1, "NEW", "PENDING", amount=amount, mode=mode, channel=channel),
            event(ref, 2, "PENDING", "PAID", amount=amount, mode=mode, channel=channel)]


# -- the owner ------------------------------------------------------------------------------

EMAIL, PASSWORD = "owner@duka.example", "correct horse battery staple"


@pytest.fixture
def owner(conn: psycopg.Connection) -> None:
    from pos_app.server import store

    with conn.transaction():
        store.add_owner(conn, EMAIL, PASSWORD)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, html[:500]
    return m.group(1)


def sign_in(client, email: str = EMAIL, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_of(page.text)}, follow_redirects=False)
