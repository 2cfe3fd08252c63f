"""Where the till keeps its state: only platformdirs locations for the app name `pos-app`.

Also the one place that tells a read-only or full data folder from other trouble, in plain
words (`storage_trouble`, `data_folder_problem`): the journal, `pos-app check` and the window's
start-up all say it the same way.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import platformdirs

from pos_app import APP_NAME
from pos_app.i18n import QT_TRANSLATE_NOOP
from pos_app.logs import LOG_BACKUPS, LOG_FILE_NAME
from pos_app.settings import Problem


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def settings_file(training: bool = False) -> Path:
    # Training has its own settings file, written only by training: what a cashier changes
    # while practising never reaches the live till. It starts as a copy of the live one.
    return config_dir() / ("training-settings.ini" if training else "settings.ini")


def settings_to_load(training: bool) -> Path:
    """The file a till of this mode reads: training falls back to the live settings until
    training has saved its own."""
    own = settings_file(training)
    return own if not training or own.exists() else settings_file(False)


def journal_file(training: bool) -> Path:
    # Training attempts live in their own file: they can never mix into real totals.
    return data_dir() / ("training-journal.sqlite3" if training else "journal.sqlite3")


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def lock_file(training: bool) -> Path:
    """The file that keeps a second till window (of the same mode) from opening."""
    return data_dir() / ("training.lock" if training else "till.lock")


def till_files() -> list[Path]:
    """Every file the till owns: an export must never be written over one of them."""
    files: list[Path] = []
    for training in (False, True):
        journal = journal_file(training)
        files += [journal] + [journal.with_name(journal.name + suffix)
                              for suffix in ("-wal", "-shm", "-journal")]
        files.append(lock_file(training))
    settings = settings_file()
    files += [settings, settings.with_name(settings.name + ".part")]
    log = log_file()
    files += [log] + [log.with_name(f"{log.name}.{i}") for i in range(1, LOG_BACKUPS + 2)]
    return files


# -- a folder the till cannot write to ---------------------------------------------------

READ_ONLY, FULL = "read_only", "full"
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_FULL_ERRNOS = {errno.ENOSPC} | ({errno.EDQUOT} if hasattr(errno, "EDQUOT") else set())
_SQLITE_READONLY, _SQLITE_FULL = 8, 13  # primary result codes (sqlite3.h)

# The English sentences, kept together; translated where they are shown (wording.py's
# settings_problem: `template` through the "Messages" catalogue, then `values`).
STORAGE_MESSAGES: dict[tuple[str, str], str] = {
    ("journal", READ_ONLY): QT_TRANSLATE_NOOP(
        "Messages", "The data folder {folder} is read-only, so the till cannot write its journal "
                    "{path}. Make the folder (and the files in it) writable, then start the "
                    "till again."),
    ("journal", FULL): QT_TRANSLATE_NOOP(
        "Messages", "The disk is full, so the till cannot write its journal {path}. Free some "
                    "space on the disk, then start the till again."),
    ("folder", READ_ONLY): QT_TRANSLATE_NOOP(
        "Messages", "The data folder {folder} is read-only, so the till cannot keep its journal "
                    "there. Make the folder writable, then start the till again."),
    ("folder", FULL): QT_TRANSLATE_NOOP(
        "Messages", "The disk is full, so the till cannot write to its data folder {folder}. "
                    "Free some space on the disk, then start the till again."),
    ("folder", "other"): QT_TRANSLATE_NOOP(
        "Messages", "The till cannot write to its data folder {folder} ({error}). Check the "
                    "disk, then start the till again."),
}


def storage_trouble(exc: BaseException) -> str | None:
    """READ_ONLY or FULL when `exc` (an OSError or an sqlite3 error) says the disk refuses
    writes for one of those reasons; None for anything else."""
    if isinstance(exc, OSError):
        if exc.errno in _READ_ONLY_ERRNOS:
            return READ_ONLY
        if exc.errno in _FULL_ERRNOS:
            return FULL
        return None
    if type(exc).__module__.startswith("sqlite3"):  # not imported here: paths loads at start-up
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(exc).lower()
        if primary == _SQLITE_READONLY or "readonly database" in text or "read-only" in text:
            return READ_ONLY
        if primary == _SQLITE_FULL or "disk is full" in text:
            return FULL
    return None


def write_probe(folder: Path) -> None:
    """Create and remove a small file in `folder`; raises the OSError the disk gives.

    Permission bits alone cannot tell: root ignores them and a read-only file system or a
    full disk shows only when something is written."""
    probe = folder / f".pos-app-write-test-{os.urandom(4).hex()}"
    fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, b"x")  # a byte, not only a name: a full disk refuses data first
    finally:
        os.close(fd)
        try:
            os.unlink(probe)
        except OSError:
            pass


def data_folder_problem(folder: Path | None = None, *, create: bool = True) -> Problem | None:
    """None when the till can write in its data folder (made if missing); otherwise why not,
    in plain words naming the folder.

    `create=False` (`pos-app check`) leaves the disk as it found it: a missing folder is
    probed at its nearest existing parent, which is where the till would make it."""
    folder = data_dir() if folder is None else folder
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True)
            write_probe(folder)
        else:
            probe_at = folder
            while not probe_at.exists() and probe_at != probe_at.parent:
                probe_at = probe_at.parent
            write_probe(probe_at)
    except OSError as exc:
        kind = storage_trouble(exc) or "other"
        return Problem(STORAGE_MESSAGES[("folder", kind)], folder=folder,
                       error=exc.strerror or type(exc).__name__)
    return None
