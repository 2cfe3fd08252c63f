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


def test_reasons_for_unusable_credentials(memory_keyring):
    from pos_app.clickpesa.errors import Reason

    with pytest.raises(CredentialsMissing) as info:
        CredentialStore().load()
    assert info.value.code is Reason.NO_CREDENTIALS

    def broken(*args):
        raise RuntimeError("the keyring is locked")

    memory_keyring.get_password = broken
    with pytest.raises(CredentialsMissing) as info:
        CredentialStore().load()
    assert info.value.code is Reason.NO_KEYRING
    assert "could not be read" in info.value.reason


def test_no_keyring_is_reason_no_keyring(no_keyring):
    from pos_app.clickpesa.errors import Reason

    with pytest.raises(CredentialsMissing) as info:
        CredentialStore().load()
    assert info.value.code is Reason.NO_KEYRING


@pytest.mark.parametrize("client_id, api_key, checksum_key, what", [
    ("IDclïent", "SKok-key", None, "Client ID"),
    ("IDclient", "SKké", None, "API key"),
    ("IDclient", "SKok-key ", None, "API key"),
    ("IDclient", "SKok-key", "CK\nline", "checksum key"),
])
def test_save_refuses_text_that_cannot_be_sent_and_stores_nothing(memory_keyring, client_id,
                                                                  api_key, checksum_key, what):
    from pos_app.credentials import BadCredentialText

    with pytest.raises(BadCredentialText) as info:
        CredentialStore().save(client_id, api_key, checksum_key)
    assert isinstance(info.value, KeyringUnavailable)  # callers that show that show this too
    assert str(info.value).startswith(f"The {what} ") and "nothing was stored" in str(info.value)
    assert api_key not in str(info.value)
    assert memory_keyring.store == {}


def test_credential_text_refusal_accepts_ordinary_keys():
    from pos_app.credentials import credential_text_refusal

    for value in ("IDabc123", "SK-abc_DEF.123/xyz+=", "key with inner space"):
        assert credential_text_refusal("API key", value) is None
