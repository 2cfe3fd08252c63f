"""Printing slips on a network ESC/POS thermal printer (the usual 58/80 mm shop printer, port 9100).

Printing is blocking network I/O that can hang for seconds on a printer that is off, so these
are plain blocking functions meant to run on a worker (the window's QThreadPool adapter), never
on the GUI thread. Whatever goes wrong (refused, no answer, unknown address, connection lost,
out of paper when the printer says so, python-escpos refusing) comes back as one `PrintError`
with a reason code and a plain sentence; nothing else escapes.

The connection is made here with `socket.create_connection` (hostnames, IPv6, a connect
timeout separate from the write timeout, and the original OSError to classify) and handed to
python-escpos's `escpos.printer.Network`, which does the ESC/POS encoding.
"""

from __future__ import annotations

import enum
import io
import socket
from collections.abc import Callable, Sequence
from typing import Any

from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.receipts.qr import QRError, qr_png
from pos_app.receipts.receipt import MASK, Receipt, Translate, identity, receipt_lines
from pos_app.reports.text import fill

DEFAULT_PORT = 9100
CONTEXT = "Printer"


class PrintProblem(enum.Enum):
    BAD_ADDRESS = "bad_address"
    NOT_FOUND = "not_found"  # the host name does not resolve
    REFUSED = "refused"
    TIMEOUT = "timeout"  # no connection within the connect timeout
    STALLED = "stalled"  # connected, but the printer stopped taking data
    LOST = "lost"  # the connection broke while printing
    NO_PAPER = "no_paper"
    DRIVER = "driver"  # python-escpos refused the content


_SENTENCES = {
    PrintProblem.BAD_ADDRESS: QT_TRANSLATE_NOOP(
        "Printer", "The printer address {host}:{port} is not valid."),
    PrintProblem.NOT_FOUND: QT_TRANSLATE_NOOP(
        "Printer", "The printer {host} cannot be found on the network: check its address "
                   "in Settings."),
    PrintProblem.REFUSED: QT_TRANSLATE_NOOP(
        "Printer", "The printer at {host}:{port} refused the connection: check that it is "
                   "switched on and that the port is right."),
    PrintProblem.TIMEOUT: QT_TRANSLATE_NOOP(
        "Printer", "The printer at {host}:{port} did not answer: check that it is switched "
                   "on and connected to the network."),
    PrintProblem.STALLED: QT_TRANSLATE_NOOP(
        "Printer", "The printer at {host}:{port} stopped taking the slip: check its paper "
                   "and cover, then print again."),
    PrintProblem.LOST: QT_TRANSLATE_NOOP(
        "Printer", "The connection to the printer at {host}:{port} was lost while printing: "
                   "print again."),
    PrintProblem.NO_PAPER: QT_TRANSLATE_NOOP(
        "Printer", "The printer at {host}:{port} is out of paper."),
    PrintProblem.DRIVER: QT_TRANSLATE_NOOP(
        "Printer", "The slip could not be prepared for the printer: {detail}"),
}


class PrintError(Exception):
    """Printing failed; `str()` is the English sentence, `sentence(translate)` a translated one."""

    def __init__(self, problem: PrintProblem, host: str, port: int, detail: str = "") -> None:
        self.problem, self.host, self.port, self.detail = problem, host, port, detail
        super().__init__(self.sentence())

    def sentence(self, translate: Translate = identity) -> str:
        english = _SENTENCES[self.problem]
        return fill(translate(CONTEXT, english), english, host=self.host, port=self.port,
                    detail=self.detail)


def _printable(line: str) -> str:
    # The mask bullet needs a code-page switch many cheap printers get wrong; '*' never does.
    return line.replace(MASK, "*")


def _connect(host: str, port: int, timeout: float) -> socket.socket:
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror:
        raise PrintError(PrintProblem.NOT_FOUND, host, port) from None
    except ConnectionRefusedError:
        raise PrintError(PrintProblem.REFUSED, host, port) from None
    except TimeoutError:
        raise PrintError(PrintProblem.TIMEOUT, host, port) from None
    except OSError:  # unreachable network or host, and the like
        raise PrintError(PrintProblem.TIMEOUT, host, port) from None


def _out_of_paper(printer: Any, sock: socket.socket, status_timeout: float,
                  io_timeout: float) -> bool:
    """Ask the printer for its paper sensor (DLE EOT 4). A printer that does not answer is
    taken to not report status, not to be out of paper."""
    sock.settimeout(status_timeout)
    try:
        return printer.paper_status() == 0
    except TimeoutError:
        return False
    finally:
        sock.settimeout(io_timeout)


