"""Which keyrings the till accepts for the API key, and what it says when there is none."""

from __future__ import annotations

import keyring
import pytest
from conftest import MemoryKeyring

from pos_app.clickpesa.errors import CredentialsMissing
from pos_app.credentials import CredentialStore, KeyringUnavailable, describe, usable_backend


def _plaintext_backend() -> MemoryKeyring:
    cls = type("PlaintextKeyring", (MemoryKeyring,), {"__module__": "keyrings.alt.file"})
    return cls()


@pytest.fixture
def use_backend():
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def test_round_trip_never_returns_more_than_stored(memory_keyring):
    store = CredentialStore()
    store.save("ID1", "KEY1")
    creds = store.load()
    assert (creds.client_id, creds.api_key, creds.checksum_key) == ("ID1", "KEY1", None)
    assert "KEY1" not in repr(creds)
    status = store.status()
    assert (status.client_id, status.api_key, status.checksum_key) == (True, True, False)
    assert store.clear() == 2
    with pytest.raises(CredentialsMissing, match="No Client ID or API key"):
        store.load()


def test_auto_selected_plaintext_file_keyring_is_refused(use_backend, monkeypatch):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    use_backend(_plaintext_backend())
    with pytest.raises(KeyringUnavailable, match="No secure keyring"):
        usable_backend()
    with pytest.raises(KeyringUnavailable):
        CredentialStore().save("ID", "KEY")


def test_plaintext_keyring_chosen_by_the_operator_is_honoured(use_backend, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    backend = _plaintext_backend()
    use_backend(backend)
    assert usable_backend() is backend
    assert "plain file" in describe(backend)


def test_no_keyring_is_reported_in_words(no_keyring):
    with pytest.raises(CredentialsMissing, match="No secure keyring is available"):
        CredentialStore().load()


def test_keyring_refusing_writes_is_reported(memory_keyring):
    memory_keyring.fail_writes = True
    with pytest.raises(KeyringUnavailable, match="refused to store"):
        CredentialStore().save("ID", "KEY")
    assert memory_keyring.store == {}
