"""`pos-app --smoke-test` (from source, as a subprocess), its checks, and packaging hygiene.

The frozen smoke test runs in `python packaging/build.py`; here the same code runs unfrozen,
and the checks are driven in-process into each of their failure paths. The passing run uses a
REAL keyring: on Linux a private D-Bus session with an unlocked GNOME Keyring (Debian packages
`gnome-keyring dbus`, which .ci/run installs — missing, the test FAILS rather than skips), on
Windows and macOS the system keyring.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import certifi
import pytest

import pos_app
from pos_app import smoke

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
TS_FILE = REPO / "resources" / "translations" / "pos_app_sw.ts"
SMOKE_TIMEOUT_S = 120
UNLOCK_AND_RUN = ('printf %s pw | gnome-keyring-daemon --unlock --components=secrets '
                  '>/dev/null; exec "$@"')
PLATFORM_BACKEND = {"linux": "keyring.backends.SecretService.Keyring",
                    "win32": "keyring.backends.Windows.WinVaultKeyring",
                    "darwin": "keyring.backends.macOS.Keyring"}[sys.platform]


def load_script(name: str) -> ModuleType:
    """A packaging/ script as a module (packaging/ is deliberately not a package)."""
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def compiled_qm() -> Path:
    """Compile the catalogue where pos_app.resources finds it (and where git keeps it)."""
    done = subprocess.run([sys.executable, str(PACKAGING / "compile_translations.py")],
                          capture_output=True, text=True, timeout=SMOKE_TIMEOUT_S)
    assert done.returncode == 0, done.stdout + done.stderr
    qm = TS_FILE.with_suffix(".qm")
    assert qm.is_file()
    return qm


def pos_app_command() -> list[str]:
    here = Path(sys.executable).parent
    for d in (here, here / "Scripts", here / "bin"):
        for name in ("pos-app", "pos-app.exe"):
            if (d / name).is_file():
                return [str(d / name)]
    found = shutil.which("pos-app")
    if not found:
        pytest.fail("the `pos-app` command is not installed: pip install -e '.[test]'")
    return [found]


def smoke_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No display, no QT_QPA_PLATFORM (the smoke path must pick offscreen itself), and
    throwaway user directories."""
    drop = {"PYTHON_KEYRING_BACKEND", "QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY",
            "DBUS_SESSION_BUS_ADDRESS", smoke.ENV_KEYRING, smoke.ENV_REPORT, smoke.ENV_T0}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                 "XDG_RUNTIME_DIR"):
        d = tmp_path / name.lower()
        d.mkdir(exist_ok=True)
        env[name] = str(d)
    os.chmod(env["XDG_RUNTIME_DIR"], 0o700)
    if sys.platform.startswith("linux"):
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        env["HOME"] = str(home)
    env.update(extra)
    return env


def run_smoke(cmd: list[str], env: dict[str, str]) -> tuple[int, list[str], str]:
    done = subprocess.run([*cmd, "--smoke-test"] if cmd[0] != "dbus-run-session" else cmd,
                          env=env, capture_output=True, text=True, timeout=SMOKE_TIMEOUT_S,
                          stdin=subprocess.DEVNULL, cwd=REPO)
    return done.returncode, done.stdout.splitlines(), done.stderr


def line(lines: list[str], prefix: str) -> str:
    found = [s for s in lines if s.startswith(prefix)]
    assert len(found) == 1, f"expected one line starting {prefix!r} in:\n" + "\n".join(lines)
    return found[0]


# -- pos-app --smoke-test, from source -------------------------------------------------


