"""Scaled down from the benchmark (benchmarks/server_load.py): simulated tills with real
journals and senders, two server processes on one database, one of them killed and started
again mid-run — afterwards the ledger is the union of the journals, every event exactly once.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.server_load import faults


def test_a_killed_server_and_a_second_process_lose_and_double_nothing(
        database_url: str, tmp_path: Path) -> None:
    from pos_app.server import db

    with db.connect(database_url, autocommit=True) as c:  # the template is migrated already
        assert c.execute("SELECT count(*) AS n FROM tills").fetchone()["n"] == 0
    r = faults(database_url, tmp_path, tills=4, seconds=5.0, kill_at=1.5, down_for=2.0,
               catch_up_deadline_s=90.0)
    assert r["errors"] == []
    assert r["attempts"] >= 4 * 4  # about one a second per till
    assert r["events_journalled"] == 3 * r["attempts"]
    assert r["missing"] == r["extra"] == r["wrong_state"] == 0
    assert r["not_applied"] == r["attempt_state_mismatch"] == r["wrong_till"] == 0
    assert r["backlog_left"] == 0 and r["tills_stuck"] == 0
    assert r["ledger_equals_journals"] is True
    # The outage really happened: process A's tills could not send for a while.
    assert r["restarted_at_s"] - r["killed_at_s"] >= 2.0
    assert r["failed_tries_while_down"] > 0
