"""Shop-server fixtures: a real PostgreSQL database per test, servers on loopback, an owner.

A package (tests/shop_server/__init__.py), so that this conftest and tests/conftest.py do not
both import as `conftest`; the helpers live in shop_server.support.
"""

from __future__ import annotations

from shop_server.support import (  # noqa: F401 — fixtures
    app_client,
    clock,
    conn,
    database_url,
    live_server,
    owner,
    pg_template,
)
