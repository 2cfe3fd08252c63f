"""Payment confirmations: content, masking, text lines, QR code, ESC/POS printing and PDF."""

from __future__ import annotations

import dataclasses
import io
import re
import socket
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import zxingcpp
from fake_printer import FakePrinter
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pos_app.domain.attempt import AttemptRecord, AttemptState
from pos_app.receipts import receipt as receipt_module
from pos_app.receipts.escpos import PrintError, PrintProblem, print_lines, print_receipt
from pos_app.receipts.qr import QRError, qr_matrix, qr_png, qr_svg
from pos_app.receipts.receipt import (
    NotPaid,
    Receipt,
    ShopSettings,
    build_receipt,
    mask_phone,
    receipt_fields,
    receipt_lines,
)

REF = "M2612011000ABCDEFG"
EAT = timezone(timedelta(hours=3))
SHOP = ShopSettings("Duka la Mama Asha", ("Kariakoo, Dar es Salaam", "Simu 0754 000 111"),
                    till_name="Till 1", cashier="Asha")
GS_V_FULL_CUT = b"\x1dV\x00"  # GS V 0, written out here rather than taken from python-escpos


@dataclasses.dataclass(frozen=True)
class FutureRecord(AttemptRecord):
    payment_reference: str = ""
    cashier: str = ""
    shift: str = ""


def paid(ref: str = REF, *, state: AttemptState = AttemptState.PAID, mode: str = "live",
         **future: str) -> AttemptRecord:
    fields = dict(order_reference=ref, mode=mode, phone="255712345678", amount_tzs=15000,
                  network_hint="Mixx by Yas", state=state,
                  created_at="2026-12-01T10:04:31+03:00", updated_at="2026-12-01T10:04:52+03:00",
                  channel="TIGO-PESA", clickpesa_id="LIVE-7Q2X9K", till_name="")
    if future:
        return FutureRecord(**fields, **future)  # type: ignore[arg-type]
    return AttemptRecord(**fields)  # type: ignore[arg-type]


# -- mask_phone ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("given_", "shown"), [
    ("255712345678", "+255 7•• ••• 678"),
    ("+255 712 345 678", "+255 7•• ••• 678"),
    ("0712345678", "+255 7•• ••• 678"),
    ("0712 345 678", "+255 7•• ••• 678"),
    ("712345678", "+255 7•• ••• 678"),
    ("255654321987", "+255 6•• ••• 987"),
    ("447700900123", "•••••••••123"),  # foreign: only the last three
    ("2557123456789", "••••••••••789"),  # too long to be Tanzanian
    ("12345", "••345"),
    ("1234", "••••"),
    ("12", "••"),
    ("", ""),
    ("no digits", ""),
])
def test_mask_phone_shapes(given_: str, shown: str):
    assert mask_phone(given_) == shown


@given(st.text(alphabet="0123456789 +-", max_size=20))
def test_mask_phone_never_shows_more_than_four_digits(text: str):
    masked = mask_phone(text)
    digits = re.sub(r"\D", "", masked.removeprefix("+255 "))
    assert len(digits) <= 4
    assert len(re.sub(r"\D", "", text)) <= 4 or len(digits) >= 3


# -- the receipt --------------------------------------------------------------------------------

def test_receipt_from_a_paid_attempt():
    r = build_receipt(paid(), SHOP)
    assert r == Receipt(
        shop_name="Duka la Mama Asha",
        header_lines=("Kariakoo, Dar es Salaam", "Simu 0754 000 111"),
        paid_at=datetime(2026, 12, 1, 10, 4, 31, tzinfo=EAT),
        amount_tzs=15000, network="Mixx by Yas", phone_masked="+255 7•• ••• 678",
        clickpesa_id="LIVE-7Q2X9K", payment_reference="", order_reference=REF,
        till_name="Till 1", cashier="Asha", training=False)


@pytest.mark.parametrize("state", [s for s in AttemptState if s is not AttemptState.PAID])
def test_no_receipt_for_an_attempt_that_is_not_paid(state: AttemptState):
    with pytest.raises(NotPaid, match="Only a paid attempt"):
        build_receipt(paid(state=state), SHOP)


def test_future_fields_are_read_when_present():
    r = build_receipt(paid(payment_reference="QK81XYZ09A", cashier="Juma"), SHOP)
    assert r.payment_reference == "QK81XYZ09A" and r.cashier == "Juma"
    text = "\n".join(receipt_lines(r, 32))
    assert "QK81XYZ09A" in text and "Juma" in text


def test_at_most_three_header_lines():
    ShopSettings("S", ("a", "b", "c"))
    with pytest.raises(ValueError):
        ShopSettings("S", ("a", "b", "c", "d"))


