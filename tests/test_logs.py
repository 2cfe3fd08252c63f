"""The log: rotated at start-up, secrets masked."""

from __future__ import annotations

import logging

from pos_app.logs import MaskSecrets, register_secret, rotate_at_start, setup_logging


def test_big_log_is_rotated_at_start_and_old_ones_shift(tmp_path):
    log = tmp_path / "pos-app.log"
    log.write_text("x" * 50)
    (tmp_path / "pos-app.log.1").write_text("one")
    (tmp_path / "pos-app.log.2").write_text("two")
    rotate_at_start(log, max_bytes=10, backups=3)
    assert not log.exists()
    assert (tmp_path / "pos-app.log.1").read_text() == "x" * 50
    assert (tmp_path / "pos-app.log.2").read_text() == "one"
    assert (tmp_path / "pos-app.log.3").read_text() == "two"


def test_small_log_is_left_alone(tmp_path):
    log = tmp_path / "pos-app.log"
    log.write_text("short")
    rotate_at_start(log, max_bytes=10)
    assert log.read_text() == "short"
    assert not (tmp_path / "pos-app.log.1").exists()
    rotate_at_start(tmp_path / "missing.log")  # no file yet: nothing to do, no error


def test_setup_logging_writes_to_the_log_dir_with_secrets_masked(tmp_path):
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = setup_logging(tmp_path / "log")
        assert path == tmp_path / "log" / "pos-app.log"
        register_secret("SKlog-secret-value-42")
        logging.getLogger("pos_app.test").warning("key was %s", "SKlog-secret-value-42")
        for h in root.handlers:
            h.flush()
        text = path.read_text()
        assert "key was ***" in text and "SKlog-secret-value-42" not in text
        assert any(isinstance(f, MaskSecrets) for h in root.handlers for f in h.filters)
    finally:
        for h in root.handlers[:]:
            if h not in before:
                root.removeHandler(h)
                h.close()


def test_a_short_bare_token_is_not_masked_everywhere():
    from pos_app.logs import mask

    register_secret("Bearer prop")  # the full value is long enough, "prop" alone is not
    assert mask("a Bearer prop here") == "a *** here"
    assert mask("property of the shop") == "property of the shop"
    register_secret("Bearer eyJlong-enough-token")
    assert mask("x eyJlong-enough-token y") == "x *** y"
    register_secret("")
    register_secret(None)
    assert mask("") == ""
