"""The journal: every charge attempt and each change of its state, in SQLite."""

from pos_app.journal.store import Journal, JournalError

__all__ = ["Journal", "JournalError"]