@pytest.mark.parametrize("width", [32, 48])
def test_lines_fit_the_paper_and_say_everything(width: int):
    lines = receipt_lines(build_receipt(paid(payment_reference="QK81XYZ09A"), SHOP), width)
    assert max(map(len, lines)) <= width
    text = "\n".join(lines)
    for expected in ("DUKA LA MAMA ASHA", "Kariakoo, Dar es Salaam", "Payment confirmation",
                     "Not a TRA fiscal receipt", "2026-12-01 10:04", "TZS 15,000",
                     "Mixx by Yas", "+255 7•• ••• 678", "LIVE-7Q2X9K", "QK81XYZ09A", REF,
                     "Till 1", "Asha", "Thank you for your payment!"):
        assert expected in text, expected
    assert "255712345678" not in text and "345" not in text.split("Paid from")[1].split("\n")[0]
    amount = next(line for line in lines if line.startswith("Amount"))
    assert amount.endswith("TZS 15,000") and len(amount) == width
    assert "TRAINING" not in text


def test_empty_operator_id_is_left_out_and_training_is_said():
    r = build_receipt(paid(mode="training"), ShopSettings("Shop"))
    text = "\n".join(receipt_lines(r, 32))
    assert "Operator transaction id" not in text and "Cashier" not in text
    assert "TRAINING - no money moved" in text


def test_every_sentence_goes_through_translate_with_the_receipt_context():
    calls: list[tuple[str, str]] = []

    def translate(context: str, text: str) -> str:
        calls.append((context, text))
        return "«" + text + "»"

    r = build_receipt(paid(payment_reference="P1", mode="training"), SHOP)
    text = "\n".join(receipt_lines(r, 48, translate=translate))
    marked = set(re.findall(r'QT_TRANSLATE_NOOP\(\s*"Receipt",\s*"([^"]+)"\)',
                            Path(receipt_module.__file__).read_text(encoding="utf-8")))
    shown = marked - {receipt_module.NOT_PAID}
    assert {t for _, t in calls} == shown and {c for c, _ in calls} == {"Receipt"}
    assert "«Payment confirmation»" in text and "«TZS {amount}»" not in text
    assert "«TZS 15,000»" in text  # the template is translated, then filled in


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.lists(st.text(max_size=50), max_size=3), st.text(max_size=40),
       st.text(max_size=70), st.integers(1, 10**12), st.sampled_from([16, 32, 48]))
def test_lines_never_overflow(shop, header, cashier, payment_ref, amount, width):
    record = dataclasses.replace(paid(payment_reference=payment_ref, cashier=cashier),
                                 amount_tzs=amount)
    lines = receipt_lines(build_receipt(record, ShopSettings(shop, tuple(header))), width)
    assert all(len(line) <= width for line in lines)


