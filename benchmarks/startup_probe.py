"""Child process of benchmark 3: start a window, note its first paint, then its idle memory.

    python -m benchmarks.startup_probe app  --out FILE   # exactly `pos-app --training`
    python -m benchmarks.startup_probe bare --out FILE   # a bare PySide6 window with a label

Both create the QApplication here (the till's `run_gui` uses the existing instance) and watch
it with an event filter: nothing in the till is patched. When the first paint pass over a main
window has finished, the time (`time.monotonic()`, one clock for every process on Linux) is
written down; `--idle-ms` later the resident set (VmRSS) is read and the window quits.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication



def rss_kb() -> int:
    """This process's resident set now, in KiB (Linux VmRSS, macOS ps, Windows working set)."""
    if sys.platform.startswith("linux"):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0
    if os.name == "nt":
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                        *((name, ctypes.c_size_t) for name in (
                            "PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage",
                            "QuotaPagedPoolUsage", "QuotaPeakNonPagedPoolUsage",
                            "QuotaNonPagedPoolUsage", "PagefileUsage", "PeakPagefileUsage"))]

        counters = Counters()
        counters.cb = ctypes.sizeof(counters)
        kernel32, psapi = ctypes.WinDLL("kernel32"), ctypes.WinDLL("psapi")
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        psapi.GetProcessMemoryInfo.argtypes = [wintypes.HANDLE, ctypes.POINTER(Counters),
                                               wintypes.DWORD]
        psapi.GetProcessMemoryInfo(kernel32.GetCurrentProcess(), ctypes.byref(counters),
                                   counters.cb)
        return int(counters.WorkingSetSize) // 1024
    import subprocess

    out = subprocess.run(["ps", "-o", "rss=", "-p", str(os.getpid())], capture_output=True,
                         text=True, check=False).stdout.strip()
    return int(out) if out.isdigit() else 0


def watch_first_paint(app: QApplication, out: Path, idle_ms: int) -> Any:
    """Install the first-paint probe on `app` (Qt is imported here, see `main`)."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow

    class FirstPaint(QObject):
        """Notes the end of the first paint pass over the first main window.

        It watches the whole application only until a main window exists, then that window
        alone: a Python event filter on the application would run for every event of every
        widget, and so tax a window with many widgets (the till) far more than a bare one —
        a cost no real start pays. The top-level window is painted first in every paint pass.
        """

        def __init__(self, app: QApplication, out: Path, idle_ms: int) -> None:
            super().__init__()
            self.app, self.out, self.idle_ms = app, out, idle_ms
            self.painted_at: float | None = None
            self.ready_at: float | None = None
            self.found = False
            self.seen = False
            self.paint = QEvent.Type.Paint

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
            if not self.found:
                if not isinstance(obj, QMainWindow):
                    return False
                self.found = True  # from now on only the window's own events come here
                self.app.removeEventFilter(self)
                obj.installEventFilter(self)
            if not self.seen and event.type() == self.paint:
                self.seen = True
                # The whole paint pass runs inside this one event; note the time once it is over.
                QTimer.singleShot(0, self._painted)
            return False

        def _painted(self) -> None:
            self.painted_at = time.monotonic()
            # The till attaches its core just after the first paint (MainWindow.ready).
            for w in self.app.topLevelWidgets():
                if getattr(w, "is_ready", None) is True:
                    self._ready()
                elif hasattr(w, "ready"):
                    w.ready.connect(self._ready)
            QTimer.singleShot(self.idle_ms, self._idle)

        def _ready(self) -> None:
            if self.ready_at is None:
                self.ready_at = time.monotonic()

        def _idle(self) -> None:
            self.out.write_text(json.dumps({"first_paint_monotonic": self.painted_at,
                                            "ready_monotonic": self.ready_at,
                                            "rss_kb": rss_kb()}))
            for w in self.app.topLevelWidgets():
                w.close()
            self.app.quit()

    probe = FirstPaint(app, out, idle_ms)
    app.installEventFilter(probe)
    return probe


def main() -> int:
    mode = sys.argv[1]
    out = Path(sys.argv[sys.argv.index("--out") + 1])
    idle_ms = int(sys.argv[sys.argv.index("--idle-ms") + 1]) if "--idle-ms" in sys.argv \
        else 1500
    if mode == "app":
        # `pos-app` runs pos_app.cli, whose main() imports pos_app.app (settings, paths,
        # logging) before any Qt module; keep that order. PySide hooks every import made
        # after it is loaded, so importing the till's modules after Qt would cost it time
        # a real start does not spend.
        import pos_app.app  # noqa: F401
        from pos_app.cli import main as pos_app_main
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    probe = watch_first_paint(app, out, idle_ms)  # noqa: F841 — kept alive while it runs
    if mode == "bare":  # the same yardstick as packaging/bare_window.py
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.setCentralWidget(QLabel("A bare PySide6 window"))
        window.show()
        return app.exec()
    return pos_app_main(["--training"])


if __name__ == "__main__":
    raise SystemExit(main())
