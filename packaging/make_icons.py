"""Generate the app icons from resources/icons/pos-app.svg.

    python packaging/make_icons.py          # (re)write pos-app.png, pos-app.ico, pos-app.icns
    python packaging/make_icons.py --check  # exit 1 if the committed icons are stale

Qt (QtSvg) renders the SVG at every size the platforms ask for; this script then writes the
containers itself, so the result does not depend on which Qt image plugins are installed:

* pos-app.png  — 256 px, used by the window (QApplication.setWindowIcon) on every platform.
* pos-app.ico  — Windows (the .exe and the installer): 16…48 px as 32-bit DIBs (what the shell
  expects at small sizes) and 64, 128, 256 px as PNG entries.
* pos-app.icns — macOS (the .app bundle): PNG entries from 16 to 1024 px (icp4…ic10).

The generated files are committed (they are small) so a plain `pip install` has them.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / "pos-app.svg"

PNG_SIZE = 256
ICO_DIB_SIZES = (16, 20, 24, 32, 40, 48)
ICO_PNG_SIZES = (64, 128, 256)
# (type, pixel size) — Apple's icns element types that hold PNG data.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def _qt():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(sys.argv[:1])


def render(size: int, source: Path = SOURCE):
    """The SVG drawn at size×size pixels, as a straight-alpha ARGB32 QImage."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {source} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("make_icons: Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def _dib_bytes(image) -> bytes:
    """A 32-bit BGRA DIB as an .ico entry wants it: double height, bottom-up, AND mask."""
    w, h = image.width(), image.height()
    header = struct.pack("<IiiHHIIiiII", 40, w, 2 * h, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(h - 1, -1, -1):
        row = bytearray()
        for x in range(w):
            argb = image.pixel(x, y)
            row += struct.pack("<I", argb)  # little-endian 0xAARRGGBB -> B, G, R, A
        rows.append(bytes(row))
    mask_row = bytes(((w + 31) // 32) * 4)  # all zero: the alpha channel does the masking
    return header + b"".join(rows) + mask_row * h


def ico_bytes(source: Path = SOURCE) -> bytes:
    entries = [(s, _dib_bytes(render(s, source))) for s in ICO_DIB_SIZES]
    entries += [(s, png_bytes(render(s, source))) for s in ICO_PNG_SIZES]
    out = bytearray(struct.pack("<HHH", 0, 1, len(entries)))
    offset = 6 + 16 * len(entries)
    for size, data in entries:
        dim = 0 if size >= 256 else size
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for _, data in entries:
        out += data
    return bytes(out)


def icns_bytes(source: Path = SOURCE) -> bytes:
    cache: dict[int, bytes] = {}
    body = bytearray()
    for kind, size in ICNS_TYPES:
        if size not in cache:
            cache[size] = png_bytes(render(size, source))
        body += kind + struct.pack(">I", 8 + len(cache[size])) + cache[size]
    return b"icns" + struct.pack(">I", 8 + len(body)) + bytes(body)


def generate(source: Path = SOURCE) -> dict[str, bytes]:
    _qt()
    return {
        "pos-app.png": png_bytes(render(PNG_SIZE, source)),
        "pos-app.ico": ico_bytes(source),
        "pos-app.icns": icns_bytes(source),
    }


def container_entries(path: Path) -> list[tuple[int, bytes]]:
    """(pixel size, image data) of each entry of our .ico or .icns, parsed here (no Qt plugin)."""
    data = path.read_bytes()
    entries: list[tuple[int, bytes]] = []
    if data[:4] == b"icns":
        sizes = dict(ICNS_TYPES)
        pos = 8
        while pos + 8 <= len(data):
            kind, length = data[pos:pos + 4], struct.unpack(">I", data[pos + 4:pos + 8])[0]
            if length < 8:
                break
            if kind in sizes:
                entries.append((sizes[kind], data[pos + 8:pos + length]))
            pos += length
    elif data[:4] == b"\0\0\1\0":
        (count,) = struct.unpack("<H", data[4:6])
        for i in range(count):
            w, _h, _c, _r, _p, _b, size, offset = struct.unpack(
                "<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
            entries.append((w or 256, data[offset:offset + size]))
    return entries


def _largest_image(path: Path):
    """The biggest PNG entry of an .ico/.icns container, decoded, as ARGB32 (None if none)."""
    from PySide6.QtGui import QImage

    pngs = [(size, blob) for size, blob in container_entries(path)
            if blob[:8] == b"\x89PNG\r\n\x1a\n"]
    if not pngs:
        return None
    image = QImage.fromData(max(pngs, key=lambda e: e[0])[1], "PNG")
    return None if image.isNull() else image.convertToFormat(QImage.Format.Format_ARGB32)


def same_pixels(a, b, tolerance: int = 2) -> bool:
    """Equal sizes and no channel further apart than `tolerance` (zlib/rounding noise)."""
    if a is None or b is None or a.size() != b.size():
        return False
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixel(x, y), b.pixel(x, y)
            for shift in (0, 8, 16, 24):
                if abs(((pa >> shift) & 255) - ((pb >> shift) & 255)) > tolerance:
                    return False
    return True


def check(directory: Path = ICONS, source: Path = SOURCE) -> list[str]:
    """Names of the icons in `directory` that are missing or do not match the SVG."""
    from PySide6.QtGui import QImage

    _qt()
    stale = []
    expected = {"pos-app.png": PNG_SIZE, "pos-app.ico": max(ICO_PNG_SIZES),
                "pos-app.icns": max(size for _, size in ICNS_TYPES)}
    for name, size in expected.items():
        path = directory / name
        if not path.is_file():
            stale.append(name)
            continue
        got = _largest_image(path) if name != "pos-app.png" else \
            QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32)
        # Compare at 64 px: enough to see a changed drawing, quick in pure Python.
        want = render(size, source).scaled(64, 64)
        if got is None or got.width() != size or not same_pixels(got.scaled(64, 64), want):
            stale.append(name)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the committed icons do not match the SVG")
    parser.add_argument("--out", type=Path, default=ICONS, help="directory to write to")
    args = parser.parse_args(argv)
    if args.check:
        stale = check(args.out)
        if stale:
            print(f"make_icons: stale or missing: {', '.join(stale)}; "
                  "run python packaging/make_icons.py", file=sys.stderr)
            return 1
        print("make_icons: icons match pos-app.svg")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in generate().items():
        (args.out / name).write_bytes(data)
        print(f"make_icons: wrote {args.out / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
