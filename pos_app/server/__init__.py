"""The shop server (PostgreSQL ledger, owner dashboard). No Qt here."""
