"""The domain's money rules pinned so that a changed value or rule fails a test (issue 8).

Written against the mutants that survived `mutmut` over pos_app/domain (docs/mutation-testing.md):
each test here asserts a behaviour that one or more of those mutants changed. mutmut does not
mutate module- or class-level constants, so the constants the money rules rest on are pinned
here by hand as well, each through the behaviour it controls.
"""

from __future__ import annotations

import random

import pytest

from pos_app.domain import reference
from pos_app.domain.attempt import PaymentStatusCode, Verdict, verdict_for
from pos_app.domain.evidence import (
    COUNTER_MAX_RETRY_S,
    CURRENCY,
    NEVER_CREATED_MARGIN_S,
    NEVER_CREATED_MIN_S,
    PUSH_DEADLINE_S,
    Expected,
    Mismatch,
    MismatchKind,
    Observed,
    mismatch,
    never_created_from,
    payer_matches,
)
from pos_app.domain.money import (
    DEFAULT_MAX_TZS,
    DEFAULT_MIN_TZS,
    Amount,
    AmountError,
    AmountProblem,
    parse_amount,
)
from pos_app.domain.phone import Phone, PhoneProblem, parse_phone
from pos_app.domain.polling import PollPlan
from pos_app.domain.reference import is_valid_reference, new_reference

PUSHED_TO = "255712345671"
EXPECTED = Expected("R1", 5000, PUSHED_TO)


# -- paid means this payment: the payer rule -----------------------------------------------


@pytest.mark.parametrize("shown", [
    "2557123456XX",  # upper-case X as the mask
    "2557123456xx",  # lower-case x
    "25571234****",
    "0712 *** 671",  # a masked national form with spaces
    "+255 712 *** 671",  # a masked international form with spaces and plus
    "(0712)-***-671",
    "5712***671",  # ten characters not starting with 0: counted from the end of 255…
    "*71",  # the shortest masked form that is read at all
])
def test_masked_payer_that_agrees_is_this_payment(shown):
    assert payer_matches(PUSHED_TO, shown) is True


@pytest.mark.parametrize("shown", [
    "2557123456X9",  # the one digit it shows differs
    "2557123456x9",
    "0712 *** 679",
    "+255 712 *** 679",
    "5712***679",
    "*1",  # two characters: too little to tell, not proof
    "2",
    "25571234567***",  # longer than any form of the number: not this number (and no crash)
    "9925571234567*",
])
def test_masked_payer_that_disagrees_or_says_too_little_is_not(shown):
    assert payer_matches(PUSHED_TO, shown) is False


@pytest.mark.parametrize(("shown", "agrees"), [
    ("255712345671", True),
    ("712345671", True),  # nine bare digits
    ("712345679", False),
    ("0712345671", True),
    # The last nine digits agree, but the number is another one: never this payment.
    ("999712345671", False),  # twelve digits, not 255…
    ("1712345671", False),  # ten digits, not 0…
    ("2557123456710", False),  # thirteen digits starting 255
    ("07123456710", False),  # eleven digits starting 0
    ("12345671", False),  # eight digits
    ("", True),  # the row names no payer: nothing to disagree with
])
def test_unmasked_payer_forms(shown, agrees):
    assert payer_matches(PUSHED_TO, shown) is agrees


# -- paid means this payment: the mismatch, in full and in words ---------------------------