def _assume_paper_width(printer: Any, pixels: int) -> None:
    """Give the printer's profile a paper width when it has none. The profile's data is shared
    by every printer of its class, so this instance gets a copy instead of a change."""
    data = dict(printer.profile.profile_data)
    media = dict(data.get("media") or {})
    width = dict(media.get("width") or {})
    if not isinstance(width.get("pixels"), int):
        width["pixels"] = pixels
        media["width"] = width
        data["media"] = media
        printer.profile.profile_data = data


def print_lines(
    host: str,
    port: int,
    lines: Sequence[str],
    *,
    qr_data: str = "",
    qr_native: bool = False,
    cut: bool = True,
    connect_timeout: float = 3.0,
    io_timeout: float = 10.0,
    check_paper: bool = False,
    status_timeout: float = 1.0,
    profile: str | None = None,
    paper_width_px: int = 384,
    printer_factory: Callable[..., Any] | None = None,
) -> None:
    """Print text lines, then a QR code of `qr_data` (when given), then cut. Blocking.

    `qr_native` asks the printer to draw the QR itself (GS ( k, on most printers since ~2012);
    by default it is sent as a raster image made by segno, which every raster printer prints.
    `check_paper` asks the paper sensor first and refuses with NO_PAPER when it says empty.
    `profile` names a python-escpos printer profile (e.g. "TM-T20II"); the default profile
    knows no paper width, so `paper_width_px` (384 dots on 58 mm paper, 576 on 80 mm) stands
    in for it to centre the QR image.
    `printer_factory` stands in for `escpos.printer.Network` (tests).
    """
    try:
        port = int(port)  # a settings file may hand over "9100"
    except (TypeError, ValueError):
        raise PrintError(PrintProblem.BAD_ADDRESS, host, port) from None
    if not host or not 0 < port < 65536:
        raise PrintError(PrintProblem.BAD_ADDRESS, host, port)
    from escpos.exceptions import Error as EscposError
    from escpos.printer import Network

    sock = _connect(host, port, connect_timeout)
    sock.settimeout(io_timeout)
    factory = printer_factory or Network
    try:
        printer = factory(host=host, port=port, timeout=io_timeout, profile=profile)
    except LookupError:
        sock.close()
        raise PrintError(PrintProblem.DRIVER, host, port,
                         f"unknown printer profile {profile!r}") from None
    except (EscposError, ValueError) as exc:
        sock.close()
        raise PrintError(PrintProblem.DRIVER, host, port, str(exc).strip()) from None
    printer.device = sock  # already connected: python-escpos will not open its own
    _assume_paper_width(printer, paper_width_px)
    try:
        if check_paper and _out_of_paper(printer, sock, status_timeout, io_timeout):
            raise PrintError(PrintProblem.NO_PAPER, host, port)
        printer.set(align="left")
        for line in lines:
            printer.textln(_printable(line))
        if qr_data:
            printer.ln()
            printer.set(align="center")
            if qr_native:
                printer.qr(qr_data, native=True, size=6)
            else:
                from PIL import Image

                printer.image(Image.open(io.BytesIO(qr_png(qr_data, scale=5, border=2))),
                              center=True)
            printer.set(align="left")
        if cut:
            printer.cut()
        else:
            printer.ln(3)
    except PrintError:
        raise
    except TimeoutError:
        raise PrintError(PrintProblem.STALLED, host, port) from None
    except OSError:
        raise PrintError(PrintProblem.LOST, host, port) from None
    except QRError as exc:
        raise PrintError(PrintProblem.DRIVER, host, port, str(exc)) from None
    except (EscposError, ValueError) as exc:
        raise PrintError(PrintProblem.DRIVER, host, port, str(exc).strip()) from None
    finally:
        try:
            printer.close()
        except OSError:
            pass
        sock.close()


def print_receipt(host: str, port: int, receipt: Receipt, *, columns: int = 32,
                  translate: Translate = identity, **options: Any) -> None:
    """Print a payment confirmation with a QR code of its order reference, then cut.
    `columns`: 32 for 58 mm paper, 48 for 80 mm. Other options as for `print_lines`."""
    lines = receipt_lines(receipt, columns, translate=translate)
    options.setdefault("paper_width_px", 576 if columns >= 48 else 384)
    print_lines(host, port, lines, qr_data=receipt.order_reference, **options)
