"""Day and shift reports: totals by status, network, cashier and hour; modes kept apart."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.journal import Journal
from pos_app.reports.channels import channel_name
from pos_app.reports.zreport import (
    STATUSES,
    MixedModes,
    ReportError,
    build_report,
    report_text,
    split_by_mode,
)

EAT = timezone(timedelta(hours=3), "EAT")
DAY = date(2026, 12, 1)


@dataclasses.dataclass(frozen=True)
class FutureRecord(AttemptRecord):
    """AttemptRecord as it will be once it carries these fields."""

    payment_reference: str = ""
    shift: str = ""
    cashier: str = ""


def rec(ref: str, state: AttemptState = AttemptState.PAID, amount: int = 5000,
        at: str = "2026-12-01T10:00:00+03:00", *, channel: str = "M-PESA",
        mode: str = "live", phone: str = "255712345678", **future: str) -> AttemptRecord:
    fields = dict(order_reference=ref, mode=mode, phone=phone, amount_tzs=amount,
                  network_hint="", state=state, created_at=at, updated_at=at, channel=channel,
                  clickpesa_id="CP" + ref)
    if future:
        return FutureRecord(**fields, **future)  # type: ignore[arg-type]
    return AttemptRecord(**fields)  # type: ignore[arg-type]


S = AttemptState


def test_counts_and_sums_by_status():
    records = [
        rec("A", S.PAID, 5000), rec("B", S.PAID, 7000), rec("C", S.FAILED, 1000),
        rec("D", S.NOT_SENT, 300), rec("E", S.PENDING, 2000), rec("F", S.UNCERTAIN, 400),
        rec("G", S.NEW, 50), rec("H", S.ATTENTION, 9000),
    ]
    r = build_report(records, day=DAY)
    assert [(s.status, s.count, s.amount_tzs) for s in r.statuses] == [
        ("PAID", 2, 12000), ("FAILED", 2, 1300), ("UNRESOLVED", 3, 2450),
        ("NEEDS_ATTENTION", 1, 9000)]
    assert r.paid.amount_tzs == 12000
    assert r.attempts == 8
    assert r.mode == "live" and r.kind == "day" and r.day == DAY
    with pytest.raises(KeyError):
        r.status("REFUNDED")


def test_empty_day_has_all_statuses_and_24_zero_hours():
    r = build_report([], day=DAY)
    assert [s.status for s in r.statuses] == list(STATUSES)
    assert all(s.count == 0 and s.amount_tzs == 0 for s in r.statuses)
    assert len(r.hours) == 24 and not any(b.count for b in r.hours)
    assert r.first_sale is None and r.last_sale is None
    assert "No paid sales." in report_text(r)


@pytest.mark.parametrize(("sent", "shown"), [
    ("M-PESA", "M-Pesa"), ("MPESA", "M-Pesa"), ("m-pesa", "M-Pesa"), ("VODACOM", "M-Pesa"),
    ("TIGO-PESA", "Mixx by Yas"), ("TIGOPESA", "Mixx by Yas"), ("MIXX BY YAS", "Mixx by Yas"),
    ("AIRTEL-MONEY", "Airtel Money"), ("AIRTEL", "Airtel Money"), ("Airtel Money", "Airtel Money"),
    ("HALOPESA", "HaloPesa"), ("HALO-PESA", "HaloPesa"),
    ("  CRDB-CARD ", "CRDB-CARD"), ("", ""),
])
def test_channel_names(sent: str, shown: str):
    assert channel_name(sent) == shown


def test_paid_by_channel_merges_spellings_and_keeps_unknown():
    records = [rec("A", amount=1000, channel="M-PESA"), rec("B", amount=2000, channel="MPESA"),
               rec("C", amount=500, channel="TIGO-PESA"), rec("D", amount=9000, channel="CARD-X"),
               rec("E", amount=100, channel=""),
               rec("F", S.FAILED, 99999, channel="HALOPESA")]  # not paid: not in the table
    r = build_report(records, day=DAY)
    assert [(c.label, c.count, c.amount_tzs) for c in r.channels] == [
        ("CARD-X", 1, 9000), ("M-Pesa", 2, 3000), ("Mixx by Yas", 1, 500), ("", 1, 100)]
    assert "(not given)" in report_text(r)


def test_hour_buckets_use_the_offset_written_or_the_zone_given():
    records = [rec("A", amount=100, at="2026-12-01T23:30:00+03:00"),
               rec("B", amount=200, at="2026-12-01T00:05:00+03:00"),
               rec("C", amount=400, at="2026-12-01T07:10:00Z"),  # 10:10 in Dar es Salaam
               rec("D", S.FAILED, amount=800, at="2026-12-01T10:20:00+03:00")]
    own = build_report(records, day=DAY)
    assert {b.hour: b.amount_tzs for b in own.hours if b.count} == {0: 200, 7: 400, 23: 100}
    eat = build_report(records, day=DAY, tz=EAT)
    assert {b.hour: b.amount_tzs for b in eat.hours if b.count} == {0: 200, 10: 400, 23: 100}
    assert eat.first_sale == datetime(2026, 12, 1, 0, 5, tzinfo=EAT)
    assert eat.last_sale == datetime(2026, 12, 1, 23, 30, tzinfo=EAT)


def test_first_and_last_sale_are_paid_sales_in_time_order():
    records = [rec("L", at="2026-12-01T18:00:00+03:00"), rec("F", at="2026-12-01T08:00:00+03:00"),
               rec("X", S.FAILED, at="2026-12-01T07:00:00+03:00"),
               rec("Y", S.PENDING, at="2026-12-01T19:00:00+03:00")]
    r = build_report(records, day=DAY)
    assert r.first_sale is not None and r.first_sale.hour == 8
    assert r.last_sale is not None and r.last_sale.hour == 18
    text = report_text(r)
    assert "First sale: 08:00" in text and "Last sale: 18:00" in text


def test_day_report_leaves_other_days_out_and_says_so():
    records = [rec("A", at="2026-12-01T10:00:00+03:00"), rec("B", at="2026-11-30T23:59:59+03:00"),
               rec("C", at="2026-12-02T00:00:00+03:00")]
    r = build_report(records, day=DAY)
    assert r.attempts == 1 and r.paid.count == 1 and r.excluded_out_of_period == 2
    assert "outside this period: 2" in report_text(r, 48)


def test_open_items_list_reference_time_phone_amount():
    records = [rec("U1", S.PENDING, 2500, "2026-12-01T11:05:00+03:00", phone="255654321987"),
               rec("N1", S.ATTENTION, 4000, "2026-12-01T12:40:00+03:00")]
    records[1] = dataclasses.replace(records[1], message="ClickPesa reports status ON-HOLD.")
    r = build_report(records, day=DAY)
    (u,), (n,) = r.unresolved, r.needs_attention
    assert (u.order_reference, u.at.strftime("%H:%M"), u.phone, u.amount_tzs, u.status) == (
        "U1", "11:05", "255654321987", 2500, "UNRESOLVED")
    assert (n.order_reference, n.status, n.message) == (
        "N1", "NEEDS_ATTENTION", "ClickPesa reports status ON-HOLD.")
    text = report_text(r, 32)
    assert "U1" in text and "11:05 +255 654 321 987" in text and "2,500" in text
    assert "N1" in text and "4,000" in text


def test_mixed_modes_are_refused_unless_a_mode_is_named():
    records = [rec("L1", amount=1000), rec("T1", amount=50000, mode="training"),
               rec("T2", amount=70000, mode="training")]
    with pytest.raises(MixedModes):
        build_report(records, day=DAY)
    live = build_report(records, day=DAY, mode="live")
    assert live.paid.amount_tzs == 1000 and live.excluded_other_mode == 2
    training = build_report(records, day=DAY, mode="training")
    assert training.paid.amount_tzs == 120000 and training.excluded_other_mode == 1
    assert training.is_training and "TRAINING" in report_text(training)
    assert "TRAINING" not in report_text(live)
    assert {m: [r.order_reference for r in rs] for m, rs in split_by_mode(records).items()} == {
        "live": ["L1"], "training": ["T1", "T2"]}


def test_one_mode_of_records_is_inferred():
    r = build_report([rec("T1", mode="training")], day=DAY)
    assert r.mode == "training"


@pytest.mark.parametrize("kwargs", [{}, {"day": DAY, "shift": "S1"}, {"day": DAY, "mode": "x"}])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(ReportError):
        build_report([rec("A")], **kwargs)


def test_unreadable_time_names_the_attempt():
    with pytest.raises(ReportError, match="BAD1"):
        build_report([rec("BAD1", at="yesterday")], day=DAY)


def test_shift_report_reads_the_future_shift_and_cashier_fields():
    records = [rec("A", amount=1000, shift="S1", cashier="Asha"),
               rec("B", amount=3000, shift="S1", cashier="Juma"),
               rec("C", amount=5000, shift="S2", cashier="Asha"),
               rec("D", S.FAILED, amount=7000, shift="S1", cashier="Juma")]
    r = build_report(records, shift="S1", till_name="Till 2")
    assert r.kind == "shift" and r.shift == "S1" and r.excluded_out_of_period == 1
    assert r.paid.amount_tzs == 4000
    assert [(c.label, c.amount_tzs) for c in r.cashiers] == [("Juma", 3000), ("Asha", 1000)]
    text = report_text(r)
    assert "Shift report" in text and "Shift: S1" in text and "Paid by cashier" in text
    # Today's records have no shift field: a shift report of them is empty, never a crash.
    assert build_report([rec("Z")], shift="S1").attempts == 0
    assert build_report([rec("Z")], day=DAY).cashiers == ()


def test_text_fits_both_paper_widths_and_shows_the_figures():
    records = [rec("M2612011000ABCDEFG", S.PAID, 1_234_567), rec("B", S.FAILED, 2000),
               rec("C", S.PENDING, 3000), rec("D", S.ATTENTION, 4_500_000)]
    r = build_report(records, day=DAY, title="Duka la Mama Asha, Kariakoo, Dar es Salaam",
                     till_name="Till 1", generated_at=datetime(2026, 12, 1, 21, 0, tzinfo=EAT))
    for width in (32, 48):
        lines = report_text(r, width).splitlines()
        assert max(len(line) for line in lines) <= width
        text = "\n".join(lines)
        assert "TOTAL PAID TZS 1,234,567" in text
        assert "Printed: 2026-12-01 21:00" in text and "Till: Till 1" in text
        paid_line = next(line for line in lines if line.startswith("Paid "))
        assert paid_line.split()[-2:] == ["1", "1,234,567"]
        assert any(line.startswith("10:00") and line.endswith("#") for line in lines)
    with pytest.raises(ReportError):
        report_text(r, 10)


def test_text_goes_through_translate_with_the_report_context():
    seen: list[tuple[str, str]] = []

    def translate(context: str, text: str) -> str:
        seen.append((context, text))
        return {"Paid": "Imelipwa", "Day report (Z)": "Ripoti ya siku (Z)"}.get(text, text)

    text = report_text(build_report([rec("A")], day=DAY), 32, translate=translate)
    assert "Imelipwa" in text and "Ripoti ya siku (Z) 2026-12-01" in text
    assert seen and {c for c, _ in seen} == {"Report"}


def test_report_from_a_real_journal(tmp_path: Path):
    clock = [datetime(2026, 12, 1, 9, 15, tzinfo=EAT)]
    j = Journal(tmp_path / "j.sqlite3", mode="live", now=lambda: clock[0])
    try:
        j.record_new("R1", phone="255712345678", amount_tzs=5000)
        j.transition("R1", S.PENDING, channel="TIGO-PESA")
        j.transition("R1", S.PAID)
        clock[0] = datetime(2026, 12, 1, 14, 2, tzinfo=EAT)
        j.record_new("R2", phone="255754000111", amount_tzs=3000)
        j.transition("R2", S.UNCERTAIN)
        clock[0] = datetime(2026, 12, 2, 8, 0, tzinfo=EAT)
        j.record_new("R3", phone="255754000111", amount_tzs=900)
        r = build_report(j.attempts(DAY, DAY), day=DAY)
    finally:
        j.close()
    assert r.attempts == 2 and r.paid.amount_tzs == 5000
    assert r.hours[9].count == 1 and r.channels[0].label == "Mixx by Yas"
    assert [i.order_reference for i in r.unresolved] == ["R2"]


# -- properties --------------------------------------------------------------------------------

_channels = st.sampled_from(["M-PESA", "MPESA", "TIGO-PESA", "AIRTEL-MONEY", "HALOPESA",
                             "", "SOMETHING"])
_offsets = st.sampled_from([UTC, EAT, timezone(timedelta(hours=-5))])


@st.composite
def _records(draw: st.DrawFn) -> list[AttemptRecord]:
    n = draw(st.integers(0, 40))
    out = []
    for i in range(n):
        at = datetime(2026, 12, 1, tzinfo=EAT) + timedelta(
            seconds=draw(st.integers(-2 * 86400, 2 * 86400)))
        at = at.astimezone(draw(_offsets))
        out.append(rec(f"R{i}", draw(st.sampled_from(list(AttemptState))),
                       draw(st.integers(1, 5_000_000)), at.isoformat(),
                       channel=draw(_channels),
                       mode=draw(st.sampled_from(["live", "live", "training"])),
                       cashier=draw(st.sampled_from(["", "Asha", "Juma"]))))
    return out


@settings(max_examples=150, deadline=None)
@given(_records(), st.sampled_from(["live", "training"]), st.booleans())
def test_sums_equal_totals_and_buckets_add_up(records, mode, in_eat):
    r = build_report(records, day=DAY, mode=mode, tz=EAT if in_eat else None)
    assert r.attempts + r.excluded_other_mode + r.excluded_out_of_period == len(records)
    assert sum(s.count for s in r.statuses) == r.attempts
    kept = [x for x in records if x.mode == mode and
            (datetime.fromisoformat(x.created_at).astimezone(EAT) if in_eat
             else datetime.fromisoformat(x.created_at)).date() == DAY]
    assert sum(s.amount_tzs for s in r.statuses) == sum(x.amount_tzs for x in kept)
    paid = [x for x in kept if x.state is AttemptState.PAID]
    assert r.paid.count == len(paid) and r.paid.amount_tzs == sum(x.amount_tzs for x in paid)
    assert sum(b.count for b in r.hours) == r.paid.count
    assert sum(b.amount_tzs for b in r.hours) == r.paid.amount_tzs
    assert sum(c.count for c in r.channels) == r.paid.count
    assert sum(c.amount_tzs for c in r.channels) == r.paid.amount_tzs
    if r.cashiers:
        assert sum(c.amount_tzs for c in r.cashiers) == r.paid.amount_tzs
    assert len(r.unresolved) == r.status("UNRESOLVED").count
    assert len(r.needs_attention) == r.status("NEEDS_ATTENTION").count
    assert (r.first_sale is None) == (r.paid.count == 0)
    if r.first_sale is not None:
        assert r.last_sale is not None and r.first_sale <= r.last_sale
    for width in (32, 48):
        assert all(len(line) <= width for line in report_text(r, width).splitlines())


# -- the hour chart and the report PDF (QtGui) --------------------------------------------------

def _chart_image(values, *, labels: bool, size=(480, 240)):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from pos_app.reports.chart import paint_hour_chart

    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_hour_chart(painter, QRectF(0, 0, size[0], size[1]), values, labels=labels)
    painter.end()
    return image


def _bar_pixels(image, x: int) -> list[int]:
    from pos_app.reports.chart import BAR_COLOR

    return [y for y in range(image.height()) if image.pixelColor(x, y) == BAR_COLOR]


def test_tallest_bar_fills_the_height_and_others_are_in_proportion(qapp):
    values = [0] * 24
    values[10], values[4], values[20] = 10_000, 5_000, 2_500
    image = _chart_image(values, labels=False)  # 480 wide: 20 px per hour
    tallest = _bar_pixels(image, 210)
    assert len(tallest) >= 238 and tallest[0] <= 1  # from the top to the axis
    half = _bar_pixels(image, 90)
    assert abs(len(half) - 120) <= 2 and half[-1] >= 237  # standing on the axis
    assert abs(len(_bar_pixels(image, 410)) - 60) <= 2
    assert _bar_pixels(image, 110) == []  # an hour without sales
    assert _bar_pixels(image, 200) == [] and _bar_pixels(image, 219) == []  # the gaps


def test_labels_take_a_band_under_the_bars(qapp):
    from PySide6.QtGui import QColor

    values = [0] * 24
    values[0] = 7
    image = _chart_image(values, labels=True)
    bar = _bar_pixels(image, 10)
    assert bar and bar[0] <= 1 and bar[-1] < 225  # shortened by the label band
    band = [(x, y) for x in range(480) for y in range(bar[-1] + 3, 240)
            if image.pixelColor(x, y) != QColor("white")]
    assert band, "the hour labels are painted under the bars"


def test_chart_takes_hour_buckets_by_amount_or_count(qapp):
    from pos_app.reports.chart import hour_values

    records = [rec("A", amount=100, at="2026-12-01T08:00:00+03:00"),
               rec("B", amount=100, at="2026-12-01T08:30:00+03:00"),
               rec("C", amount=900, at="2026-12-01T09:00:00+03:00")]
    report = build_report(records, day=DAY)
    assert hour_values(report.hours)[8:10] == [200, 900]
    assert hour_values(report.hours, "count")[8:10] == [2, 1]
    by_amount = _chart_image(report.hours, labels=False)
    assert len(_bar_pixels(by_amount, 190)) >= 239  # 09:00, the most shillings
    assert abs(len(_bar_pixels(by_amount, 170)) - 240 * 200 / 900) <= 2  # 08:00
    with pytest.raises(ValueError):
        hour_values([1, 2, 3])
    with pytest.raises(ValueError):
        hour_values([-1] + [0] * 23)


def test_an_empty_chart_paints_no_bars(qapp):
    image = _chart_image([0] * 24, labels=True)
    assert all(_bar_pixels(image, x) == [] for x in range(0, 480, 7))


def _pdf(pdf: bytes) -> tuple[int, str]:
    import io
    import re

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return len(reader.pages), re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize("paper", ["58mm", "80mm", "A4"])
def test_report_pdf_contains_the_figures(qapp, paper: str):
    from pos_app.reports.pdf import report_pdf

    records = [rec("M2612011000PAIDAAA", amount=1_234_567),
               rec("M2612011100OPENBBB", S.PENDING, 2500, "2026-12-01T11:00:00+03:00")]
    pdf = report_pdf(build_report(records, day=DAY, title="Duka la Mama Asha"),
                     paper_name=paper)
    pages, text = _pdf(pdf)
    assert pdf.startswith(b"%PDF-") and pages == 1
    for expected in ("DukalaMamaAsha", "Dayreport(Z)2026-12-01", "TOTALPAIDTZS1,234,567",
                     "M2612011100OPENBBB", "2,500"):
        assert expected in text, expected


def test_a_long_report_is_paged_on_a4_and_loses_nothing(qapp):
    from pos_app.reports.pdf import report_pdf

    records = [rec(f"OPEN{i:04d}", S.UNCERTAIN, 1000 + i) for i in range(150)]
    pages, text = _pdf(report_pdf(build_report(records, day=DAY), paper_name="A4"))
    assert pages >= 3
    assert all(f"OPEN{i:04d}" in text for i in range(150))