@pytest.mark.parametrize(("observed", "want"), [
    (Observed("R2", 5000, "TZS", PUSHED_TO), Mismatch(MismatchKind.REFERENCE, "R1", "R2")),
    (Observed(None, 5000, "TZS", PUSHED_TO), Mismatch(MismatchKind.REFERENCE, "R1", "")),
    (Observed("R1", None, "TZS", PUSHED_TO), Mismatch(MismatchKind.NO_AMOUNT, "5,000", "")),
    (Observed("R1", 100, "TZS", PUSHED_TO), Mismatch(MismatchKind.AMOUNT, "5,000", "100")),
    (Observed("R1", 5000, None, PUSHED_TO), Mismatch(MismatchKind.CURRENCY, "TZS", "")),
    (Observed("R1", 5000, " usd ", PUSHED_TO), Mismatch(MismatchKind.CURRENCY, "TZS", "USD")),
    (Observed("R1", 5000, "TZS", " 255754000000 "),
     Mismatch(MismatchKind.PAYER, PUSHED_TO, "255754000000")),
])
def test_mismatch_names_what_the_attempt_has_and_what_clickpesa_says(observed, want):
    assert mismatch(EXPECTED, observed) == want


def test_the_currency_the_till_expects_is_shillings():
    assert CURRENCY == "TZS"
    assert mismatch(EXPECTED, Observed("R1", 5000, "tzs", PUSHED_TO)) is None


@pytest.mark.parametrize(("m", "sentence"), [
    (Mismatch(MismatchKind.REFERENCE, "R1", "R2"),
     "ClickPesa's payment names reference R2, not R1."),
    (Mismatch(MismatchKind.REFERENCE, "R1", ""),
     "ClickPesa's payment names reference (none), not R1."),
    (Mismatch(MismatchKind.CURRENCY, "TZS", ""),
     "ClickPesa says the money arrived in no currency, not TZS."),
    (Mismatch(MismatchKind.CURRENCY, "TZS", "USD"),
     "ClickPesa says the money arrived in USD, not TZS."),
    (Mismatch(MismatchKind.NO_AMOUNT, "5,000", ""),
     "ClickPesa says paid but not how much (expected TZS 5,000)."),
    (Mismatch(MismatchKind.PAYER, PUSHED_TO, "255754000000"),
     f"ClickPesa says it was paid from 255754000000, not from {PUSHED_TO}."),
])
def test_every_mismatch_is_said_in_words(m, sentence):
    # These sentences are journalled and exported as the reason for NEEDS_ATTENTION.
    assert m.sentence() == sentence


# -- "never created" needs proof -----------------------------------------------------------


def test_never_created_window_constants():
    # The issue asks for these by value: at least the request timeout plus a margin, never
    # less than a minute.
    assert (PUSH_DEADLINE_S, NEVER_CREATED_MARGIN_S, NEVER_CREATED_MIN_S) == (30.0, 60.0, 60.0)
    # A push killed in flight at t=0: a 404 proves nothing before 90 s, and proves it at 90 s.
    assert never_created_from(0.0, None) == 90.0
    assert never_created_from(0.0, 0.5) == 90.0
    assert never_created_from(0.0, 45.0) == 105.0


# -- the poll plan: when the till asks --------------------------------------------------------


PLAN = PollPlan()


def test_poll_plan_defaults_are_pinned():
    assert PLAN == PollPlan(first_check_s=8.0, dense_until_s=32.0, dense_interval_s=2.75,
                            middle_until_s=65.0, middle_interval_s=3.0, slow_interval_s=8.0,
                            min_interval_s=2.5, max_backoff_s=60.0)


@pytest.mark.parametrize(("elapsed", "delay"), [
    (0.0, 8.0),
    (7.0, 1.0),  # before the first check the wait is what is left, even under min_interval
    (7.9, 0.1),
    (8.0, 2.75),  # each band starts at its boundary
    (31.9, 2.75),
    (32.0, 3.0),
    (64.9, 3.0),
    (65.0, 8.0),
    (600.0, 8.0),
])
def test_poll_plan_bands_and_boundaries(elapsed, delay):
    assert PLAN.next_delay(elapsed) == pytest.approx(delay)


@pytest.mark.parametrize(("failures", "delay"), [
    (1, 5.5), (2, 11.0), (3, 22.0), (4, 44.0), (5, 60.0), (40, 60.0), (10_000, 60.0),
])
def test_background_backoff_doubles_from_the_dense_interval_up_to_a_minute(failures, delay):
    assert PLAN.next_delay(20.0, failures_in_row=failures) == pytest.approx(delay)


