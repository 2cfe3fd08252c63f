"""What goes into a PyInstaller bundle: shared by pos_app.spec and bare.spec.

Both the till and the bare PySide6 window (the size yardstick build.py prints) are bundled
with exactly these rules, so the size ratio measures the till, not the filtering.

PyInstaller collects every Qt plugin its hooks think a Qt module might want, plus their
system-library dependencies. On a Linux build machine with GNOME bits installed that means the
GTK 3 platform theme and ~16 MB of GTK, cairo and pango. The till is a plain widgets window:
it needs a windowing platform plugin, the offscreen one (smoke test), input methods and — on
Windows — the native style. Everything else is dropped here.

Not a package module (packaging/ has no __init__.py): the specs load it by file path.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import sys
from pathlib import Path

# Qt modules the till does not use; excluding them stops any indirect import from pulling
# their (large) libraries in.
QT_EXCLUDES = [
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDBus", "PySide6.QtXml", "PySide6.QtSvg",
    "PySide6.QtSvgWidgets", "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtPrintSupport",
    "PySide6.QtDesigner", "PySide6.QtUiTools", "PySide6.QtHelp", "PySide6.QtConcurrent",
    "PySide6.QtNetworkAuth", "PySide6.QtStateMachine", "PySide6.QtMultimedia",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtCharts",
    "PySide6.QtDataVisualization", "PySide6.Qt3DCore", "PySide6.QtBluetooth",
    "PySide6.QtSerialPort", "PySide6.QtPositioning", "PySide6.QtLocation",
    "PySide6.QtSpatialAudio", "PySide6.QtTextToSpeech", "PySide6.QtGraphs",
]
# Other bindings and GUI toolkits must never ride along.
PY_EXCLUDES = ["tkinter", "_tkinter", "PyQt5", "PyQt6", "PySide2"]
EXCLUDES = QT_EXCLUDES + PY_EXCLUDES

# Qt plugin directories and the plugins kept in each (fnmatch patterns on the file name:
# libqxcb.so, qwindows.dll, libqcocoa.dylib). A plugin directory not listed is dropped.
KEEP_PLUGINS = {
    "platforms": ["*qxcb*", "*qoffscreen*", "*qminimal.*", "*qwindows*", "*qcocoa*"],
    "platforminputcontexts": ["*"],   # compose (dead keys) and ibus on Linux
    "xcbglintegrations": ["*"],       # tiny; lets xcb use GL if a style ever asks for it
    "styles": ["*"],                  # Windows 11 / modern Windows style
}

# Data the till never reads.
DROP_DATA = ["PySide6/Qt/translations/*", "PySide6/translations/*"]  # Linux/macOS, Windows


def _norm(dest: str) -> str:
    return dest.replace("\\", "/")


def _link_target(entry) -> str:
    """The bundle path a SYMLINK entry (dest, relative target, "SYMLINK") points at."""
    dest, target = _norm(entry[0]), _norm(entry[1])
    return posixpath.normpath(posixpath.join(posixpath.dirname(dest), target))


def _plugin_kept(dest: str) -> bool | None:
    """True/False for a Qt plugin file, None for anything that is not one."""
    parts = _norm(dest).split("/")
    try:
        i = parts.index("plugins")
    except ValueError:
        return None
    # PySide6/Qt/plugins/… (Linux, macOS) or PySide6/plugins/… (Windows wheels)
    if i == 0 or parts[i - 1] not in ("Qt", "PySide6") or len(parts) < i + 3:
        return None
    directory, name = parts[i + 1], parts[-1]
    patterns = KEEP_PLUGINS.get(directory)
    return bool(patterns) and any(fnmatch.fnmatch(name, p) for p in patterns)


def _is_system_library(src: str) -> bool:
    """A shared library from the OS (not from the venv or the Python install)."""
    real = os.path.realpath(src)
    ours = [os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)]
    return not any(real.startswith(p + os.sep) for p in ours)


def _is_qt_library(dest: str) -> bool:
    return _norm(dest).startswith("PySide6/Qt/lib/")


def _closure(roots: list[str]) -> set[str]:
    """Real paths of `roots` and every shared library they load at link time."""
    from PyInstaller.depend import bindepend

    seen: set[str] = set()
    todo = [os.path.realpath(r) for r in roots]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        try:
            imports = bindepend.get_imports(path)
        except Exception:  # noqa: BLE001 — unreadable file: keep what we have
            continue
        for _name, resolved in imports:
            if resolved:
                todo.append(os.path.realpath(resolved))
    return seen


def prune(analysis, report: str | os.PathLike[str] | None = None, log=print) -> None:
    """Drop unused Qt plugins, Qt's translations, orphaned libraries and their links."""
    dropped: list[str] = []
    kept_binaries = []
    for entry in analysis.binaries:
        dest = entry[0]
        if _plugin_kept(dest) is False:
            dropped.append(dest)
            continue
        kept_binaries.append(entry)

    if sys.platform.startswith("linux"):
        # Libraries that only dropped plugins needed — Qt's own (Wayland, EGLFS, OpenGL,
        # Network, Svg) and the system's (GTK, cairo, pango…): keep such a library only if
        # something we keep still links to it. Linux only, where build.py smoke-tests it.
        def prunable(dest: str, src: str, kind: str) -> bool:
            return kind == "BINARY" and (_is_qt_library(dest) or _is_system_library(src))

        roots = [src for dest, src, kind in kept_binaries
                 if kind != "SYMLINK" and not prunable(dest, src, kind)]
        if sys.executable:
            roots.append(sys.executable)
        candidates = [e for e in kept_binaries if prunable(*e)]
        needed = _closure(roots) if candidates else set()
        still = []
        for entry in kept_binaries:
            dest, src, kind = entry
            if prunable(dest, src, kind) and os.path.realpath(src) not in needed:
                dropped.append(dest)
                continue
            still.append(entry)
        kept_binaries = still

    kept_datas = []
    for entry in analysis.datas:
        if any(fnmatch.fnmatch(_norm(entry[0]), p) for p in DROP_DATA) or \
                _plugin_kept(entry[0]) is False:
            dropped.append(entry[0])
            continue
        kept_datas.append(entry)

    # Symbolic links (PyInstaller links e.g. libQt6Svg.so.6 at the top level to the copy in
    # PySide6/Qt/lib) whose target was dropped would be left dangling: drop them too.
    while True:
        files = {_norm(e[0]) for e in kept_binaries + kept_datas}
        dangling = {_norm(e[0]) for e in kept_binaries + kept_datas if e[2] == "SYMLINK"
                    and _link_target(e) not in files}
        if not dangling:
            break
        dropped.extend(sorted(dangling))
        kept_binaries = [e for e in kept_binaries if _norm(e[0]) not in dangling]
        kept_datas = [e for e in kept_datas if _norm(e[0]) not in dangling]

    analysis.binaries[:] = kept_binaries
    analysis.datas[:] = kept_datas
    listing = sorted(d for d in dropped
                     if not any(fnmatch.fnmatch(_norm(d), p) for p in DROP_DATA))
    where = ""
    if report:
        Path(report).parent.mkdir(parents=True, exist_ok=True)
        Path(report).write_text("".join(f"{d}\n" for d in listing), encoding="utf-8")
        where = f"; list in {report}"
    log(f"bundle_rules: dropped {len(dropped)} files (unused Qt plugins, Qt translations, "
        f"orphaned Qt and system libraries){where}")