def test_smoke_test_passes_with_a_real_keyring(tmp_path: Path, compiled_qm: Path) -> None:
    cmd = pos_app_command()
    env = smoke_env(tmp_path)
    if sys.platform.startswith("linux"):
        missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(t)]
        if missing:
            pytest.fail(f"{' and '.join(missing)} not found: install the Debian packages "
                        "`gnome-keyring dbus` (as .ci/run does)")
        cmd = ["dbus-run-session", "--", "sh", "-c", UNLOCK_AND_RUN, "sh", *cmd, "--smoke-test"]
    rc, lines, err = run_smoke(cmd, env)
    assert rc == 0, "\n".join(lines) + "\n" + err

    assert re.match(r"pos-app \S+ smoke test: from source, Qt platform offscreen, ", lines[0])
    assert pos_app.__version__ in lines[0]
    window = line(lines, "window: ")
    assert re.match(r"window: OK \('Malipo POS' painted \d+ ms after launch, then closed; "
                    r"icon .*pos-app\.png\)$", window), window
    assert line(lines, "keyring: ").startswith(f"keyring: OK ({PLATFORM_BACKEND} (priority")
    tls = line(lines, "tls: ")
    assert re.match(r"tls: OK \(\d+ CA certificates from ", tls) and certifi.where() in tls
    assert line(lines, "translations: ") == (
        f"translations: OK (sw from {compiled_qm}: '&Quit' -> '&Funga')")
    assert lines[-1] == "smoke test passed"
    # It used a throwaway journal: the shop's data directory holds no journal afterwards.
    data = Path(env["XDG_DATA_HOME"])
    assert not list(data.rglob("*.sqlite3")), list(data.rglob("*"))


def test_smoke_test_fails_clearly_without_a_keyring(tmp_path: Path, compiled_qm: Path) -> None:
    report = tmp_path / "report.txt"
    env = smoke_env(tmp_path, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
                    POS_APP_SMOKE_REPORT=str(report))
    rc, lines, err = run_smoke(pos_app_command(), env)

    assert rc == 1, "\n".join(lines) + "\n" + err
    keyring_line = line(lines, "keyring: ")
    assert keyring_line.startswith("keyring: FAILED: No secure keyring is available")
    assert "set POS_APP_SMOKE_KEYRING=optional" in keyring_line
    for other in ("window: OK", "tls: OK", "translations: OK"):
        line(lines, other)
    assert lines[-1] == "smoke test FAILED: keyring"
    # The report file (what a windowed Windows .exe leaves, having no stdout) says the same.
    assert report.read_text(encoding="utf-8").splitlines() == lines


# -- the checks, in-process ------------------------------------------------------------