def test_pure_modules_import_no_qt_and_no_printer_driver():
    code = ("import sys; import pos_app.receipts.receipt, pos_app.receipts.qr, "
            "pos_app.reports.zreport, pos_app.reports.reconcile, pos_app.receipts.escpos; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'escpos', 'PIL'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


# -- QR -----------------------------------------------------------------------------------------

def _decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("data", [REF, "ref-lower-123", "X"])
def test_qr_png_decodes_to_the_reference(data: str):
    png = qr_png(data, scale=4, border=4)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert _decode(image) == [data]
    modules = len(qr_matrix(data))
    assert image.size == ((modules + 8) * 4,) * 2


def test_qr_matrix_is_square_and_has_finder_patterns():
    m = qr_matrix(REF)
    n = len(m)
    assert n >= 21 and (n - 17) % 4 == 0 and all(len(row) == n for row in m)
    finder = [row[:7] for row in m[:7]]
    assert all(finder[0]) and all(finder[6]) and not any(finder[1][1:6])
    img = Image.new("1", (n + 8, n + 8), 1)
    for y, row in enumerate(m):
        for x, dark in enumerate(row):
            if dark:
                img.putpixel((x + 4, y + 4), 0)
    assert _decode(img.resize(((n + 8) * 4,) * 2, Image.NEAREST)) == [REF]


def test_qr_svg_and_errors():
    svg = qr_svg(REF, scale=2, border=1)
    side = (len(qr_matrix(REF)) + 2) * 2
    assert svg.startswith("<svg") and f'width="{side}" height="{side}"' in svg
    with pytest.raises(QRError):
        qr_png("")
    with pytest.raises(QRError):
        qr_matrix("x" * 8000)


# -- ESC/POS over a real loopback socket --------------------------------------------------------

def _raster_images(data: bytes) -> list[Image.Image]:
    """Decode every GS v 0 raster image in an ESC/POS byte stream."""
    images = []
    for m in re.finditer(rb"\x1dv0[\x00-\x03]", data):
        start = m.end()
        x_bytes = data[start] + 256 * data[start + 1]
        height = data[start + 2] + 256 * data[start + 3]
        bits = data[start + 4:start + 4 + x_bytes * height]
        image = Image.frombytes("1", (x_bytes * 8, height), bits)
        images.append(Image.eval(image.convert("L"), lambda v: 255 - v))  # 1 = black on paper
    return images


def test_a_receipt_reaches_the_printer_with_its_reference_qr_and_cut():
    printer = FakePrinter()
    receipt = build_receipt(paid(), SHOP)
    print_receipt("127.0.0.1", printer.port, receipt, columns=32)
    data = printer.finish()
    assert REF.encode() in data and b"TZS 15,000" in data and b"Payment confirmation" in data
    assert b"+255 7** *** 678" in data  # the bullet is sent as '*'
    assert data.endswith(GS_V_FULL_CUT)
    images = _raster_images(data)
    assert len(images) == 1 and _decode(images[0].resize(
        (images[0].width * 3, images[0].height * 3), Image.NEAREST)) == [REF]


def test_native_qr_and_no_cut():
    printer = FakePrinter()
    print_lines("127.0.0.1", printer.port, ["hello"], qr_data=REF, qr_native=True, cut=False)
    data = printer.finish()
    assert b"\x1d(k" in data and b"1P0" + REF.encode() in data
    assert GS_V_FULL_CUT not in data and b"hello\n" in data


def test_out_of_paper_is_refused_before_anything_prints():
    printer = FakePrinter(paper=0x72)  # paper-end sensor: no paper
    with pytest.raises(PrintError) as caught:
        print_receipt("127.0.0.1", printer.port, build_receipt(paid(), SHOP),
                      check_paper=True)
    assert caught.value.problem is PrintProblem.NO_PAPER
    assert str(caught.value) == f"The printer at 127.0.0.1:{printer.port} is out of paper."
    assert REF.encode() not in printer.finish()


def test_paper_present_prints():
    printer = FakePrinter(paper=0x12)
    print_lines("127.0.0.1", printer.port, [REF], check_paper=True)
    data = printer.finish()
    assert data.startswith(b"\x10\x04\x04") and REF.encode() in data


def test_a_printer_that_does_not_report_status_still_prints():
    printer = FakePrinter(paper=None)
    print_lines("127.0.0.1", printer.port, [REF], check_paper=True, status_timeout=0.2)
    assert REF.encode() in printer.finish()


def test_connection_broken_while_printing():
    printer = FakePrinter(reset_on_status=True)
    with pytest.raises(PrintError) as caught:
        print_lines("127.0.0.1", printer.port, [REF], check_paper=True)
    printer.finish()
    assert caught.value.problem is PrintProblem.LOST
    assert "was lost while printing" in str(caught.value)


def _closed_port() -> int:
    s = socket.create_server(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_closed_port_is_refused_quickly():
    port = _closed_port()
    started = datetime.now()
    with pytest.raises(PrintError) as caught:
        print_receipt("127.0.0.1", port, build_receipt(paid(), SHOP), connect_timeout=5)
    assert (datetime.now() - started).total_seconds() < 2
    assert caught.value.problem is PrintProblem.REFUSED
    assert str(caught.value) == (f"The printer at 127.0.0.1:{port} refused the connection: "
                                 "check that it is switched on and that the port is right.")
    swahili = "Printa {host}:{port} imekataa muunganisho."
    assert caught.value.sentence(lambda c, t: swahili if c == "Printer" else t) == (
        f"Printa 127.0.0.1:{port} imekataa muunganisho.")
    # A translation that broke a placeholder falls back to the English, never raises.
    assert caught.value.sentence(lambda c, t: "Printa {HOST}").startswith("The printer at")


def test_unknown_host_and_bad_address(monkeypatch: pytest.MonkeyPatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(PrintError) as caught:
        print_lines("printer.shop.invalid", 9100, ["x"])
    assert caught.value.problem is PrintProblem.NOT_FOUND
    for host, port in (("", 9100), ("127.0.0.1", 0), ("127.0.0.1", 70000),
                       ("127.0.0.1", "ninety")):
        with pytest.raises(PrintError) as caught:
            print_lines(host, port, ["x"])
        assert caught.value.problem is PrintProblem.BAD_ADDRESS


def test_connect_timeout_is_a_print_error(monkeypatch: pytest.MonkeyPatch):
    def never_answers(address, timeout=None, **kwargs):
        assert timeout == 1.5
        raise TimeoutError("timed out")

    monkeypatch.setattr(socket, "create_connection", never_answers)
    with pytest.raises(PrintError) as caught:
        print_lines("10.0.0.99", 9100, ["x"], connect_timeout=1.5)
    assert caught.value.problem is PrintProblem.TIMEOUT
    assert "did not answer" in str(caught.value)


def test_python_escpos_errors_become_print_errors():
    from escpos.exceptions import Error as EscposError
    from escpos.printer import Network

    class Jammed(Network):
        def cut(self, mode: str = "FULL", feed: bool = True) -> None:
            raise EscposError("Cutter jammed")

    printer = FakePrinter()
    with pytest.raises(PrintError) as caught:
        print_lines("127.0.0.1", printer.port, [REF], printer_factory=Jammed)
    printer.finish()
    assert caught.value.problem is PrintProblem.DRIVER and "Cutter jammed" in str(caught.value)

    printer = FakePrinter()
    with pytest.raises(PrintError) as caught:
        print_lines("127.0.0.1", printer.port, [REF], profile="NO-SUCH-PRINTER")
    printer.finish()
    assert caught.value.problem is PrintProblem.DRIVER
    assert "NO-SUCH-PRINTER" in str(caught.value)


def test_receipt_fields_leave_out_empty_values():
    r = dataclasses.replace(build_receipt(paid(), ShopSettings("S")), network="")
    labels = [label for label, _ in receipt_fields(r)]
    assert labels == ["Date", "Amount", "Paid from", "ClickPesa payment id", "Order reference"]


# -- PDF (QtGui) --------------------------------------------------------------------------------

def _pdf_text(pdf: bytes) -> tuple[int, list[float], str]:
    """(pages, page widths in mm, the text with all whitespace removed)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    widths = [float(page.mediabox.width) * 25.4 / 72 for page in reader.pages]
    text = "".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), widths, re.sub(r"\s+", "", text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("paper", "width_mm"), [("58mm", 58), ("80mm", 80), ("A4", 210)])
def test_receipt_pdf_has_the_paper_width_and_the_text(qapp, paper: str, width_mm: float):
    from pos_app.receipts.pdf import receipt_pdf

    pdf = receipt_pdf(build_receipt(paid(payment_reference="QK81XYZ09A"), SHOP),
                      paper_name=paper)
    assert pdf.startswith(b"%PDF-")
    pages, widths, text = _pdf_text(pdf)
    assert pages == 1 and widths[0] == pytest.approx(width_mm, abs=0.5)
    for expected in (REF, "TZS 15,000", "Payment confirmation", "Not a TRA fiscal receipt",
                     "+255 7•• ••• 678", "LIVE-7Q2X9K", "QK81XYZ09A", "Mixx by Yas"):
        assert _squash(expected) in text, expected


def test_receipt_pdf_is_translated_and_refuses_unknown_paper(qapp):
    from pos_app.receipts.pdf import receipt_pdf

    receipt = build_receipt(paid(), SHOP)
    swahili = {"Payment confirmation": "Uthibitisho wa malipo", "TZS {amount}": "TSh {amount}"}
    _, _, text = _pdf_text(receipt_pdf(receipt, paper_name="58mm",
                                       translate=lambda c, t: swahili.get(t, t)))
    assert "Uthibitishowamalipo" in text and "TSh15,000" in text
    with pytest.raises(ValueError, match="Unknown paper"):
        receipt_pdf(receipt, paper_name="A5")


def test_receipt_pdf_can_be_made_on_a_worker_thread(qapp):
    from pos_app.receipts.pdf import receipt_pdf

    receipt = build_receipt(paid(), SHOP)
    out: list[bytes] = []
    worker = threading.Thread(target=lambda: out.append(receipt_pdf(receipt, paper_name="80mm")))
    worker.start()
    worker.join(timeout=30)
    assert out and REF in _pdf_text(out[0])[2]


def _qimage_to_pil(image) -> Image.Image:
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data().data())))


def test_paint_qr_draws_a_code_that_scans(qapp):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from pos_app.receipts.pdf import paint_qr

    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_qr(painter, QRectF(0, 0, 300, 200), qr_matrix(REF))
    painter.end()
    assert _decode(_qimage_to_pil(image)) == [REF]
    assert image.pixelColor(5, 100) == QColor("white")  # centred: the sides stay white


def test_the_qr_in_the_pdf_scans(qapp, tmp_path):
    from pos_app.receipts.pdf import receipt_pdf

    (tmp_path / "r.pdf").write_bytes(receipt_pdf(build_receipt(paid(), SHOP), paper_name="58mm"))
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(tmp_path / "r.pdf"),
                    str(tmp_path / "r")], check=True, timeout=60)
    assert _decode(Image.open(tmp_path / "r.png")) == [REF]


def test_a_translation_with_a_broken_placeholder_still_prints_the_amount():
    receipt = build_receipt(paid(), SHOP)
    broken = {"TZS {amount}": "TSh {kiasi}", "Amount": "Kiasi"}
    lines = receipt_lines(receipt, 32, translate=lambda c, t: broken.get(t, t))
    amount = next(line for line in lines if line.startswith("Kiasi"))
    assert amount.endswith("TZS 15,000")
