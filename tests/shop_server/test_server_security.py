"""Dashboard sessions, CSRF and the sign-in rate limit; no secret in clear in the database, the
logs or an export; a till's secret opens no dashboard page."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import psycopg

from shop_server.support import (
    EMAIL,
    PASSWORD,
    SHOP_DAY,
    add_till,
    csrf_of,
    enrolled,
    join,
    paid_attempt,
    sign_in,
)


def test_the_dashboard_leads_to_its_sign_in_page(app_client) -> None:
    r = app_client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    page = app_client.get("/login")
    assert 'type="email"' in page.text and 'type="password"' in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_signing_in_sets_a_secure_http_only_session_cookie(app_client, owner) -> None:
    r = sign_in(app_client)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = next(h for h in r.headers.get_list("set-cookie")
                  if h.startswith("__Host-malipo_session="))
    for attribute in ("Secure", "HttpOnly", "SameSite=lax", "Path=/"):
        assert attribute.lower() in cookie.lower(), cookie
    assert EMAIL in app_client.get("/").text


def test_sign_in_without_the_forms_csrf_token_is_refused(app_client, owner) -> None:
    app_client.get("/login")
    r = app_client.post("/login", data={"email": EMAIL, "password": PASSWORD,
                                        "csrf_token": "forged"}, follow_redirects=False)
    assert r.status_code == 403
    assert app_client.get("/", follow_redirects=False).status_code == 303


def test_every_dashboard_form_needs_the_sessions_csrf_token(app_client, owner) -> None:
    sign_in(app_client)
    page = app_client.get("/")
    csrf = csrf_of(page.text)
    assert page.text.count(f'value="{csrf}"') == 2  # sign out and export
    for path, data in (("/export", {"day": SHOP_DAY}), ("/logout", {})):
        r = app_client.post(path, data={**data, "csrf_token": "not-it"})
        assert r.status_code == 403, path
        r = app_client.post(path, data=data)
        assert r.status_code == 403, path
    assert app_client.get("/", follow_redirects=False).status_code == 200  # still signed in
    r = app_client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert app_client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_attempts_are_rate_limited(app_client, owner, clock) -> None:
    for _ in range(5):
        assert sign_in(app_client, password="wrong password!").status_code == 401
    blocked = sign_in(app_client)  # even the right password, for a while
    assert blocked.status_code == 429 and "15" in blocked.text
    clock.now += timedelta(minutes=16)
    assert sign_in(app_client).status_code == 303


def test_a_wrong_email_takes_the_same_answer_as_a_wrong_password(app_client, owner) -> None:
    a = sign_in(app_client, email="nobody@duka.example")
    b = sign_in(app_client, password="wrong password!")
    assert a.status_code == b.status_code == 401
    assert "Wrong e-mail or password." in a.text and "Wrong e-mail or password." in b.text


def test_a_tills_secret_opens_no_dashboard_page(app_client, database_url, owner) -> None:
    auth = enrolled(app_client, database_url, "Till 1")
    assert app_client.get("/", headers=auth, follow_redirects=False).status_code == 303
    assert app_client.get("/dashboard/latest.json", headers=auth).status_code == 401
    r = app_client.post("/export", headers=auth, data={"day": SHOP_DAY},
                        follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_a_session_cookie_is_no_till_secret(app_client, owner) -> None:
    sign_in(app_client)
    token = app_client.cookies.get("__Host-malipo_session")
    r = app_client.post("/api/v1/events", json={"events": []},
                        headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 401


def _everything_in(conn: psycopg.Connection) -> str:
    """Every table of the ledger as text."""
    tables = [r["tablename"] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname='public'")]
    dump = []
    for t in tables:
        for row in conn.execute(f'SELECT * FROM "{t}"'):
            dump.append(repr(row))
    return "\n".join(dump)


def test_no_secret_in_the_database_logs_or_export_in_clear(
        app_client, database_url, conn, owner, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    code = add_till(database_url, "Till 1")
    secret = join(app_client, code)
    auth = {"authorization": f"Bearer {secret}"}
    events = paid_attempt("MSEC1")
    r = app_client.post("/api/v1/events", json={"events": events}, headers=auth)
    assert r.status_code == 200
    sign_in(app_client)
    sign_in(app_client, password="a wrong password")  # a failure is logged too
    csrf = csrf_of(app_client.get("/").text)
    export = app_client.post("/export", data={"day": SHOP_DAY, "csrf_token": csrf})
    assert export.status_code == 200 and "MSEC1" in export.text
    dump = _everything_in(conn)
    assert "MSEC1" in dump  # the dump does see the ledger
    logs = caplog.text
    for value in (secret, secret[len("mpt_"):], code, code.replace("-", ""), PASSWORD,
                  "a wrong password",
                  app_client.cookies.get("__Host-malipo_session")):
        assert value not in dump, value
        assert value not in logs, value
        assert value not in export.text, value
    # What is stored instead: hashes.
    till = conn.execute("SELECT secret_hash FROM tills").fetchone()
    assert re.fullmatch(r"[0-9a-f]{64}", till["secret_hash"])
    assert conn.execute("SELECT password_hash FROM owners").fetchone()[
        "password_hash"].startswith("$argon2id$")
