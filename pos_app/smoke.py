"""`pos-app --smoke-test`: prove a build works — window, keyring, TLS trust, translations.

Runs the same way from source and from the frozen bundle. `run_gui` builds the real
MainWindow, shows it (offscreen unless QT_QPA_PLATFORM says otherwise), then calls
`run_smoke_checks`, which prints one line per check and returns the exit code:

    pos-app 0.1.0 smoke test: frozen, Qt platform offscreen, Python 3.11.7, PySide6 6.11.3
    window: OK ('Malipo POS' painted 412 ms after launch, then closed; icon …/pos-app.png)
    keyring: OK (keyring.backends.SecretService.Keyring (priority 5))
    tls: OK (146 CA certificates from …/_internal/certifi/cacert.pem, inside the bundle)
    translations: OK (sw from …/pos_app_sw.qm: '&Quit' -> '&Funga')
    smoke test passed

Exit 0 when every check passes, 1 otherwise (the last line names the failed checks).

Environment:
  POS_APP_SMOKE_KEYRING=optional  accept a machine with no usable keyring (a headless build
                                  machine), as long as the platform's keyring backend is in the
                                  build. Default `required`: no keyring is a failure.
  POS_APP_SMOKE_T0=<epoch s>      the launcher's time.time() just before starting the app; the
                                  window line then gives start-up time to first paint.
  POS_APP_SMOKE_REPORT=<file>     also write the report there (a windowed Windows .exe has no
                                  stdout).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_KEYRING = "POS_APP_SMOKE_KEYRING"
ENV_T0 = "POS_APP_SMOKE_T0"
ENV_REPORT = "POS_APP_SMOKE_REPORT"
# A message the Kiswahili catalogue must translate: proves the .qm is the real one.
PROBE_CONTEXT, PROBE_SOURCE = "MainWindow", "&Quit"
PAINT_TIMEOUT_MS = 15_000

# sys.platform -> (keyring backend module, modules it needs: any one of each tuple)
PLATFORM_BACKENDS: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    "linux": ("keyring.backends.SecretService", (("secretstorage",), ("jeepney",))),
    "win32": ("keyring.backends.Windows", (("win32ctypes.pywin32.win32cred", "win32cred"),)),
    "darwin": ("keyring.backends.macOS", (("keyring.backends.macOS.api",),)),
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{self.name}: {'OK (' + self.detail + ')' if self.ok else 'FAILED: ' + self.detail}"


def prepare_environment() -> None:
    """Before the QApplication exists: the smoke test never needs a display."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_dir() -> Path | None:
    """The frozen app's own directory, or None from source.

    PyInstaller's _MEIPASS (`_internal/` of the one-folder bundle); in a macOS .app it is
    Contents/Frameworks, whose data files are links into Contents/Resources: the bundle is
    then all of Contents/.
    """
    meipass = getattr(sys, "_MEIPASS", None)
    if not (is_frozen() and meipass):
        return None
    root = Path(meipass).resolve()
    if root.name == "Frameworks" and root.parent.name == "Contents":
        root = root.parent
    return root


# -- timing ----------------------------------------------------------------------------


def _process_age_s() -> float | None:
    """Seconds since this process started, where the OS tells (Linux /proc)."""
    try:
        stat = Path("/proc/self/stat").read_text()
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def launch_elapsed_ms() -> float | None:
    """Milliseconds since launch: from POS_APP_SMOKE_T0 if the launcher set it, else /proc."""
    t0 = os.environ.get(ENV_T0, "").strip()
    if t0:
        try:
            return (time.time() - float(t0)) * 1000.0
        except ValueError:
            pass
    age = _process_age_s()
    return None if age is None else age * 1000.0


# -- the checks ------------------------------------------------------------------------


