"""Build the Malipo POS bundle for this OS, smoke-test it frozen, and compare its size.

    python packaging/build.py [--keyring auto|required|optional] [--runs N]

Needs the project and PyInstaller installed (`pip install -e ".[build]"`). Steps:

1. compile resources/translations/*.ts to .qm, check the icons match pos-app.svg;
2. PyInstaller with packaging/pos_app.spec  -> dist/pos-app/ (one folder; dist/pos-app.app
   too on macOS);
3. PyInstaller with packaging/bare.spec     -> build/bare/bare-qt/ (a bare PySide6 window,
   bundled the same way: the size yardstick);
4. the frozen `pos-app --smoke-test` (offscreen, under a timeout), then N timed runs of it
   (start-up to first paint);
5. prints the bundle's size next to the bare bundle's and the ratio (target <= 1.3), and writes
   build/measurements.json.

Exit status 0 only when both builds and the frozen smoke test passed.

Keyring during the smoke test (--keyring):
  auto      Linux: run it inside a private D-Bus session with an unlocked GNOME Keyring when
            dbus-run-session and gnome-keyring-daemon exist (so the SecretService backend is
            really used), otherwise accept a machine without a keyring (the backend must still
            be in the bundle); Windows and macOS: the system keyring is required.
  required  no usable keyring is a failure.
  optional  a machine without a keyring is accepted (POS_APP_SMOKE_KEYRING=optional).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
BUILD = ROOT / "build"
NAME = "pos-app"
TARGET_RATIO = 1.3
SMOKE_TIMEOUT_S = 120
BUILD_TIMEOUT_S = 1800

# The sibling scripts are plain files, not a package (packaging/ has no __init__.py).
sys.path.insert(0, str(HERE))
import compile_translations  # noqa: E402
import make_icons  # noqa: E402

UNLOCK_AND_RUN = ('printf %s pw | gnome-keyring-daemon --unlock --components=secrets '
                  '>/dev/null; exec "$@"')


def say(text: str) -> None:
    print(f"build: {text}", flush=True)


def executable(dist_folder: Path, name: str) -> Path:
    if sys.platform == "win32":
        return dist_folder / f"{name}.exe"
    return dist_folder / name


def app_executable() -> Path:
    if sys.platform == "darwin":  # what a user starts: the one inside the .app
        return DIST / f"{NAME}.app" / "Contents" / "MacOS" / NAME
    return executable(DIST / NAME, NAME)


def folder_size(path: Path) -> int:
    """Bytes of all regular files under `path` (symbolic links not followed or counted)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            p = Path(root) / name
            if not p.is_symlink():
                total += p.stat().st_size
    return total


def mib(n: int) -> str:
    return f"{n / 1048576:.1f} MiB"


def pyinstaller(spec: Path, distpath: Path, workpath: Path) -> float:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(distpath), "--workpath", str(workpath), str(spec)]
    say(" ".join(cmd))
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, timeout=BUILD_TIMEOUT_S)
    if done.returncode != 0:
        raise SystemExit(f"build: PyInstaller failed for {spec.name} (exit {done.returncode})")
    return time.perf_counter() - started