def test_keyring_required_by_default(no_keyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(smoke.ENV_KEYRING, raising=False)
    result = smoke.check_keyring()
    assert not result.ok
    assert "No secure keyring" in result.detail
    assert f"{PLATFORM_BACKEND.rsplit('.', 1)[0]} is in this build" in result.detail


def test_keyring_optional_still_needs_the_platform_backend(
        no_keyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(smoke.ENV_KEYRING, "optional")
    result = smoke.check_keyring()
    assert result.ok, result.detail
    assert "accepted because POS_APP_SMOKE_KEYRING=optional" in result.detail

    # A build that lost the backend (or what it needs) fails even in optional mode.
    monkeypatch.setitem(smoke.PLATFORM_BACKENDS, sys.platform,
                        ("keyring.backends.NoSuchBackend", ()))
    result = smoke.check_keyring()
    assert not result.ok and "keyring.backends.NoSuchBackend is NOT in this build" in result.detail
    monkeypatch.setitem(smoke.PLATFORM_BACKENDS, sys.platform,
                        ("keyring.backends.fail", (("no_such_dependency_module",),)))
    result = smoke.check_keyring()
    assert not result.ok and "no_such_dependency_module (which it needs) is not" in result.detail


def test_keyring_found(memory_keyring) -> None:
    result = smoke.check_keyring()
    assert result.ok and "MemoryKeyring" in result.detail


def test_tls_check_from_source() -> None:
    result = smoke.check_tls()
    assert result.ok, result.detail
    assert certifi.where() in result.detail and "inside the bundle" not in result.detail


def test_tls_fails_when_the_ca_bundle_is_missing(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certifi, "where", lambda: str(tmp_path / "cacert.pem"))
    result = smoke.check_tls()
    assert not result.ok and "does not exist" in result.detail


def _frozen(monkeypatch: pytest.MonkeyPatch, meipass: Path, cafile: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(meipass), raising=False)
    monkeypatch.setattr(certifi, "where", lambda: str(cafile))


def test_tls_frozen_needs_the_ca_bundle_inside_the_bundle(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "dist" / "pos-app" / "_internal"
    (bundle / "certifi").mkdir(parents=True)
    inside = bundle / "certifi" / "cacert.pem"
    shutil.copy(certifi.where(), inside)

    _frozen(monkeypatch, bundle, Path(certifi.where()))  # e.g. the build machine's venv
    result = smoke.check_tls()
    assert not result.ok and "outside the app bundle" in result.detail

    _frozen(monkeypatch, bundle, inside)
    result = smoke.check_tls()
    assert result.ok and result.detail.endswith(", inside the bundle")


def test_tls_frozen_macos_app_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a .app, _MEIPASS is Contents/Frameworks and data live in Contents/Resources (linked
    from Frameworks): all of Contents/ is the bundle."""
    contents = tmp_path / "pos-app.app" / "Contents"
    (contents / "Resources" / "certifi").mkdir(parents=True)
    (contents / "Frameworks").mkdir()
    cafile = contents / "Resources" / "certifi" / "cacert.pem"
    shutil.copy(certifi.where(), cafile)
    _frozen(monkeypatch, contents / "Frameworks", cafile)
    assert smoke.bundle_dir() == contents.resolve()
    result = smoke.check_tls()
    assert result.ok, result.detail


def test_translations_check(compiled_qm: Path, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    import pos_app.app

    result = smoke.check_translations()
    assert result.ok and "'&Quit' -> '&Funga'" in result.detail

    monkeypatch.setattr(pos_app.app, "resource_path", lambda *parts: None)
    result = smoke.check_translations()
    assert not result.ok and "compile_translations.py" in result.detail

    junk = tmp_path / "pos_app_sw.qm"
    junk.write_bytes(b"not a catalogue")
    monkeypatch.setattr(pos_app.app, "resource_path", lambda *parts: str(junk))
    result = smoke.check_translations()
    assert not result.ok and "is not a Qt translation catalogue" in result.detail

    # A real catalogue that lacks the probe string: not the till's.
    ts = tmp_path / "other_sw.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" '
                  'language="sw"><context><name>Other</name><message><source>Yes</source>'
                  '<translation>Ndiyo</translation></message></context></TS>', encoding="utf-8")
    compile_translations = load_script("compile_translations")
    (other,) = compile_translations.compile_all(tmp_path, tmp_path / "out")
    monkeypatch.setattr(pos_app.app, "resource_path", lambda *parts: str(other))
    result = smoke.check_translations()
    assert not result.ok and "does not translate '&Quit'" in result.detail


def _till_like_window(*, ready: bool) -> Any:
    """A stand-in for MainWindow: painted like it, ready (till attached) or not."""
    from PySide6.QtWidgets import QMainWindow

    class Window(QMainWindow):
        is_ready = ready

    window = Window()
    window.setWindowTitle("Malipo POS")
    return window


def test_window_check_paints_and_closes(qapp, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QIcon, QPixmap
    from PySide6.QtWidgets import QLabel

    pixmap = QPixmap(16, 16)
    pixmap.fill()
    monkeypatch.setattr(qapp, "windowIcon", lambda: QIcon(pixmap))
    window = _till_like_window(ready=True)
    window.setCentralWidget(QLabel("till"))
    qtbot.addWidget(window)
    monkeypatch.setenv(smoke.ENV_T0, "0")  # "launched" at the epoch: a huge, but a number
    result = smoke.check_window(qapp, window)
    assert result.ok, result.detail
    assert re.match(r"'Malipo POS' painted \d+ ms after launch, then closed", result.detail)
    assert not window.isVisible()


def test_window_check_fails_when_nothing_paints(qapp, qtbot,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smoke, "PAINT_TIMEOUT_MS", 0)
    window = _till_like_window(ready=True)
    qtbot.addWidget(window)
    result = smoke.check_window(qapp, window)
    assert not result.ok and "was shown but not painted" in result.detail


def test_window_check_fails_when_the_till_never_opens(qapp, qtbot,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Painted, but the journal and gateway were never attached: the deadline (short here)
    # expires and the check says what is missing.
    monkeypatch.setattr(smoke, "PAINT_TIMEOUT_MS", 300)
    window = _till_like_window(ready=False)
    qtbot.addWidget(window)
    result = smoke.check_window(qapp, window)
    assert not result.ok and "the till (journal, gateway) was not opened" in result.detail


def test_run_smoke_checks_reports_a_crashing_check_and_always_quits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    app = SimpleNamespace(platformName=lambda: "offscreen", quit=lambda: calls.append("quit"))
    window = SimpleNamespace(close=lambda: calls.append("close"))
    monkeypatch.setattr(smoke, "check_window", lambda a, w: smoke.Check("window", True, "fine"))
    monkeypatch.setattr(smoke, "check_keyring", lambda: smoke.Check("keyring", True, "fine"))

    def broken() -> smoke.Check:
        raise ValueError("the CA store exploded")

    monkeypatch.setattr(smoke, "check_tls", broken)
    monkeypatch.setattr(smoke, "check_translations",
                        lambda: smoke.Check("translations", False, "no catalogue"))
    report = tmp_path / "report.txt"
    monkeypatch.setenv(smoke.ENV_REPORT, str(report))

    assert smoke.run_smoke_checks(app, window) == 1
    assert calls == ["close", "quit"]
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[1:] == ["window: OK (fine)", "keyring: OK (fine)",
                         "tls: FAILED: ValueError: the CA store exploded",
                         "translations: FAILED: no catalogue",
                         "smoke test FAILED: tls, translations"]


def test_prepare_environment_defaults_to_offscreen_but_honours_a_choice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    smoke.prepare_environment()
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    smoke.prepare_environment()
    assert os.environ["QT_QPA_PLATFORM"] == "xcb"


# -- packaging hygiene -----------------------------------------------------------------


def test_packaging_is_not_a_python_package() -> None:
    assert PACKAGING.is_dir()
    assert not list(PACKAGING.rglob("__init__.py"))


class _Recorder:
    """Stand-ins for PyInstaller's spec-file classes: record what the spec asks for."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[tuple, dict]]] = {}

    def cls(self, name: str):
        recorder = self

        class Stub:
            def __init__(self, *args, **kwargs) -> None:
                recorder.calls.setdefault(name, []).append((args, kwargs))
                self.args, self.kwargs = args, kwargs
                self.binaries, self.datas, self.pure, self.scripts = [], [], [], []

        Stub.__name__ = name
        return Stub


def exec_spec(spec: str, platform: str, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    recorder = _Recorder()
    monkeypatch.setattr(sys, "platform", platform)
    namespace = {name: recorder.cls(name)
                 for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    namespace.update(SPECPATH=str(PACKAGING), workpath=str(tmp_path), __name__="__main__",
                     __file__=str(PACKAGING / spec))
    code = compile((PACKAGING / spec).read_text(encoding="utf-8"), str(PACKAGING / spec), "exec")
    exec(code, namespace)  # noqa: S102 — the spec is Python run by PyInstaller the same way
    return recorder


def only(recorder: _Recorder, name: str) -> dict:
    calls = recorder.calls.get(name, [])
    assert len(calls) == 1, f"{name} called {len(calls)} times"
    return calls[0][1]


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_app_spec_is_one_folder_windowed_without_upx(platform: str, compiled_qm: Path,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    rec = exec_spec("pos_app.spec", platform, tmp_path, monkeypatch)
    analysis = only(rec, "Analysis")
    entry = rec.calls["Analysis"][0][0][0]
    assert entry[0].endswith("pos_app_entry.py")
    dests = {(Path(src).name, dest) for src, dest in analysis["datas"]}
    assert ("pos-app.png", "pos_app/resources/icons") in dests
    assert ("pos_app_sw.qm", "pos_app/resources/translations") in dests
    assert ("__init__.py", "pos_app/resources") in dests
    assert {"PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick"} <= set(analysis["excludes"])
    assert not {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"} & \
        set(analysis["excludes"])

    exe = only(rec, "EXE")
    assert exe["exclude_binaries"] is True  # one-folder: binaries go to COLLECT
    assert exe["console"] is False and exe["upx"] is False and exe["name"] == "pos-app"
    collect = only(rec, "COLLECT")
    assert collect["upx"] is False and collect["name"] == "pos-app"
    assert (tmp_path / "dropped-files.txt").is_file()  # bundle_rules.prune ran

    if platform == "darwin":
        assert exe["icon"].endswith("pos-app.icns") and Path(exe["icon"]).is_file()
        bundle = only(rec, "BUNDLE")
        plist = bundle["info_plist"]
        assert bundle["name"] == "pos-app.app" and bundle["bundle_identifier"]
        assert bundle["version"] == pos_app.__version__
        assert plist["CFBundleShortVersionString"] == pos_app.__version__
        assert plist["CFBundleVersion"] == pos_app.__version__
        assert plist["NSHighResolutionCapable"] is True
    else:
        assert "BUNDLE" not in rec.calls


def test_bare_spec_is_bundled_like_the_app(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    rec = exec_spec("bare.spec", "linux", tmp_path, monkeypatch)
    rules = load_script("bundle_rules")
    assert only(rec, "Analysis")["excludes"] == rules.EXCLUDES
    exe = only(rec, "EXE")
    assert exe["exclude_binaries"] is True and exe["console"] is False and exe["upx"] is False
    assert only(rec, "COLLECT")["upx"] is False


def test_spec_files_are_python() -> None:
    for spec in ("pos_app.spec", "bare.spec"):
        ast.parse((PACKAGING / spec).read_text(encoding="utf-8"), spec)


def test_bundle_rules_keep_what_the_till_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_script("bundle_rules")
    kept = rules._plugin_kept
    for dest in ("PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                 "PySide6/plugins/platforms/qwindows.dll",
                 "PySide6/plugins/styles/qmodernwindowsstyle.dll",
                 "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
                 "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so"):
        assert kept(dest) is True, dest
    for dest in ("PySide6/Qt/plugins/platformthemes/libqgtk3.so",
                 "PySide6/Qt/plugins/platforms/libqwayland.so",
                 "PySide6/Qt/plugins/platforms/libqeglfs.so",
                 "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
                 "PySide6/plugins/imageformats/qjpeg.dll"):
        assert kept(dest) is False, dest
    assert kept("PySide6/Qt/lib/libQt6Core.so.6") is None

    monkeypatch.setattr(sys, "platform", "win32")  # no link-time closure: pure list rules
    analysis = SimpleNamespace(
        binaries=[("PySide6/plugins/platforms/qwindows.dll", "/x/qwindows.dll", "BINARY"),
                  ("PySide6/plugins/platformthemes/qgtk3.dll", "/x/qgtk3.dll", "BINARY"),
                  ("qgtk3-link.dll", "PySide6/plugins/platformthemes/qgtk3.dll", "SYMLINK"),
                  ("qwindows-link.dll", "PySide6/plugins/platforms/qwindows.dll", "SYMLINK")],
        datas=[("PySide6/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA"),
               ("certifi/cacert.pem", "/x/cacert.pem", "DATA")])
    logged: list[str] = []
    rules.prune(analysis, log=logged.append)
    assert [e[0] for e in analysis.binaries] == ["PySide6/plugins/platforms/qwindows.dll",
                                                 "qwindows-link.dll"]
    assert [e[0] for e in analysis.datas] == ["certifi/cacert.pem"]
    assert logged and "dropped 3 files" in logged[0]


def test_icons_are_generated_from_the_svg(tmp_path: Path) -> None:
    make_icons = load_script("make_icons")
    icons = REPO / "resources" / "icons"
    assert make_icons.check(icons) == []
    ico = make_icons.container_entries(icons / "pos-app.ico")
    assert sorted(size for size, _ in ico) == [16, 20, 24, 32, 40, 48, 64, 128, 256]
    icns = make_icons.container_entries(icons / "pos-app.icns")
    assert {size for size, _ in icns} == {16, 32, 64, 128, 256, 512, 1024}
    assert struct.unpack(">I", (icons / "pos-app.icns").read_bytes()[4:8])[0] == \
        (icons / "pos-app.icns").stat().st_size

    # A changed drawing makes the committed icons stale.
    svg = (icons / "pos-app.svg").read_text(encoding="utf-8")
    changed = tmp_path / "changed.svg"
    changed.write_text(svg.replace("#14a05a", "#c0102a").replace("#0a6b3b", "#600010"),
                       encoding="utf-8")
    assert make_icons.check(icons, source=changed) == ["pos-app.png", "pos-app.ico",
                                                       "pos-app.icns"]


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n")


def test_kiswahili_catalogue_is_sound() -> None:
    root = ET.parse(TS_FILE).getroot()
    assert root.get("language") == "sw"
    finished = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""  # "": wording.py's module-level tr()
        for message in context.iter("message"):
            tr = message.find("translation")
            if message.get("numerus") == "yes":
                continue  # plural forms: tests/test_translations.py
            if tr is not None and tr.get("type") is None and tr.text:
                finished[(name, message.findtext("source"))] = tr.text
    assert len(finished) >= 20
    assert finished[(smoke.PROBE_CONTEXT, smoke.PROBE_SOURCE)] == "&Funga"
    for (context, source), text in finished.items():
        assert sorted(_PLACEHOLDER.findall(source)) == sorted(_PLACEHOLDER.findall(text)), \
            f"{context}: placeholders differ in {text!r}"
        assert source.count("&") == text.count("&"), f"{context}: accelerator in {text!r}"


def test_build_script_runs_without_building() -> None:
    done = subprocess.run([sys.executable, str(PACKAGING / "build.py"), "--help"],
                          capture_output=True, text=True, timeout=SMOKE_TIMEOUT_S)
    assert done.returncode == 0 and "--keyring" in done.stdout, done.stderr


def test_installer_keeps_the_journal_and_credentials() -> None:
    iss = (PACKAGING / "windows" / "pos-app.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.M)
    assert re.search(r'^Name: "desktopicon";.*Flags: unchecked$', iss, re.M)
    assert "{autoprograms}" in iss
    assert "[UninstallDelete]" not in iss.replace("; No [UninstallDelete]", "")
    assert "usPostUninstall" in iss and "Credential Manager" in iss


def test_ci_workflow_builds_and_smoke_tests_each_platform() -> None:
    workflow = (REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    for runner in ("ubuntu-24.04", "windows-2022", "macos-15-intel", "macos-15"):
        assert runner in workflow
    for path in ("packaging/build.py", "packaging/windows/pos-app.iss",
                 "packaging/macos/make_dmg.sh"):
        assert path.replace("/", "\\") in workflow or path in workflow
        assert (REPO / path).is_file()


def test_committed_catalogue_matches_its_source(tmp_path: Path) -> None:
    """The .qm ships in git so a plain `pip install .` has Kiswahili; it must match the .ts."""
    done = subprocess.run([sys.executable, str(PACKAGING / "compile_translations.py"),
                           "--out", str(tmp_path)], capture_output=True, text=True,
                          timeout=SMOKE_TIMEOUT_S)
    assert done.returncode == 0, done.stdout + done.stderr
    fresh = (tmp_path / TS_FILE.with_suffix(".qm").name).read_bytes()
    assert TS_FILE.with_suffix(".qm").read_bytes() == fresh, (
        "resources/translations/*.qm is stale: run python packaging/compile_translations.py")


def test_every_package_of_pos_app_is_installed_by_pip():
    """A plain `pip install .` ships only the packages pyproject.toml lists: a new package
    left out works in the editable checkout and is missing on the shop's computer."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(root).parts)
             for p in (root / "pos_app").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages"