@pytest.mark.parametrize("failures", [1, 2, 3, 10, 10_000])
def test_counter_cap_holds_a_transient_error_to_eight_seconds(failures):
    assert COUNTER_MAX_RETRY_S == 8.0
    delay = PLAN.next_delay(20.0, failures_in_row=failures, failure_cap_s=COUNTER_MAX_RETRY_S)
    assert delay == pytest.approx(min(8.0, 2.75 * 2 ** min(failures, 10)))


def test_retry_after_is_honoured_past_the_counter_cap_up_to_five_minutes():
    assert PLAN.next_delay(20.0, failures_in_row=1, retry_after_s=40.0,
                           failure_cap_s=COUNTER_MAX_RETRY_S) == pytest.approx(40.0)
    assert PLAN.next_delay(20.0, retry_after_s=10_000.0) == pytest.approx(300.0)


# -- amounts ---------------------------------------------------------------------------------


def test_default_amount_limits_are_pinned():
    assert (DEFAULT_MIN_TZS, DEFAULT_MAX_TZS) == (100, 5_000_000)
    assert parse_amount("5,000,000") == Amount(5_000_000)
    assert parse_amount("5,000,001") == AmountError(AmountProblem.ABOVE_MAX, 5_000_000)
    assert parse_amount("100") == Amount(100)
    assert parse_amount("99") == AmountError(AmountProblem.BELOW_MIN, 100)


def test_a_very_long_number_is_above_any_maximum_only_past_fifteen_digits():
    # Fifteen digits are still read as a number (a shop may allow that much) ...
    assert parse_amount("1" * 15, maximum=10**16) == Amount(int("1" * 15))
    # ... sixteen are refused before being read, whatever the maximum.
    assert parse_amount("1" * 16, maximum=10**17) == AmountError(AmountProblem.ABOVE_MAX,
                                                                 10**17)


def test_grouped_amount_with_cents_is_fractional_not_garbage():
    assert parse_amount("5 000.50") == AmountError(AmountProblem.FRACTIONAL)
    assert parse_amount("5,000.50") == AmountError(AmountProblem.FRACTIONAL)


# -- phones ----------------------------------------------------------------------------------


def test_twelve_digits_not_starting_255_are_not_guessed_as_international():
    # Without a "+", only 255… is read as a country code; anything else is refused as typed.
    result = parse_phone("447712345678")
    assert not isinstance(result, Phone)
    assert result.problem is PhoneProblem.NOT_A_NUMBER


# -- status vocabulary -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [
    ("on_hold", PaymentStatusCode.ON_HOLD),
    ("On Hold", PaymentStatusCode.ON_HOLD),
    (" ON-HOLD ", PaymentStatusCode.ON_HOLD),
    ("success", PaymentStatusCode.SUCCESS),
    ("", PaymentStatusCode.UNKNOWN),
    (None, PaymentStatusCode.UNKNOWN),
])
def test_status_spellings_are_read_as_clickpesa_means_them(text, code):
    assert PaymentStatusCode.parse(text) is code


def test_only_success_and_settled_are_paid():
    paid = {c for c in PaymentStatusCode if verdict_for(c.value) is Verdict.PAID}
    assert paid == {PaymentStatusCode.SUCCESS, PaymentStatusCode.SETTLED}


# -- references ------------------------------------------------------------------------------


def test_references_come_from_the_operating_systems_generator_not_a_seeded_one():
    from datetime import datetime

    assert isinstance(reference._RANDOM, random.SystemRandom)
    now = datetime(2026, 12, 1, 10, 0, 0)
    random.seed(1234)
    first = new_reference(now)
    random.seed(1234)
    second = new_reference(now)
    # Seeding Python's generator (as a library or a test might) must not repeat a reference.
    assert first != second
    assert all(is_valid_reference(r) and len(r) == 20 for r in (first, second))
