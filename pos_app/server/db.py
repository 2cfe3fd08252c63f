"""The shop server's PostgreSQL: the database URL, the connection pool and the migrations.

The URL is a libpq one (`postgresql://user@host/db`, `postgresql:///db?host=/var/run/postgresql`)
given as `--database` or in POS_APP_SERVER_DATABASE_URL. It may carry a password: it is never
printed or logged as given, only `redact`ed.

Migrations are yoyo-migrations SQL files in pos_app/server/migrations, applied under yoyo's own
lock, so two server processes (or two operators) migrating at once do not collide.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

ENV_DATABASE_URL = "POS_APP_SERVER_DATABASE_URL"


class DatabaseProblem(Exception):
    """The database cannot be used; the message says why in words (never the password)."""


def database_url(given: str | None) -> str:
    url = (given or os.environ.get(ENV_DATABASE_URL, "")).strip()
    if not url:
        raise DatabaseProblem(f"No database given: use --database URL or set {ENV_DATABASE_URL} "
                              "(e.g. postgresql:///malipo?host=/var/run/postgresql).")
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise DatabaseProblem(f"'{redact(url)}' is not a PostgreSQL URL (it must start with "
                              "postgresql://).")
    return url


def redact(url: str) -> str:
    """The URL with any password replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unreadable URL)"
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}{port}", parts.path, parts.query, ""))


def connect(url: str, **kwargs: object) -> psycopg.Connection:
    try:
        return psycopg.connect(url, row_factory=dict_row, **kwargs)  # type: ignore[arg-type]
    except psycopg.OperationalError as exc:
        raise DatabaseProblem(f"Cannot connect to the database {redact(url)}: "
                              f"{_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def make_pool(url: str, *, min_size: int = 1, max_size: int = 10) -> ConnectionPool:
    pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=False,
                          kwargs={"row_factory": dict_row}, name="pos-app-server")
    try:
        pool.open(wait=True, timeout=15)
    except Exception as exc:  # noqa: BLE001 — psycopg_pool.PoolTimeout and friends
        pool.close()
        raise DatabaseProblem(f"Cannot connect to the database {redact(url)}: "
                              f"{_first_line(exc)}") from None
    return pool


def migrations_dir() -> Path:
    return Path(str(resources.files("pos_app.server") / "migrations"))


def _yoyo_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql+psycopg", *parts[1:]))


def migrate(url: str) -> list[str]:
    """Apply every migration not yet applied; return their ids."""
    from yoyo import get_backend, read_migrations

    try:
        backend = get_backend(_yoyo_url(url))
    except psycopg.OperationalError as exc:
        raise DatabaseProblem(f"Cannot connect to the database {redact(url)}: "
                              f"{_first_line(exc)}") from None
    try:
        migrations = read_migrations(str(migrations_dir()))
        with backend.lock():
            todo = backend.to_apply(migrations)
            backend.apply_migrations(todo)
        return [m.id for m in todo]
    finally:
        backend.connection.close()


def pending_migrations(url: str) -> list[str]:
    from yoyo import get_backend, read_migrations

    backend = get_backend(_yoyo_url(url))
    try:
        return [m.id for m in backend.to_apply(read_migrations(str(migrations_dir())))]
    finally:
        backend.connection.close()


@contextmanager
def transaction(pool: ConnectionPool) -> Iterator[psycopg.Connection]:
    with pool.connection() as conn, conn.transaction():
        yield conn
