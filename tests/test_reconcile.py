"""Reconciling the journal with ClickPesa's payment list: parsing pages and every category."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.clickpesa.replies import ReplyError
from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.reports.reconcile import (
    Page,
    PageError,
    RemotePayment,
    merge_pages,
    parse_page,
    plan_pages,
    reconcile,
)

S = AttemptState


def rec(ref: str, state: AttemptState = S.PAID, amount: int = 5000, *,
        phone: str = "255712345678", mode: str = "live") -> AttemptRecord:
    return AttemptRecord(order_reference=ref, mode=mode, phone=phone, amount_tzs=amount,
                         network_hint="", state=state, created_at="2026-12-01T10:00:00+03:00",
                         updated_at="2026-12-01T10:00:30+03:00")


def item(ref: str, status: str = "SUCCESS", amount: object = 5000, **extra: object) -> dict:
    base: dict = {"id": "CP" + ref + status, "orderReference": ref, "status": status,
                  "collectedAmount": amount, "collectedCurrency": "TZS",
                  "paymentPhoneNumber": "255712345678", "channel": "M-PESA",
                  "paymentReference": "OP" + ref, "createdAt": "2026-12-01T07:00:10.123Z"}
    base.update(extra)
    return {k: v for k, v in base.items() if v is not ...}


def rows(*items: dict) -> tuple[RemotePayment, ...]:
    return parse_page({"data": list(items), "totalCount": len(items)}).rows


# -- parsing -----------------------------------------------------------------------------------

def test_a_documented_page():
    page = parse_page({"data": [item("R1")], "totalCount": 37})
    assert page.total_count == 37
    (row,) = page.rows
    assert row == RemotePayment(
        order_reference="R1", status="SUCCESS", collected_amount=5000,
        collected_currency="TZS", payment_phone="255712345678", channel="M-PESA",
        clickpesa_id="CPR1SUCCESS", payment_reference="OPR1",
        created_at=datetime(2026, 12, 1, 7, 0, 10, 123000, tzinfo=UTC))
    assert row.is_paid


def test_strings_for_numbers_and_missing_fields():
    page = parse_page({"data": [item("R1", "settled", amount="5,000.00", collectedCurrency="tzs"),
                                {"orderReference": "R2"}],
                       "totalCount": "2"})
    first, second = page.rows
    assert first.collected_amount == 5000 and first.status == "SETTLED" and first.is_paid
    assert first.collected_currency == "TZS"
    assert page.total_count == 2
    assert second == RemotePayment("R2", "", None, "", "", "", "", "", None)
    assert not second.is_paid


def test_odd_values_are_read_as_absent_not_as_money():
    (row,) = parse_page({"data": [item("R1", amount=50.5, createdAt="yesterday",
                                       channel=None, paymentPhoneNumber={"x": 1})],
                         "totalCount": 1}).rows
    assert row.collected_amount is None and row.created_at is None
    assert row.channel == "" and row.payment_phone == ""


def test_missing_total_and_a_bare_array():
    assert parse_page({"data": []}).total_count is None
    assert parse_page([item("R1")]).total_count == 1


@pytest.mark.parametrize("reply", [
    None, "<html>proxy</html>", 42, {}, {"data": None}, {"data": {"0": item("R1")}},
    {"data": [item("R1"), "not a payment"]}, {"data": [], "totalCount": -1},
    {"data": [], "totalCount": "many"}, {"data": [], "totalCount": 2.5},
])
def test_wrong_shapes_are_a_clear_error(reply):
    with pytest.raises(PageError) as caught:
        parse_page(reply)
    assert isinstance(caught.value, ReplyError)
    assert str(caught.value).startswith("ClickPesa's payment list")


@pytest.mark.parametrize(("total", "limit", "skips"), [
    (0, 100, []), (1, 100, [0]), (100, 100, [0]), (101, 100, [0, 100]),
    (250, 100, [0, 100, 200]), (7, 3, [0, 3, 6]),
])
def test_plan_pages(total, limit, skips):
    assert plan_pages(total, limit) == skips


@pytest.mark.parametrize(("total", "limit"), [(-1, 10), (10, 0), (10, -5)])
def test_plan_pages_refuses_nonsense(total, limit):
    with pytest.raises(ValueError):
        plan_pages(total, limit)


@given(st.integers(0, 10_000), st.integers(1, 500))
def test_planned_pages_cover_every_payment_once(total, limit):
    covered = [i for skip in plan_pages(total, limit) for i in range(skip, skip + limit)]
    assert [i for i in covered if i < total] == list(range(total))
    assert len(covered) - total < limit


def test_merge_pages_drops_a_row_seen_twice_and_keeps_the_later_copy():
    first = parse_page({"data": [item("A"), item("B", "PROCESSING", id="CPB")], "totalCount": 3})
    second = parse_page({"data": [item("B", "SUCCESS", id="CPB"), item("C")], "totalCount": 3})
    merged = merge_pages([first, second])
    assert [(r.order_reference, r.status) for r in merged] == [
        ("A", "SUCCESS"), ("B", "SUCCESS"), ("C", "SUCCESS")]
    no_id = Page(rows(item("X", id="")) * 2, 2)
    assert len(merge_pages([no_id])) == 1


# -- reconciling -------------------------------------------------------------------------------

def refs(pairs) -> list[str]:
    return [p.record.order_reference for p in pairs]


def test_matched_paid():
    result = reconcile([rec("A")], rows(item("A")))
    assert refs(result.matched_paid) == ["A"] and result.is_clean
    assert result.matched_paid[0].paid_row is not None
    assert result.matched_paid[0].remote_status == "SUCCESS"


@pytest.mark.parametrize("state", [S.FAILED, S.NOT_SENT, S.PENDING, S.UNCERTAIN, S.NEW,
                                   S.ATTENTION])
@pytest.mark.parametrize("status", ["SUCCESS", "SETTLED"])
def test_paid_at_clickpesa_but_not_in_the_journal_is_the_dangerous_one(state, status):
    result = reconcile([rec("A", state)], rows(item("A", status)))
    assert refs(result.paid_at_clickpesa_only) == ["A"]
    assert not result.matched_paid and not result.agreed_not_paid and not result.is_clean
    assert result.paid_at_clickpesa_only[0].remote_status == status


def test_a_failed_row_then_a_paid_row_is_paid():
    result = reconcile([rec("A", S.FAILED)], rows(item("A", "FAILED"), item("A", "SUCCESS")))
    assert refs(result.paid_at_clickpesa_only) == ["A"]


@pytest.mark.parametrize("remote", [("FAILED",), ("PROCESSING",), ("REVERSED",), ()])
def test_paid_in_the_journal_but_not_at_clickpesa(remote):
    result = reconcile([rec("A")], rows(*(item("A", s) for s in remote)))
    assert refs(result.paid_in_journal_only) == ["A"] and not result.is_clean
    assert result.paid_in_journal_only[0].remote_status == (remote[0] if remote else "")
    assert not result.not_listed  # a paid attempt that is not listed is reported once, here


@pytest.mark.parametrize(("remote", "field", "journal_side", "clickpesa_side"), [
    (item("A", amount=4000), "amount", "5000", "4000"),
    (item("A", amount="lots"), "amount", "5000", "(unreadable)"),
    (item("A", amount=...), "amount", "5000", "(unreadable)"),
    (item("A", collectedCurrency="USD"), "currency", "TZS", "USD"),
    (item("A", paymentPhoneNumber="255754000111"), "phone", "255712345678", "255754000111"),
])
def test_amount_currency_and_phone_mismatches(remote, field, journal_side, clickpesa_side):
    result = reconcile([rec("A")], rows(remote))
    assert refs(result.mismatched) == ["A"] and not result.matched_paid and not result.is_clean
    (mismatch,) = result.mismatched[0].mismatches
    assert (mismatch.field, mismatch.journal, mismatch.clickpesa) == (
        field, journal_side, clickpesa_side)


def test_same_number_in_another_form_and_absent_fields_are_no_mismatch():
    result = reconcile(
        [rec("A"), rec("B")],
        rows(item("A", paymentPhoneNumber="0712 345 678"),
             item("B", paymentPhoneNumber=..., collectedCurrency=...)))
    assert refs(result.matched_paid) == ["A", "B"]


def test_two_paid_rows_for_one_reference_is_a_mismatch():
    result = reconcile([rec("A")], rows(item("A", "SUCCESS", id="1"), item("A", "SETTLED", id="2")))
    assert refs(result.mismatched) == ["A"]
    assert [m.field for m in result.mismatched[0].mismatches] == ["duplicate"]


def test_a_mismatch_is_also_shown_on_the_dangerous_one():
    result = reconcile([rec("A", S.FAILED)], rows(item("A", amount=9000)))
    assert [m.field for m in result.paid_at_clickpesa_only[0].mismatches] == ["amount"]


def test_other_systems_and_not_listed():
    result = reconcile(
        [rec("A", S.NOT_SENT), rec("B", S.FAILED), rec("C", S.PENDING)],
        rows(item("B", "FAILED"), item("WEB1", "SUCCESS", amount=12000),
             item("LINK2", "FAILED"), item("", "SETTLED", amount=3000)))
    assert refs(result.not_listed) == ["A", "C"]
    assert refs(result.agreed_not_paid) == ["B"]
    assert [r.order_reference for r in result.other_systems] == ["WEB1", "LINK2", ""]
    assert result.paid_elsewhere_tzs == 15000
    assert result.is_clean


def test_training_attempts_are_refused():
    with pytest.raises(ValueError, match="training"):
        reconcile([rec("T", mode="training")], ())


_states = st.sampled_from(list(AttemptState))
_statuses = st.sampled_from(["SUCCESS", "SETTLED", "FAILED", "PROCESSING", "PENDING",
                             "ON-HOLD", "REVERSED", "weird", ""])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([f"R{i}" for i in range(12)]), _states, max_size=12),
       st.lists(st.tuples(st.sampled_from([f"R{i}" for i in range(16)]), _statuses,
                          st.sampled_from([5000, 4000, "5000", None])), max_size=20))
def test_every_attempt_lands_once_and_every_row_is_accounted_for(journal, remote):
    records = [rec(ref, state) for ref, state in journal.items()]
    remote_rows = rows(*(item(ref, status, amount, id=f"{i}")
                         for i, (ref, status, amount) in enumerate(remote)))
    result = reconcile(records, remote_rows)
    categories = (result.matched_paid, result.paid_at_clickpesa_only,
                  result.paid_in_journal_only, result.mismatched, result.agreed_not_paid,
                  result.not_listed)
    landed = [p.record.order_reference for c in categories for p in c]
    assert sorted(landed) == sorted(journal)
    matched_rows = sum(len(p.rows) for c in categories for p in c)
    assert matched_rows + len(result.other_systems) == len(remote_rows)
    for pair in result.paid_at_clickpesa_only:
        assert pair.record.state is not S.PAID and pair.paid_row is not None
    for pair in result.matched_paid + result.mismatched:
        assert pair.record.state is S.PAID and pair.paid_row is not None
    for pair in result.paid_in_journal_only:
        assert pair.record.state is S.PAID and pair.paid_row is None


def test_reconciliation_text_puts_the_dangerous_one_first():
    from pos_app.reports.reconcile import reconciliation_text

    result = reconcile(
        [rec("DANGER1", S.FAILED), rec("OK1"), rec("ODD1"), rec("GONE1"), rec("NS1", S.NOT_SENT)],
        rows(item("DANGER1"), item("OK1"), item("ODD1", amount=4000), item("WEB1", amount=700)))
    for width in (32, 48):
        lines = reconciliation_text(result, width).splitlines()
        assert max(map(len, lines)) <= width
        text = " ".join(" ".join(lines).split())
        assert text.index("PAID AT CLICKPESA BUT NOT IN THE TILL: 1") < text.index("DANGER1")
        assert text.index("DANGER1") < text.index("GONE1") < text.index("ODD1")
        assert "till FAILED, ClickPesa SUCCESS" in text
        assert "till PAID, ClickPesa not listed" in text
        assert "amount: till 5000, ClickPesa 4000" in text
        assert "Paid on both sides: 1, TZS 5,000" in text
        assert "Other systems: 1, TZS 700 paid" in text
        assert "agree" not in text
    clean = reconciliation_text(reconcile([rec("OK1")], rows(item("OK1"))))
    assert "The till and ClickPesa agree." in clean and "NOT IN THE TILL" not in clean
    swahili = reconciliation_text(result, translate=lambda c, t: (
        "IMELIPWA CLICKPESA LAKINI SI KWENYE TILL: {count}" if c == "Reconcile"
        and t.startswith("PAID AT") else t))
    assert "IMELIPWA CLICKPESA LAKINI SI KWENYE TILL: 1" in swahili
