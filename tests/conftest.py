"""Test set-up: offscreen Qt, isolated platformdirs, an in-memory keyring, no network."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402
import keyring.backend  # noqa: E402
import keyring.errors  # noqa: E402
import pytest  # noqa: E402

from pos_app.clickpesa.gateway import Credentials, Gateway  # noqa: E402
from pos_app.clickpesa.simulator import Simulator  # noqa: E402
from pos_app.journal import Journal  # noqa: E402
from pos_app.till.fakes import ManualScheduler  # noqa: E402

FAKE_CLIENT_ID = "IDfakeClient0001"
FAKE_API_KEY = "SKfakeApiKey-never-log-me-0001"
FAKE_CHECKSUM_KEY = "CKfakeChecksum-never-log-me-0001"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Test keyring. priority -1 so it never registers itself globally (env notes)."""

    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.fail_writes = False

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.fail_writes:
            raise keyring.errors.PasswordSetError("locked")
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        d = tmp_path / var.lower()
        d.mkdir()
        monkeypatch.setenv(var, str(d))
    return tmp_path


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring():
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def scheduler() -> ManualScheduler:
    return ManualScheduler()


@pytest.fixture
def sim(scheduler: ManualScheduler) -> Simulator:
    return Simulator(clock=scheduler.now)


@pytest.fixture
def creds() -> Credentials:
    return Credentials(FAKE_CLIENT_ID, FAKE_API_KEY, FAKE_CHECKSUM_KEY)


@pytest.fixture
def gateway(sim: Simulator, scheduler: ManualScheduler, creds: Credentials):
    gw = Gateway("https://api.clickpesa.com", lambda: creds, transport=sim.transport(),
                 clock=scheduler.now)
    yield gw
    gw.close()


@pytest.fixture
def journal(tmp_path: Path):
    j = Journal(tmp_path / "journal.sqlite3", mode="live")
    yield j
    j.close()


@pytest.fixture(scope="session", autouse=True)
def gui_thread_gc():
    """As in the app (pos_app/ui/collector.py): cycles are collected on the main thread only,
    here between tests, so a window left by one test is never destroyed from a worker thread
    of the next (it was: a segmentation fault now and then)."""
    from pos_app.ui.collector import MainThreadCollector

    collector = MainThreadCollector(start=False)
    yield collector
    collector.stop()


@pytest.fixture(autouse=True)
def _collect_between_tests(gui_thread_gc):
    yield
    gui_thread_gc.check()


@pytest.fixture
def training_window(qtbot, scheduler: ManualScheduler, journal: Journal):
    """The real window in training mode: the simulator on the manual clock, jobs on the
    thread pool. The simulator is at `.sim`."""
    from pos_app.app import GatewayFactory
    from pos_app.settings import Settings
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.tasks import QtRunner

    sim = Simulator(clock=scheduler.now)
    factory = GatewayFactory(training=True, simulator=sim)
    runner = QtRunner()
    w = MainWindow(gateway=factory(Settings()), journal=journal, settings=Settings(),
                   training=True, gateway_factory=factory, runner=runner, scheduler=scheduler,
                   wall_clock=scheduler.wall_clock())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.till.starting)  # the journal read at start-up is back
    w.sim = sim  # type: ignore[attr-defined]
    yield w
    w.till.shutdown()
    runner.wait()
