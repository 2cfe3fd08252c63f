"""`pos-app-server` as the operator runs it: the installed console script, exact names."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shop_server.support import paid_attempt

SCRIPT = Path(sys.executable).parent / "pos-app-server"


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "POS_APP_SERVER_DATABASE_URL"}
    full_env.update(env or {})
    return subprocess.run([str(SCRIPT), *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=full_env)


@pytest.fixture
def empty_database(database_url: str):
    """A database with no tables at all (the test template is already migrated)."""
    import psycopg

    from shop_server.support import PG_PORT, PG_USER, SOCKET_DIR, url_for

    name = database_url.split("///")[1].split("?")[0] + "_empty"
    with psycopg.connect(host=SOCKET_DIR, port=PG_PORT, user=PG_USER, dbname="postgres",
                         autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    yield url_for(name)
    with psycopg.connect(host=SOCKET_DIR, port=PG_PORT, user=PG_USER, dbname="postgres",
                         autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_console_script_is_installed() -> None:
    assert SCRIPT.exists(), "pip install -e '.[server]' makes pos-app-server"
    r = run("--help")
    assert r.returncode == 0
    for command in ("migrate", "serve", "owner", "till", "export"):
        assert command in r.stdout


def test_migrate_then_commands_need_no_second_migrate(empty_database: str) -> None:
    r = run("till", "list", "--database", empty_database)
    assert r.returncode == 1 and "pos-app-server migrate" in r.stderr
    r = run("migrate", "--database", empty_database)
    assert r.returncode == 0, r.stderr
    assert "0001_ledger" in r.stdout
    again = run("migrate", "--database", empty_database)
    assert again.returncode == 0 and "up to date" in again.stdout


def test_the_database_url_may_come_from_the_environment(database_url: str) -> None:
    r = run("till", "add", "Till 1", env={"POS_APP_SERVER_DATABASE_URL": database_url})
    assert r.returncode == 0, r.stderr
    r = run("till", "list")
    assert r.returncode == 1 and "POS_APP_SERVER_DATABASE_URL" in r.stderr


def test_till_add_prints_a_one_time_code_and_list_and_revoke(database_url: str) -> None:
    r = run("till", "add", "Counter 1", "--database", database_url)
    assert r.returncode == 0, r.stderr
    codes = re.findall(r"^code: ([0-9A-Z]{4}-[0-9A-Z]{4})$", r.stdout, re.M)
    assert len(codes) == 1
    listed = run("till", "list", "--database", database_url)
    assert "Counter 1" in listed.stdout and "waiting to join" in listed.stdout
    revoked = run("till", "revoke", "Counter 1", "--database", database_url)
    assert revoked.returncode == 0
    assert "revoked" in run("till", "list", "--database", database_url).stdout
    unknown = run("till", "revoke", "Nobody", "--database", database_url)
    assert unknown.returncode == 2 and "No till named 'Nobody'" in unknown.stderr
    again = run("till", "add", "Counter 1", "--database", database_url)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_owner_add_reads_the_password_from_stdin(database_url: str, conn) -> None:
    r = run("owner", "add", "Mama@Duka.example", "--database", database_url,
            stdin="a long enough password\n")
    assert r.returncode == 0, r.stderr
    assert "a long enough password" not in r.stdout + r.stderr
    row = conn.execute("SELECT email, password_hash FROM owners").fetchone()
    assert row["email"] == "mama@duka.example"
    assert row["password_hash"].startswith("$argon2id$")
    short = run("owner", "add", "b@duka.example", "--database", database_url, stdin="short\n")
    assert short.returncode == 2 and "at least" in short.stderr
    empty = run("owner", "add", "c@duka.example", "--database", database_url, stdin="")
    assert empty.returncode == 2


def test_export_a_day_with_the_exact_header(database_url: str, app_client, tmp_path) -> None:
    from shop_server.support import enrolled

    auth = enrolled(app_client, database_url, "Till 1")
    app_client.post("/api/v1/events", json={"events": paid_attempt("MCLI1")}, headers=auth)
    out = tmp_path / "day.csv"
    r = run("export", "--database", database_url, "--date", "2026-12-02", "--out", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ("created_at,order_reference,phone,amount_tzs,status,"
                                    "channel,clickpesa_id,message,mode,till")
    rows = list(csv.DictReader(text.splitlines()))
    assert [(x["order_reference"], x["status"], x["till"]) for x in rows] == [
        ("MCLI1", "PAID", "Till 1")]
    bad = run("export", "--database", database_url, "--date", "2.12.2026", "--out", str(out))
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_a_bad_database_url_is_said_without_its_password() -> None:
    r = run("till", "list", "--database", "mysql://u:hunter22@h/db")
    assert r.returncode == 1 and "PostgreSQL" in r.stderr and "hunter22" not in r.stderr
    r = run("till", "list", "--database",
            "postgresql://u:hunter22@127.0.0.1:1/nope?connect_timeout=3")
    assert r.returncode == 1 and "Cannot connect" in r.stderr
    assert "hunter22" not in r.stderr and "***" in r.stderr


def test_settings_timezone_is_checked(database_url: str) -> None:
    r = run("settings", "--database", database_url, "--timezone", "Mars/Olympus")
    assert r.returncode == 2 and "time zone" in r.stderr
    r = run("settings", "--database", database_url, "--timezone", "Africa/Nairobi",
            "--kyc-verified", "yes")
    assert r.returncode == 0 and "timezone = Africa/Nairobi" in r.stdout


def test_serve_refuses_a_checksum_key_file_others_can_read(database_url: str,
                                                          tmp_path: Path) -> None:
    key = tmp_path / "checksum.key"
    key.write_text("CKsome-key-value-0001\n")
    key.chmod(0o644)
    r = run("serve", "--database", database_url, "--port", "1", "--checksum-key-file", str(key))
    assert r.returncode == 1 and "chmod 600" in r.stderr
    assert "CKsome-key-value-0001" not in r.stderr + r.stdout
    r = run("serve", "--database", database_url, "--checksum-mode", "sloppy")
    assert r.returncode == 2 and "canonical" in r.stderr


def test_serve_with_a_legacy_checksum_key_accepts_legacy_signed_webhooks(
        database_url: str, tmp_path: Path) -> None:
    import httpx

    from pos_app.clickpesa.checksum import legacy_checksum
    from shop_server.support import ProcessServer

    key = tmp_path / "checksum.key"
    key.write_text("CKlegacy-key-0001")
    key.chmod(0o600)
    env_url = {"POS_APP_SERVER_CHECKSUM_KEY_FILE": str(key)}
    server = ProcessServer(database_url, log=tmp_path / "serve.log",
                           extra=["--checksum-mode", "legacy"])
    old = dict(os.environ)
    os.environ.update(env_url)  # the key file from the environment
    try:
        server.start()
    finally:
        os.environ.clear()
        os.environ.update(old)
    try:
        body = {"eventType": "PAYMENT RECEIVED", "orderReference": "MLEG1", "status": "SUCCESS"}
        r = httpx.post(f"{server.url}/clickpesa/webhook",
                       json={**body, "checksum": legacy_checksum(body, "CKlegacy-key-0001")})
        assert r.status_code == 200 and r.json()["stored"] is True
        assert "webhooks on, legacy" in (tmp_path / "serve.log").read_text()
    finally:
        server.stop()
    assert "CKlegacy-key-0001" not in (tmp_path / "serve.log").read_text()
