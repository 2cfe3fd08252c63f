"""The yardstick for the bundle: a bare PySide6 window, bundled by bare.spec with the same rules
(bundle_rules.py) as the till. `--smoke-test` shows it offscreen, prints how long after launch
it first painted (from POS_APP_SMOKE_T0, like the till's smoke test) and quits."""

import os
import sys
import time

SMOKE = "--smoke-test" in sys.argv
if SMOKE:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402


class FirstPaint(QObject):
    def eventFilter(self, obj, event):  # noqa: N802 — Qt's name
        if event.type() == QEvent.Type.Paint:
            QApplication.instance().removeEventFilter(self)
            t0 = os.environ.get("POS_APP_SMOKE_T0")
            if t0:
                print(f"painted {(time.time() - float(t0)) * 1000:.0f} ms after launch",
                      flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication(sys.argv[:1])
spy = FirstPaint()
if SMOKE:
    app.installEventFilter(spy)
window = QMainWindow()
window.setWindowTitle("bare")
window.setCentralWidget(QLabel("A bare PySide6 window"))
window.show()
sys.exit(app.exec())
