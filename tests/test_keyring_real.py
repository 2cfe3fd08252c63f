"""`pos-app credentials` against a REAL Secret Service keyring (GNOME Keyring), as subprocesses.

Each session is a private D-Bus session bus with gnome-keyring-daemon unlocked by a throwaway
password, and every XDG directory (and HOME) pointed into tmp_path, so nothing touches the
real user's keyring. Needs the Debian packages `gnome-keyring dbus` (.ci/run installs them):
when they are missing this test FAILS rather than skips, so CI cannot pass without it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.keyring_real

REPO = Path(__file__).resolve().parents[1]
CLIENT = "IDrealKeyring0001"
SECRET_KEY = "SKreal-api-key-must-stay-encrypted-5d21c0"
SECRET_CHECKSUM = "CKreal-checksum-key-must-stay-encrypted-a93e"

# The keyring is created (first session) or unlocked (later sessions) with password "pw".
UNLOCK = "printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n"
# Runs one command and frames its output: <<name>> ... <<rc N>>.
STEP = 'echo "<<{name}>>"; "$PY" {args}; echo "<<rc $?>>"\n'
LOAD = ("import hashlib, sys; from pos_app.credentials import CredentialStore; "
        "c = CredentialStore().load(); "
        "print(c.client_id, hashlib.sha256(c.api_key.encode()).hexdigest(), "
        "hashlib.sha256((c.checksum_key or '').encode()).hexdigest())")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Everything the sessions may write to (apart from conftest's in-process XDG dirs)."""
    d = tmp_path / "session"
    d.mkdir()
    return d


@pytest.fixture
def session_env(root: Path) -> dict[str, str]:
    missing = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon")
               if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not found: this test needs a real Secret Service "
                    "keyring. Install the packages `gnome-keyring dbus` "
                    "(apt-get install -y gnome-keyring dbus), as the README and .ci/run do.")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                 "XDG_RUNTIME_DIR", "HOME"):
        d = root / name.lower()
        d.mkdir()
        env[name] = str(d)
    os.chmod(env["XDG_RUNTIME_DIR"], 0o700)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def run_session(env: dict[str, str], steps: list[tuple[str, str]],
                stdin: str = "") -> dict[str, tuple[int, str]]:
    """Run the steps in ONE private D-Bus session; return {name: (exit code, output)}."""
    script = UNLOCK + 'PY="$1"\n' + "".join(STEP.format(name=n, args=a) for n, a in steps)
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script, "sh", sys.executable],
        cwd=REPO, env=env, input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"session failed:\n{done.stdout}\n{done.stderr}"
    assert SECRET_KEY not in done.stdout + done.stderr
    assert SECRET_CHECKSUM not in done.stdout + done.stderr
    results = {m.group(1): (int(m.group(3)), m.group(2))
               for m in re.finditer(r"<<(\w+)>>\n(.*?)<<rc (\d+)>>", done.stdout, re.S)}
    assert list(results) == [n for n, _ in steps], done.stdout + done.stderr
    return results


def test_credentials_in_a_real_secret_service_keyring(session_env: dict[str, str],
                                                      root: Path) -> None:
    first = run_session(session_env, [
        ("before", "-m pos_app credentials status </dev/null"),
        ("set", f"-m pos_app credentials set --client-id {CLIENT} --checksum"),
        ("status", "-m pos_app credentials status </dev/null"),
        ("load", f'-c "{LOAD}" </dev/null'),
    ], stdin=f"{SECRET_KEY}\n{SECRET_CHECKSUM}\n")

    assert first["before"] == (0, "Keyring backend: keyring.backends.SecretService.Keyring "
                                  "(priority 5)\nClient ID stored: no\nAPI key stored: no\n"
                                  "Checksum key stored: no\n")
    code, out = first["set"]
    assert code == 0 and "Stored the Client ID, API key and checksum key" in out
    assert "SecretService" in out
    code, out = first["status"]
    assert code == 0
    assert "Keyring backend: keyring.backends.SecretService.Keyring" in out
    assert "Client ID stored: yes\nAPI key stored: yes\nChecksum key stored: yes" in out
    assert first["load"] == (0, f"{CLIENT} {sha(SECRET_KEY)} {sha(SECRET_CHECKSUM)}\n")

    # On disk only in GNOME Keyring's encrypted file; no plain copy anywhere we let it write.
    keyrings = list((root / "xdg_data_home" / "keyrings").glob("*.keyring"))
    assert keyrings, "gnome-keyring wrote no keyring file"
    for path in (p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for secret in (SECRET_KEY, SECRET_CHECKSUM):
            assert secret.encode() not in data, f"{secret[:6]}… in plain text in {path}"
            assert secret.encode("utf-16-le") not in data, f"{secret[:6]}… in {path}"

    # A new session (a new login) finds them in the saved keyring; then clear removes them.
    second = run_session(session_env, [
        ("status", "-m pos_app credentials status </dev/null"),
        ("clear", "-m pos_app credentials clear </dev/null"),
        ("after", "-m pos_app credentials status </dev/null"),
        ("load", f'-c "{LOAD}" </dev/null'),
    ])
    assert "API key stored: yes" in second["status"][1]
    assert second["clear"] == (0, "Removed 3 stored credential value(s) from the keyring.\n")
    code, out = second["after"]
    assert code == 0
    assert "Client ID stored: no\nAPI key stored: no\nChecksum key stored: no" in out
    assert second["load"][0] != 0  # CredentialsMissing: nothing left to load


def test_empty_key_stores_nothing_in_the_real_keyring(session_env: dict[str, str]) -> None:
    result = run_session(session_env, [
        ("set", f"-m pos_app credentials set --client-id {CLIENT}"),
        ("status", "-m pos_app credentials status </dev/null"),
    ], stdin="\n")
    assert result["set"][0] == 2
    assert "Client ID stored: no\nAPI key stored: no" in result["status"][1]