def isolated_env(home: Path, keyring_mode: str) -> dict[str, str]:
    """The smoke test's environment: offscreen Qt, throwaway user directories."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHON_KEYRING_BACKEND", "POS_APP_SMOKE_KEYRING", "QT_QPA_PLATFORM")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if sys.platform.startswith("linux"):  # platformdirs honours XDG_* on Linux only
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                    "XDG_RUNTIME_DIR"):
            d = home / var.lower()
            d.mkdir(parents=True, exist_ok=True)
            env[var] = str(d)
        os.chmod(env["XDG_RUNTIME_DIR"], 0o700)
    if keyring_mode == "optional":
        env["POS_APP_SMOKE_KEYRING"] = "optional"
    return env


def resolve_keyring_mode(requested: str) -> tuple[str, bool]:
    """(mode for POS_APP_SMOKE_KEYRING, whether to wrap in a private GNOME Keyring session)."""
    if requested != "auto":
        private = requested == "required" and sys.platform.startswith("linux") and \
            bool(shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"))
        return requested, private
    if not sys.platform.startswith("linux"):
        return "required", False
    if shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"):
        return "required", True
    say("no dbus-run-session/gnome-keyring-daemon here: the smoke test accepts a machine "
        "without a keyring (the SecretService backend must still be in the bundle)")
    return "optional", False


def run_smoke(exe: Path, env: dict[str, str], private_keyring: bool,
              report: Path) -> tuple[int, str]:
    cmd = [str(exe), "--smoke-test"]
    if private_keyring:
        cmd = ["dbus-run-session", "--", "sh", "-c", UNLOCK_AND_RUN, "sh", *cmd]
        env = {k: v for k, v in env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env = dict(env, POS_APP_SMOKE_REPORT=str(report), POS_APP_SMOKE_T0=repr(time.time()))
    report.unlink(missing_ok=True)
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=SMOKE_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return 124, f"timed out after {SMOKE_TIMEOUT_S} s (the app did not quit)"
    # A windowed Windows .exe has no stdout: the report file has what it found.
    text = report.read_text(encoding="utf-8") if report.is_file() else done.stdout
    if done.returncode != 0 and done.stderr.strip():
        text += "\n[stderr]\n" + done.stderr.strip()[-4000:]
    return done.returncode, text


def first_paint_ms(report: str) -> float | None:
    marker = " ms after launch"
    for line in report.splitlines():
        if line.startswith("window: OK") and marker in line:
            head = line.split(marker)[0]
            try:
                return float(head.rsplit(" ", 1)[1])
            except (IndexError, ValueError):
                return None
    return None


def time_bare(exe: Path, env: dict[str, str], runs: int) -> list[float]:
    """First-paint times of the bare window, measured the same way as the till's."""
    times = []
    for _ in range(runs):
        done = subprocess.run([str(exe), "--smoke-test"], capture_output=True, text=True,
                              env=dict(env, POS_APP_SMOKE_T0=repr(time.time())),
                              timeout=SMOKE_TIMEOUT_S, stdin=subprocess.DEVNULL)
        found = [ln for ln in done.stdout.splitlines() if ln.endswith(" ms after launch")]
        if done.returncode != 0 or not found:
            say(f"the bare window did not report a first paint (exit {done.returncode})")
            return []
        times.append(float(found[0].split()[1]))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build, smoke-test and measure the bundle.")
    parser.add_argument("--keyring", choices=("auto", "required", "optional"), default="auto",
                        help="keyring policy for the frozen smoke test (default: auto)")
    parser.add_argument("--runs", type=int, default=3,
                        help="timed start-ups of the frozen app (default 3; median reported)")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    say(f"{platform.system()} {platform.machine()}, Python {platform.python_version()}")
    for qm in compile_translations.compile_all():
        say(f"compiled {qm.relative_to(ROOT)}")
    stale = make_icons.check()
    if stale:
        raise SystemExit(f"build: icons out of date ({', '.join(stale)}): "
                         "run python packaging/make_icons.py and commit the result")

    shutil.rmtree(DIST / NAME, ignore_errors=True)
    shutil.rmtree(DIST / f"{NAME}.app", ignore_errors=True)
    app_s = pyinstaller(HERE / "pos_app.spec", DIST, BUILD / "pyinstaller")
    bare_dir = BUILD / "bare"
    shutil.rmtree(bare_dir / "bare-qt", ignore_errors=True)
    bare_s = pyinstaller(HERE / "bare.spec", bare_dir, bare_dir / "work")

    exe = app_executable()
    if not exe.is_file():
        raise SystemExit(f"build: {exe} was not built")
    mode, private = resolve_keyring_mode(args.keyring)
    report_file = BUILD / "smoke-report.txt"
    with tempfile.TemporaryDirectory(prefix="pos-app-smoke-") as tmp:
        env = isolated_env(Path(tmp), mode)
        how = ("inside a private GNOME Keyring session" if private else
               f"keyring {mode}")
        say(f"frozen smoke test: {exe.relative_to(ROOT)} --smoke-test ({how})")
        rc, report = run_smoke(exe, env, private, report_file)
        print(report.rstrip(), flush=True)
        if rc != 0:
            say(f"FROZEN SMOKE TEST FAILED (exit {rc})")
            return 1
        # Timed runs: straight from this process (no D-Bus wrapper in the measurement).
        timing_env = dict(env, POS_APP_SMOKE_KEYRING="optional")
        paints = []
        for _ in range(max(0, args.runs)):
            rc, text = run_smoke(exe, timing_env, False, report_file)
            paint = first_paint_ms(text)
            if rc != 0 or paint is None:
                print(text, flush=True)
                say("a timed run of the frozen smoke test failed")
                return 1
            paints.append(paint)
        bare_exe = executable(bare_dir / "bare-qt", "bare-qt")
        bare_paints = time_bare(bare_exe, env, max(1, args.runs))

    app_bytes = folder_size(DIST / NAME)
    bare_bytes = folder_size(bare_dir / "bare-qt")
    ratio = app_bytes / bare_bytes if bare_bytes else float("inf")
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    paint_ms = statistics.median(paints) if paints else None
    print(flush=True)
    say(f"bundle      dist/{NAME}/           {mib(app_bytes):>12}  (PyInstaller {app_s:.0f} s)")
    say(f"bare window build/bare/bare-qt/   {mib(bare_bytes):>12}  (PyInstaller {bare_s:.0f} s)")
    say(f"ratio       {ratio:.2f}x the bare bundle ({verdict} the {TARGET_RATIO}x target)")
    if paint_ms is not None:
        say(f"start-up    {paint_ms:.0f} ms to first paint, offscreen "
            f"(median of {len(paints)}: {', '.join(f'{p:.0f}' for p in paints)} ms)")
    if bare_paints:
        say(f"bare window {statistics.median(bare_paints):.0f} ms to first paint, offscreen "
            f"(median of {len(bare_paints)}: {', '.join(f'{p:.0f}' for p in bare_paints)} ms)")
    total_s = time.perf_counter() - started
    say(f"done in {total_s:.0f} s; run it: {exe.relative_to(ROOT)}")
    BUILD.mkdir(exist_ok=True)
    (BUILD / "measurements.json").write_text(json.dumps({
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "bundle_bytes": app_bytes, "bare_bytes": bare_bytes, "ratio": round(ratio, 3),
        "first_paint_ms": paints, "bare_first_paint_ms": bare_paints,
        "pyinstaller_s": {"app": round(app_s, 1), "bare": round(bare_s, 1)},
        "total_s": round(total_s, 1),
    }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
