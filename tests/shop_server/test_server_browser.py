"""The owner's dashboard in a real browser: Debian's Chromium, headless, driven by Playwright.

Signs in through the form, reads today's totals, sees a new payment appear without a
reload, exports the day, switches to Kiswahili, and fits a phone's screen. The screenshot it
takes is the README's (kept in docs/images when POS_APP_SAVE_SCREENSHOTS=1).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest

from pos_app.server import db, store
from shop_server.support import FIXED_NOW, SHOP_DAY, Clock, ThreadServer, add_till, paid_attempt

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
EMAIL, PASSWORD = "mama@duka.example", "a long enough password"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (as .ci/run does).",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def shop(database_url: str):
    server = ThreadServer(database_url, now=Clock(FIXED_NOW)).start()
    with db.connect(database_url, autocommit=True) as c, c.transaction():
        store.add_owner(c, EMAIL, PASSWORD)
    secrets = {}
    for name in ("Counter A", "Counter B"):
        r = httpx.post(f"{server.url}/api/v1/join", json={"code": add_till(database_url, name)})
        secrets[name] = {"authorization": f"Bearer {r.json()['secret']}"}
    for name, events in (("Counter A", [*paid_attempt("MWA1", 5000, "M-PESA"),
                                        *paid_attempt("MWA2", 3000, "TIGO-PESA")]),
                         ("Counter B", paid_attempt("MWB1", 12000, "AIRTEL-MONEY"))):
        r = httpx.post(f"{server.url}/api/v1/events", json={
            "events": events, "api_calls": {SHOP_DAY: 9}}, headers=secrets[name])
        assert r.status_code == 200, r.text
    yield server, secrets
    server.stop()


def sign_in(page, url: str) -> None:
    page.goto(url + "/")
    assert page.url.endswith("/login")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#totals")


def test_sign_in_read_totals_live_update_and_export(browser, shop, tmp_path) -> None:
    server, secrets = shop
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, server.url)
        cookies = {c["name"]: c for c in context.cookies()}
        session = cookies["__Host-malipo_session"]
        assert session["secure"] and session["httpOnly"] and session["sameSite"] == "Lax"
        assert page.inner_text("#shop-paid-count") == "3"
        assert page.inner_text("#shop-paid-total") == "20,000"
        by_till = page.inner_text("#by-till")
        assert "Counter A\t2\t8,000" in by_till and "Counter B\t1\t12,000" in by_till
        assert "Airtel Money" in page.inner_text("#by-channel")
        assert "18" in page.inner_text("#calls-total")

        # A payment made now on Counter B shows up without a reload.
        r = httpx.post(f"{server.url}/api/v1/events",
                       json={"events": paid_attempt("MWB2", 4321, "M-PESA")},
                       headers=secrets["Counter B"])
        assert r.status_code == 200
        from playwright.sync_api import expect

        # (expect polls from outside the page: the dashboard's CSP forbids eval in it)
        expect(page.locator("#shop-paid-total")).to_have_text("24,321", timeout=15_000)
        assert "4,321" in page.inner_text("#latest")
        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        if os.environ.get("POS_APP_SAVE_SCREENSHOTS") == "1":
            target = ROOT / "docs" / "images" / "dashboard.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, target)

        with page.expect_download() as info:
            page.click("#export")
        path = tmp_path / "export.csv"
        info.value.save_as(str(path))
        assert info.value.suggested_filename == f"malipo-{SHOP_DAY}.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == ("created_at,order_reference,phone,amount_tzs,status,channel,"
                            "clickpesa_id,message,mode,till")
        assert len(lines) == 5 and any("MWB2" in x and x.endswith(",live,Counter B")
                                       for x in lines)

        page.click("a[hreflang=sw]")
        page.wait_for_selector("text=Leo katika duka zima")
        assert page.inner_text("#shop-paid-total") == "24,321"
        page.click("button:has-text('Toka')")  # sign out
        page.wait_for_url("**/login")
        page.goto(server.url + "/")
        assert page.url.endswith("/login")
    finally:
        context.close()


def test_wrong_password_and_a_phone_screen(browser, shop) -> None:
    server, _ = shop
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto(server.url + "/login")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", "not the password")
        page.click("button[type=submit]")
        page.wait_for_selector(".error")
        assert "Wrong e-mail or password." in page.inner_text(".error")
        sign_in(page, server.url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the page is {width} px wide on a 360 px phone"
        assert page.is_visible("#shop-paid-total")
    finally:
        context.close()
