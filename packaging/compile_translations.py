"""Compile the Qt translation catalogues: resources/translations/*.ts -> *.qm.

    python packaging/compile_translations.py            # next to the .ts files
    python packaging/compile_translations.py --out DIR  # somewhere else

The .qm files are committed next to their .ts so that a plain `pip install .` carries them;
`python packaging/build.py` recompiles them first, and a test fails when one is stale. It
uses `pyside6-lrelease` from the PySide6 of the running interpreter, so no Qt SDK is needed.

The catalogue itself (`pos_app_sw.ts`, Kiswahili) is brought up to date with the sources by
`packaging/update_translations.py` (which also calls this) and edited with `pyside6-linguist`.
Its contexts are the Qt class names (`MainWindow`, `SettingsDialog`), `App` (pos_app/app.py),
`Messages` (sentences made outside Qt), and the empty context: pos_app/ui/wording.py's
module-level tr(), which lupdate files there.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"

_LRELEASE = ("import sys; from PySide6.scripts.pyside_tool import lrelease; "
             "sys.argv[0] = 'pyside6-lrelease'; lrelease()")


def compile_all(source_dir: Path = TRANSLATIONS, out_dir: Path | None = None) -> list[Path]:
    """Run lrelease on every .ts in `source_dir`; return the .qm files written."""
    out_dir = out_dir or source_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = sorted(source_dir.glob("*.ts"))
    if not sources:
        raise SystemExit(f"compile_translations: no .ts files in {source_dir}")
    written = []
    for ts in sources:
        qm = out_dir / (ts.stem + ".qm")
        done = subprocess.run([sys.executable, "-c", _LRELEASE, "-silent", str(ts), "-qm", str(qm)],
                              capture_output=True, text=True)
        if done.returncode != 0 or not qm.is_file():
            raise SystemExit(f"compile_translations: lrelease failed for {ts.name}:\n"
                             f"{done.stdout}{done.stderr}")
        written.append(qm)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile resources/translations/*.ts to .qm")
    parser.add_argument("--out", type=Path, default=None, help="directory for the .qm files")
    args = parser.parse_args(argv)
    for qm in compile_all(out_dir=args.out):
        print(f"compile_translations: wrote {qm} ({qm.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