def check_window(app: Any, window: Any) -> Check:
    """Wait for the shown window's first paint, then close it."""
    from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject

    painted: list[float | None] = []

    class PaintSpy(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
            if (not painted and event.type() == QEvent.Type.Paint
                    and (obj is window or (hasattr(obj, "window") and obj.window() is window))):
                painted.append(launch_elapsed_ms())
            return False

    spy = PaintSpy()
    app.installEventFilter(spy)
    try:
        if not window.isVisible():
            window.show()
        timer = QElapsedTimer()
        timer.start()
        # The till is attached just after the first paint: wait for both.
        while (not painted or not window.is_ready) and timer.elapsed() < PAINT_TIMEOUT_MS:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    finally:
        app.removeEventFilter(spy)
    title = window.windowTitle()
    if not painted:
        return Check("window", False, f"{title!r} was shown but not painted within "
                                      f"{PAINT_TIMEOUT_MS // 1000} s")
    if not window.is_ready:
        return Check("window", False, f"{title!r} was painted but the till (journal, "
                                      f"gateway) was not opened within "
                                      f"{PAINT_TIMEOUT_MS // 1000} s")
    window.close()
    app.processEvents()
    if window.isVisible():
        return Check("window", False, f"{title!r} did not close")
    from pos_app.app import resource_path

    icon = resource_path("icons", "pos-app.png")
    if not icon or app.windowIcon().isNull():
        return Check("window", False, f"{title!r} painted, but the app icon "
                                      "resources/icons/pos-app.png is missing from the build")
    when = painted[0]
    timing = f"painted {when:.0f} ms after launch" if when is not None else "painted"
    return Check("window", True, f"{title!r} {timing}, then closed; icon {icon}")


def _platform_backend() -> tuple[bool, str]:
    """Is this platform's keyring backend (and what it needs) inside this build?"""
    import importlib

    entry = PLATFORM_BACKENDS.get(sys.platform)
    if entry is None:
        return False, f"no known keyring backend for platform {sys.platform!r}"
    module_name, needs = entry
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return False, f"{module_name} is NOT in this build ({exc})"
    for alternatives in needs:
        for name in alternatives:
            try:
                importlib.import_module(name)
                break
            except ImportError:
                continue
        else:
            return False, f"{module_name} is in this build but {' or '.join(alternatives)} " \
                          "(which it needs) is not"
    try:
        module.Keyring.priority  # noqa: B018 — the probe raises when unusable here
        why = "usable"
    except Exception as exc:  # noqa: BLE001 — backends raise RuntimeError and others
        why = f"not usable here: {exc}"
    return True, f"{module_name} is in this build ({why})"


def check_keyring() -> Check:
    from pos_app.credentials import KeyringUnavailable, describe, usable_backend

    try:
        backend = usable_backend()
    except KeyringUnavailable as exc:
        bundled, detail = _platform_backend()
        mode = os.environ.get(ENV_KEYRING, "required").strip().lower()
        if mode == "optional" and bundled:
            return Check("keyring", True, f"no usable keyring on this machine, accepted because "
                                          f"{ENV_KEYRING}=optional; {detail}")
        hint = ("" if mode == "optional" else
                f" On a build machine without a keyring, set {ENV_KEYRING}=optional to accept "
                "that while still requiring the platform's backend in the build.")
        return Check("keyring", False, f"{exc} [{detail}]{hint}")
    found = describe(backend)
    inner = getattr(backend, "backends", None)  # keyring's ChainerBackend: name the first
    if inner:
        found += f" -> {describe(inner[0])}"
    return Check("keyring", True, found)


def check_tls() -> Check:
    import ssl

    import certifi

    from pos_app.clickpesa.gateway import tls_context

    cafile = Path(certifi.where())
    if not cafile.is_file():
        return Check("tls", False, f"the CA bundle {cafile} does not exist, so no HTTPS "
                                   "connection to ClickPesa can be verified")
    where = ""
    bundle = bundle_dir()
    if bundle is not None:
        if bundle not in cafile.resolve().parents:
            return Check("tls", False, f"the CA bundle {cafile} is outside the app bundle "
                                       f"{bundle}; it would not exist on a till")
        where = ", inside the bundle"
    ctx = tls_context()
    count = ctx.cert_store_stats().get("x509_ca", 0)
    if count == 0:
        return Check("tls", False, f"{cafile} holds no CA certificates")
    if ctx.verify_mode != ssl.CERT_REQUIRED or not ctx.check_hostname:
        return Check("tls", False, "the TLS context does not verify certificates and host names")
    return Check("tls", True, f"{count} CA certificates from {cafile}{where}")


def check_translations() -> Check:
    from PySide6.QtCore import QTranslator

    from pos_app.app import resource_path

    qm = resource_path("translations", "pos_app_sw.qm")
    if not qm:
        return Check("translations", False,
                     "pos_app_sw.qm is not in pos_app.resources/translations; compile it with "
                     "`python packaging/compile_translations.py` (build.py does this)")
    translator = QTranslator()
    if not translator.load(qm):
        return Check("translations", False, f"{qm} is not a Qt translation catalogue")
    got = translator.translate(PROBE_CONTEXT, PROBE_SOURCE)
    if translator.language() != "sw" or not got or got == PROBE_SOURCE:
        return Check("translations", False,
                     f"{qm} (language {translator.language()!r}) does not translate "
                     f"{PROBE_SOURCE!r} in context {PROBE_CONTEXT}")
    return Check("translations", True, f"sw from {qm}: {PROBE_SOURCE!r} -> {got!r}")


# -- the run ---------------------------------------------------------------------------


def _header(app: Any) -> str:
    import PySide6

    from pos_app import __version__

    how = "frozen" if is_frozen() else "from source"
    return (f"pos-app {__version__} smoke test: {how}, Qt platform {app.platformName()}, "
            f"Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}")


def run_smoke_checks(app: Any, window: Any) -> int:
    report = os.environ.get(ENV_REPORT, "").strip()
    lines: list[str] = []

    def emit(text: str) -> None:
        lines.append(text)
        if sys.stdout is not None:  # None in a windowed Windows .exe
            print(text, flush=True)

    checks: list[Check] = []
    steps: list[tuple[str, Callable[[], Check]]] = [
        ("window", lambda: check_window(app, window)),
        ("keyring", check_keyring),
        ("tls", check_tls),
        ("translations", check_translations),
    ]
    try:
        emit(_header(app))
        for name, step in steps:
            try:
                result = step()
            except Exception as exc:  # noqa: BLE001 — report any breakage as that check failing
                result = Check(name, False, f"{type(exc).__name__}: {exc}")
            checks.append(result)
            emit(result.line())
        failed = [c.name for c in checks if not c.ok]
        emit(f"smoke test FAILED: {', '.join(failed)}" if failed else "smoke test passed")
        return 1 if failed else 0
    except Exception as exc:  # noqa: BLE001 — e.g. printing failed
        emit(f"smoke test FAILED: {type(exc).__name__}: {exc}")
        return 1
    finally:
        try:
            window.close()
        finally:
            app.quit()
            if report:
                try:
                    Path(report).write_text("\n".join(lines) + "\n", encoding="utf-8")
                except OSError:
                    pass
