"""Settings: a bad value never stops the till; it falls back and says why in words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pos_app import paths
from pos_app.clickpesa.api import DEFAULT_BASE_URL
from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.domain.money import DEFAULT_MAX_TZS, DEFAULT_MIN_TZS
from pos_app.settings import Settings, load_settings, parse_settings, save_settings

DEFAULTS = Settings()


def test_defaults():
    assert DEFAULTS.base_url == "https://api.clickpesa.com" == DEFAULT_BASE_URL
    assert (DEFAULTS.min_amount, DEFAULTS.max_amount) == (DEFAULT_MIN_TZS, DEFAULT_MAX_TZS)
    assert DEFAULTS.checksum_mode is ChecksumMode.OFF
    assert DEFAULTS.language == "en"
    assert 30 <= DEFAULTS.patience_s <= 900


def test_no_file_gives_defaults_and_no_problems(tmp_path):
    assert load_settings(tmp_path / "missing.ini") == (DEFAULTS, [])


def test_settings_file_lives_in_the_isolated_config_dir(isolated_dirs):
    assert paths.settings_file().is_relative_to(isolated_dirs)
    assert load_settings(paths.settings_file()) == (DEFAULTS, [])


def test_good_values_are_read():
    s, problems = parse_settings("""
[till]
base_url = https://api.clickpesa.com/third-parties/
till_name = Duka la Mama
min_amount = 1,000
max_amount = 2_000_000
patience_s = 180
checksum_mode = Canonical
language = SW
""")
    assert problems == []
    assert s == Settings(base_url="https://api.clickpesa.com", till_name="Duka la Mama",
                         min_amount=1000, max_amount=2_000_000, patience_s=180,
                         checksum_mode=ChecksumMode.CANONICAL, language="sw")


def one_setting(key: str, value: str) -> tuple[Settings, list[str]]:
    return parse_settings(f"[till]\n{key} = {value}\n")


@pytest.mark.parametrize("key, value, words", [
    ("min_amount", "abc", "not a whole number"),
    ("max_amount", "5000.5", "not a whole number"),
    ("patience_s", "two minutes", "not a whole number"),
    ("min_amount", "0", "between"),
    ("max_amount", "-5", "between"),
    ("max_amount", "999999999999", "between"),
    ("patience_s", "5", "between"),
    ("patience_s", "100000", "between"),
])
def test_bad_numbers_fall_back_with_a_clear_problem(key, value, words):
    s, problems = one_setting(key, value)
    assert getattr(s, key) == getattr(DEFAULTS, key)
    assert s == DEFAULTS
    assert len(problems) == 1
    assert key in problems[0] and words in problems[0] and "default" in problems[0]


@pytest.mark.parametrize("value", ["sha256", "on", "yes", "1"])
def test_bad_checksum_mode_falls_back_to_off(value):
    s, problems = one_setting("checksum_mode", value)
    assert s.checksum_mode is ChecksumMode.OFF
    assert len(problems) == 1
    assert "checksum_mode" in problems[0] and value in problems[0]
    assert "off, canonical or legacy" in problems[0]


@pytest.mark.parametrize("value", ["http://api.clickpesa.com", "http://192.168.1.20:8080",
                                   "ftp://api.clickpesa.com", "api.clickpesa.com", ""])
def test_bad_base_url_falls_back_to_clickpesa(value):
    s, problems = one_setting("base_url", value)
    assert s.base_url == DEFAULT_BASE_URL
    assert len(problems) == 1
    assert "base_url" in problems[0] and DEFAULT_BASE_URL in problems[0]


def test_plain_http_base_url_problem_names_the_reason():
    _, problems = one_setting("base_url", "http://api.clickpesa.com")
    assert "http://" in problems[0] and "https://" in problems[0]


@pytest.mark.parametrize("value", ["http://127.0.0.1:8080", "http://localhost:9000"])
def test_loopback_http_base_url_is_allowed(value):
    assert one_setting("base_url", value) == (replace(DEFAULTS, base_url=value), [])


def test_bad_language_falls_back_to_english():
    s, problems = one_setting("language", "fr")
    assert s.language == "en"
    assert len(problems) == 1 and "fr" in problems[0]


def test_min_above_max_resets_both_with_a_problem():
    s, problems = parse_settings("[till]\nmin_amount = 20000\nmax_amount = 10000\n")
    assert (s.min_amount, s.max_amount) == (DEFAULT_MIN_TZS, DEFAULT_MAX_TZS)
    assert len(problems) == 1
    assert "min_amount" in problems[0] and "max_amount" in problems[0]
    assert "20,000" in problems[0] and "10,000" in problems[0]


def test_min_above_default_max_is_caught_too():
    s, problems = one_setting("min_amount", str(DEFAULT_MAX_TZS + 1))
    assert (s.min_amount, s.max_amount) == (DEFAULT_MIN_TZS, DEFAULT_MAX_TZS)
    assert len(problems) == 1


def test_one_bad_value_does_not_spoil_the_good_ones():
    s, problems = parse_settings("[till]\ntill_name = Till 3\nmax_amount = lots\n"
                                 "patience_s = 240\nchecksum_mode = legacy\n")
    assert (s.till_name, s.patience_s, s.checksum_mode) == ("Till 3", 240, ChecksumMode.LEGACY)
    assert s.max_amount == DEFAULT_MAX_TZS
    assert len(problems) == 1 and "max_amount" in problems[0]


@pytest.mark.parametrize("text", [
    "this is not an ini file at all",
    "[till]\nmin_amount = 1\nmin_amount = 2\n",  # duplicate key
    "[till]\n[till]\n",  # duplicate section
    "\x00\x01\x02garbage",
])
def test_garbage_file_gives_defaults_and_a_problem(text):
    s, problems = parse_settings(text, "settings.ini")
    assert s == DEFAULTS
    assert len(problems) == 1
    assert "settings.ini" in problems[0] and "default" in problems[0]


def test_undecodable_file_gives_defaults_and_names_the_file(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_bytes(b"\xff\xfe[till]\nmin_amount=\xff\n")
    s, problems = load_settings(path)
    assert s == DEFAULTS
    assert len(problems) == 1 and str(path) in problems[0]


def test_unreadable_path_gives_defaults(tmp_path):
    s, problems = load_settings(tmp_path)  # a directory, not a file
    assert s == DEFAULTS
    assert len(problems) == 1


def test_file_without_till_section_is_defaults():
    assert parse_settings("[other]\nmin_amount = abc\n") == (DEFAULTS, [])


def test_blank_till_name_keeps_default_and_long_name_is_cut():
    assert one_setting("till_name", "   ")[0].till_name == DEFAULTS.till_name
    assert len(one_setting("till_name", "x" * 100)[0].till_name) == 40


@pytest.mark.parametrize("settings", [
    DEFAULTS,
    Settings(base_url="http://127.0.0.1:8080", till_name="Duka; #2 = 100% [x]",
             min_amount=500, max_amount=1_000_000, patience_s=300,
             checksum_mode=ChecksumMode.LEGACY, language="sw"),
    Settings(base_url="https://proxy.example.co.tz/cp", checksum_mode=ChecksumMode.CANONICAL),
])
def test_save_load_round_trip(tmp_path, settings):
    path = tmp_path / "deeper" / "settings.ini"
    save_settings(settings, path)
    assert load_settings(path) == (settings, [])
    assert not path.with_name("settings.ini.part").exists()


def test_saving_again_replaces_the_file(tmp_path):
    path = tmp_path / "settings.ini"
    save_settings(replace(DEFAULTS, till_name="Old"), path)
    save_settings(replace(DEFAULTS, till_name="New"), path)
    assert load_settings(path)[0].till_name == "New"


def test_saved_file_holds_no_secret_fields(tmp_path):
    path = tmp_path / "settings.ini"
    save_settings(DEFAULTS, path)
    text = path.read_text(encoding="utf-8").lower()
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    for word in ("api_key", "apikey", "checksum_key", "token", "client_id"):
        assert word not in body


def test_the_readmes_settings_block_loads_as_written():
    """The example in the README, copied as it is (inline "; comments" included), gives the
    settings it shows and no problem."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```ini\n(\[till\].*?)```", readme, re.S)
    assert block, "the README has no [till] settings example"
    settings, problems = parse_settings(block.group(1))
    assert problems == []
    assert settings.base_url == "https://api.clickpesa.com"
    assert settings.patience_s == 120 and settings.language == "en"
    assert settings.checksum_mode.value == "off"


