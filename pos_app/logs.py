"""Logging to a rotating file in the user log directory, with secrets masked.

The till never formats a secret into a log message; the filter is a second line of defence
for values that reach a log through a library.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

_secrets: set[str] = set()
_lock = threading.Lock()
LOG_FILE_NAME = "pos-app.log"
# Shorter values are not masked: they would turn ordinary words into "***" everywhere.
MIN_SECRET_LENGTH = 6


def register_secret(value: str | None) -> None:
    """Mask `value` wherever `mask` runs (log records, ClickPesa's texts, the journal); a
    token is masked with and without its "Bearer " prefix."""
    if not value:
        return
    with _lock:
        for candidate in (value, value[7:] if value.lower().startswith("bearer ") else ""):
            if len(candidate.strip()) >= MIN_SECRET_LENGTH:
                _secrets.add(candidate)


def mask(text: str) -> str:
    """`text` with every registered secret replaced by ***."""
    if not text:
        return text
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for s in secrets:
        if s in text:
            text = text.replace(s, "***")
    return text


class MaskSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


LOG_MAX_BYTES = 2_000_000
LOG_BACKUPS = 3


def rotate_at_start(path: Path, max_bytes: int = LOG_MAX_BYTES, backups: int = LOG_BACKUPS) -> None:
    """Keep the log small by rotating it when the till starts (a till runs a shift at a time;
    a busy day logs ~150 kB). logging.handlers' RotatingFileHandler would do it per record,
    but importing it pulls in socket, pickle and queue: ~2 MB and ~8 ms before the first paint."""
    try:
        if path.stat().st_size < max_bytes:
            return
        for i in range(backups - 1, 0, -1):
            older = path.with_name(f"{path.name}.{i}")
            if older.exists():
                os.replace(older, path.with_name(f"{path.name}.{i + 1}"))
        os.replace(path, path.with_name(f"{path.name}.1"))
    except OSError:
        pass  # a log that cannot rotate must not stop the till


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path | None:
    root = logging.getLogger()
    root.setLevel(level)
    # httpcore's debug lines carry request headers; keep it quiet whatever the level.
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    path: Path | None = None
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / LOG_FILE_NAME
        rotate_at_start(path)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.addFilter(MaskSecrets())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
