"""Where the till keeps its state: only platformdirs locations for the app name `pos-app`."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from pos_app import APP_NAME


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def settings_file() -> Path:
    return config_dir() / "settings.ini"


def journal_file(training: bool) -> Path:
    # Training attempts live in their own file: they can never mix into real totals.
    return data_dir() / ("training-journal.sqlite3" if training else "journal.sqlite3")
