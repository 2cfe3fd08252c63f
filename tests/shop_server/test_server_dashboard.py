"""What the owner reads: the shop's local day across tills, by till and channel, open attempts,
the day report per till, the API budget, the CSV export — live attempts only, en and sw."""

from __future__ import annotations

import csv
import io

import pytest

from pos_app.server.export import HEADER
from shop_server.support import SHOP_DAY, enrolled, event, paid_attempt, sign_in
from shop_server.support import csrf_of as _csrf

EXPECTED_HEADER = ("created_at,order_reference,phone,amount_tzs,status,channel,clickpesa_id,"
                   "message,mode,till")


@pytest.fixture
def shop(app_client, database_url, owner):  # noqa: F811
    one = enrolled(app_client, database_url, "Counter A")
    two = enrolled(app_client, database_url, "Counter B")
    batches = [
        (one, [*paid_attempt("MA1", 5000, "M-PESA"), *paid_attempt("MA2", 2500, "AIRTEL-MONEY")]),
        (two, [*paid_attempt("MB1", 10000, "M-PESA"),
               event("MB2", 0, None, "NEW", amount=700),
               event("MB2", 1, "NEW", "PENDING", amount=700),
               event("MB3", 0, None, "NEW", amount=900),
               event("MB3", 1, "NEW", "ATTENTION", amount=900, message="ON-HOLD at ClickPesa"),
               # training: never in the shop's figures
               *paid_attempt("MT1", 99000, "M-PESA", mode="training")]),
    ]
    # A sale made at 23:50 the evening before, Dar es Salaam time: not the shop's day.
    yesterday = event("MY1", 0, None, "NEW", amount=4444)
    yesterday["attempt"]["created_at"] = "2026-12-01T23:50:00+03:00"
    # Made at 00:10 EAT on the shop's day, sent by a till whose clock runs in UTC.
    utc_till = event("MU1", 0, None, "NEW", amount=1234)
    utc_till["attempt"]["created_at"] = "2026-12-01T21:10:00+00:00"
    batches.append((one, [yesterday, event("MY1", 1, "NEW", "PAID", amount=4444),
                          utc_till, event("MU1", 1, "NEW", "PAID", amount=1234)]))
    for auth, events in batches:
        r = app_client.post("/api/v1/events", json={"events": events,
                                                    "api_calls": {SHOP_DAY: 7}}, headers=auth)
        assert r.status_code == 200, r.text
    sign_in(app_client)


def test_today_is_the_shops_local_day_by_till_and_channel(app_client, shop) -> None:
    page = app_client.get("/").text
    assert "Today across the shop" in page
    # Paid today: 5000 + 2500 + 1234 (Counter A) + 10000 (Counter B); not 4444 nor training.
    assert '<span id="shop-paid-count">4</span>' in page
    assert '<span id="shop-paid-total">18,734</span>' in page
    assert "<td>Counter A</td><td class=\"n\">3</td><td class=\"n\">8,734</td>" in page
    assert "<td>Counter B</td><td class=\"n\">1</td><td class=\"n\">10,000</td>" in page
    assert "<td>M-Pesa</td><td class=\"n\">2</td><td class=\"n\">15,000</td>" in page
    assert "99,000" not in page


def test_open_attempts_of_every_till_and_the_api_budget(app_client, shop) -> None:
    page = app_client.get("/").text
    open_part = page.split('id="open"')[1].split("</section>")[0]
    assert "MB2" in open_part and "Unresolved" in open_part
    assert "MB3" in open_part and "Needs attention" in open_part
    assert "ON-HOLD at ClickPesa" in open_part
    assert "MA1" not in open_part
    budget = page.split('id="budget"')[1].split("</section>")[0]
    assert '<strong id="calls-total">14</strong>' in budget  # 7 + 7, two tills
    assert '<strong id="calls-cap">100</strong>' in budget


def test_a_day_report_per_till_and_for_the_whole_shop(app_client, shop) -> None:
    page = app_client.get(f"/?day={SHOP_DAY}").text
    reports = page.split('id="reports"')[1]
    assert reports.count("<details") == 3
    whole = reports.split("<pre>")[1].split("</pre>")[0]
    assert "18,734" in whole and "Whole shop" in whole
    b = reports.split('data-till="Counter B"')[1].split("</pre>")[0]
    assert "10,000" in b and "MB2" in b  # its unresolved attempt, listed to check


def test_the_shops_day_report_names_the_cashiers(app_client, database_url, conn,
                                                 owner) -> None:
    auth = enrolled(app_client, database_url, "Counter C")
    events = paid_attempt("MC1", 6000, "M-PESA")
    for e in events:
        e["attempt"]["cashier"], e["attempt"]["shift"] = "Asha", "S-2026-12-02-1"
    assert app_client.post("/api/v1/events", json={"events": events},
                           headers=auth).status_code == 200
    row = conn.execute("SELECT cashier, shift FROM attempts WHERE order_reference='MC1'"
                       ).fetchone()
    assert (row["cashier"], row["shift"]) == ("Asha", "S-2026-12-02-1")
    sign_in(app_client)
    whole = app_client.get(f"/?day={SHOP_DAY}").text.split('id="reports"')[1]
    assert "Paid by cashier" in whole and "Asha" in whole


def test_another_day_and_its_export(app_client, shop) -> None:
    page = app_client.get("/?day=2026-12-01").text
    assert '<span id="shop-paid-total">4,444</span>' in page
    csrf = _csrf(page)
    r = app_client.post("/export", data={"day": SHOP_DAY, "csrf_token": csrf})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="malipo-2026-12-02.csv"' in r.headers["content-disposition"]
    lines = r.text.splitlines()
    assert lines[0] == EXPECTED_HEADER == ",".join(HEADER)
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["order_reference"] for row in rows} == {"MA1", "MA2", "MB1", "MB2", "MB3",
                                                        "MU1"}
    ma1 = next(row for row in rows if row["order_reference"] == "MA1")
    assert ma1["till"] == "Counter A" and ma1["status"] == "PAID" and ma1["mode"] == "live"
    assert ma1["created_at"] == "2026-12-02T00:30:00+03:00"


def test_latest_payments_as_json_for_the_page_to_poll(app_client, shop) -> None:
    data = app_client.get("/dashboard/latest.json").json()
    assert data["today"] == SHOP_DAY and data["paid_count"] == 4
    assert data["paid_total"] == "18,734"
    assert {p["reference"] for p in data["latest"]} >= {"MA1", "MB1"}
    assert all(p["reference"] != "MT1" for p in data["latest"])


def test_kiswahili(app_client, shop) -> None:
    page = app_client.get("/?lang=sw").text
    assert '<html lang="sw">' in page
    assert "Leo katika duka zima" in page and "Malipo kwa kila mashine" in page
    assert "Today across the shop" not in page
    assert "Leo katika duka zima" in app_client.get("/").text  # remembered by a cookie


def test_every_dashboard_text_has_its_kiswahili() -> None:
    import re
    from pathlib import Path

    from pos_app.server import i18n

    folder = Path(i18n.__file__).parent / "templates"
    used = set()
    for template in folder.glob("*.html"):
        used |= set(re.findall(r't\("([^"]+)"\)', template.read_text()))
    used |= {"joined", "waiting to join", "revoked", "Wrong e-mail or password.",
             "The form expired. Please try again.",
             "Too many sign-in attempts. Wait 15 minutes and try again."}
    missing = sorted(text for text in used if text not in i18n.SW)
    assert missing == []
    assert len(used) > 30