def test_an_inline_comment_is_not_part_of_the_value():
    settings, problems = parse_settings("[till]\ntill_name = Duka la Mama ; the front till\n"
                                        "patience_s = 90 ; seconds\n")
    assert problems == []
    assert settings.till_name == "Duka la Mama" and settings.patience_s == 90


def test_training_reads_its_own_settings_once_it_has_them(tmp_path, monkeypatch):
    from pos_app import paths

    monkeypatch.setattr(paths, "config_dir", lambda: tmp_path)
    live = paths.settings_file(False)
    assert paths.settings_to_load(True) == live  # no training file yet: the live settings
    assert paths.settings_file(True) != live
    paths.settings_file(True).write_text("[till]\n")
    assert paths.settings_to_load(True) == paths.settings_file(True)
    assert paths.settings_to_load(False) == live


def test_saving_keeps_the_files_other_sections(tmp_path):
    """The window's Settings dialog writes [till]; a [shop] written by `pos-app shop join`
    (or any other section) survives it."""
    import configparser

    path = tmp_path / "settings.ini"
    path.write_text("[till]\ntill_name = Old\n\n[shop]\nserver_url = https://shop.example\n")
    save_settings(Settings(till_name="Counter 2"), path)
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    assert parser["shop"]["server_url"] == "https://shop.example"
    assert parser["till"]["till_name"] == "Counter 2"
    assert load_settings(path) == (Settings(till_name="Counter 2"), [])
