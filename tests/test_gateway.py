"""The HTTP gateway against a mocked ClickPesa (respx): token economy, 401s, error mapping."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
import pytest
import respx

from pos_app.clickpesa import api
from pos_app.clickpesa.checksum import ChecksumMode, canonical_checksum, legacy_checksum
from pos_app.clickpesa.errors import (
    AuthFailed,
    ClickPesaError,
    CredentialsMissing,
    NotConnected,
    RateLimited,
    Reason,
    Rejected,
    Unavailable,
    Unclear,
)
from pos_app.clickpesa.gateway import Credentials, Gateway
from pos_app.domain.attempt import Verdict
from pos_app.domain.money import Amount
from pos_app.domain.phone import Phone

BASE = "https://api.clickpesa.com"
REF = "M2603140926ABCDEFG"
PHONE = Phone("255712345678")
CREDS = Credentials("IDclient42", "SKapikey-secret-42", "CKchecksum-secret-42")
TOKEN_1 = "Bearer eyJ.first.token"
TOKEN_2 = "Bearer eyJ.second.token"
STATUS_PATH = f"/third-parties/payments/{REF}"


class Clock:
    def __init__(self, t: float = 5000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def token_ok(token: str = TOKEN_1) -> httpx.Response:
    return httpx.Response(200, json={"success": True, "token": token})


def initiate_ok(ref: str = REF) -> httpx.Response:
    return httpx.Response(200, json={
        "id": "LV6Y2U5Z", "status": "PROCESSING", "channel": "TIGO-PESA", "orderReference": ref,
        "collectedAmount": "5000", "collectedCurrency": "TZS",
        "createdAt": "2026-03-14T06:29:00.000Z", "clientId": "IDclient42"})


def status_ok(status: str = "SUCCESS") -> httpx.Response:
    return httpx.Response(200, json=[{
        "id": "LV6Y2U5Z", "status": status, "orderReference": REF, "collectedAmount": 5000,
        "collectedCurrency": "TZS", "message": "", "updatedAt": "2026-03-14T06:30:00Z",
        "createdAt": "2026-03-14T06:29:00Z"}])


UNAUTHORIZED = httpx.Response(401, json={"message": "Unauthorized"})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cp():
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.post(api.TOKEN_PATH, name="token").mock(return_value=token_ok())
        router.post(api.INITIATE_PATH, name="initiate").mock(
            side_effect=lambda request: initiate_ok(json.loads(request.content)["orderReference"]))
        router.get(STATUS_PATH, name="status").mock(return_value=status_ok())
        yield router


@pytest.fixture
def make_gateway(clock):
    made: list[Gateway] = []

    def make(base_url: str = BASE, *, mode: ChecksumMode = ChecksumMode.OFF,
             creds: Credentials = CREDS) -> Gateway:
        gw = Gateway(base_url, lambda: creds, checksum_mode=mode, clock=clock)
        made.append(gw)
        return gw

    yield make
    for gw in made:
        gw.close()


@pytest.fixture
def gw(make_gateway) -> Gateway:
    return make_gateway()


def push(gw: Gateway, ref: str = REF):
    return gw.initiate(ref, PHONE, Amount(5000))


def sent_json(route) -> dict:
    return json.loads(route.calls.last.request.content)


# -- token ------------------------------------------------------------------------------

def test_token_request_carries_client_id_and_api_key(cp, gw):
    assert gw.ensure_token() == TOKEN_1
    request = cp["token"].calls.last.request
    assert request.method == "POST"
    assert request.url == f"{BASE}{api.TOKEN_PATH}"
    assert request.headers["client-id"] == CREDS.client_id
    assert request.headers["api-key"] == CREDS.api_key


def test_token_fetched_once_and_reused_across_calls(cp, gw, clock):
    push(gw)
    for _ in range(3):
        clock.t += 60
        gw.status(REF)
    push(gw, "M2603140926ZZZZZZZ")
    assert cp["token"].call_count == 1
    assert cp["initiate"].call_count == 2
    assert cp["status"].call_count == 3
    authorizations = {c.request.headers["authorization"]
                      for c in cp["initiate"].calls + cp["status"].calls}
    assert authorizations == {TOKEN_1}


def test_token_refreshed_shortly_before_the_hour(cp, gw, clock):
    cp["token"].side_effect = [token_ok(TOKEN_1), token_ok(TOKEN_2)]
    issued = clock.t
    gw.status(REF)
    refresh_at = issued + api.TOKEN_LIFETIME_S - api.TOKEN_REFRESH_MARGIN_S
    assert 0 < api.TOKEN_REFRESH_MARGIN_S < api.TOKEN_LIFETIME_S
    clock.t = refresh_at - 0.01
    gw.status(REF)
    assert cp["token"].call_count == 1
    clock.t = refresh_at
    gw.status(REF)
    assert cp["token"].call_count == 2
    assert cp["status"].calls.last.request.headers["authorization"] == TOKEN_2
    assert clock.t < issued + api.TOKEN_LIFETIME_S  # renewed before the old one died


def test_token_lifetime_counts_from_before_a_slow_token_call(cp, gw, clock):
    def slow_token(request):
        clock.t += 30  # the token call itself took 30 s
        return token_ok()

    cp["token"].side_effect = slow_token
    issued = clock.t
    gw.ensure_token()
    clock.t = issued + api.TOKEN_LIFETIME_S - api.TOKEN_REFRESH_MARGIN_S
    gw.ensure_token()
    assert cp["token"].call_count == 2


def test_token_without_bearer_is_sent_with_exactly_one(cp, gw):
    cp["token"].mock(return_value=httpx.Response(200, json={"success": True,
                                                            "token": "eyJbare"}))
    push(gw)
    assert cp["initiate"].calls.last.request.headers["authorization"] == "Bearer eyJbare"


@pytest.mark.parametrize("code, message", [
    (401, "Unauthorized"),
    (403, "Invalid client details"),
    (403, "Invalid or Expired API-Key"),
    (403, "Unauthorized API-Key"),
])
def test_token_refusal_is_auth_failed_with_clickpesas_message(cp, gw, code, message):
    cp["token"].mock(return_value=httpx.Response(code, json={"message": message}))
    with pytest.raises(AuthFailed) as info:
        push(gw)
    assert info.value.reason == message
    assert info.value.status_code == code
    assert cp["initiate"].call_count == 0


def test_token_refusal_without_body_still_explains(cp, gw):
    cp["token"].mock(return_value=httpx.Response(403, text=""))
    with pytest.raises(AuthFailed) as info:
        gw.ensure_token()
    assert "403" in info.value.reason


def test_token_429_is_unavailable_and_rate_limited(cp, gw):
    # A token call creates nothing: a 429 there is "not now", never "may have arrived".
    cp["token"].mock(return_value=httpx.Response(429, headers={"Retry-After": "20"}))
    with pytest.raises(Unavailable) as info:
        gw.ensure_token()
    assert not isinstance(info.value, Unclear)
    assert info.value.code is Reason.RATE_LIMITED
    assert info.value.retry_after_s == 20


@pytest.mark.parametrize("response", [
    httpx.Response(500, json={"message": "boom"}),
    httpx.Response(200, text="<html>portal</html>", headers={"content-type": "text/html"}),
    httpx.Response(200, json={"success": True}),
])
def test_unusable_token_reply_is_unavailable_and_not_cached(cp, gw, response):
    cp["token"].side_effect = [response, token_ok()]
    with pytest.raises(Unavailable):
        push(gw)
    assert cp["initiate"].call_count == 0
    push(gw)
    assert cp["initiate"].calls.last.request.headers["authorization"] == TOKEN_1


def test_missing_credentials_make_no_call(cp, make_gateway):
    gw = make_gateway(creds=Credentials("", ""))
    with pytest.raises(CredentialsMissing):
        push(gw)
    assert cp["token"].call_count == 0
    assert cp["initiate"].call_count == 0


# -- 401 on a call: one fresh token, one repeat -----------------------------------------

@pytest.mark.parametrize("endpoint", ["initiate", "status"])
def test_401_gets_one_new_token_and_one_repeat(cp, gw, endpoint):
    cp["token"].side_effect = [token_ok(TOKEN_1), token_ok(TOKEN_2)]
    ok = initiate_ok() if endpoint == "initiate" else status_ok()
    cp[endpoint].side_effect = [UNAUTHORIZED, ok, ok]
    result = push(gw) if endpoint == "initiate" else gw.status(REF)
    assert result is not None
    assert cp["token"].call_count == 2
    assert cp[endpoint].call_count == 2
    first, second = cp[endpoint].calls
    assert first.request.headers["authorization"] == TOKEN_1
    assert second.request.headers["authorization"] == TOKEN_2
    if endpoint == "initiate":
        assert first.request.content == second.request.content  # the same push, repeated
    # the fresh token is then kept
    gw.status(REF)
    assert cp["token"].call_count == 2


@pytest.mark.parametrize("endpoint", ["initiate", "status"])
def test_second_401_is_auth_failed_without_further_calls(cp, gw, endpoint):
    cp["token"].side_effect = [token_ok(TOKEN_1), token_ok(TOKEN_2)]
    cp[endpoint].mock(return_value=UNAUTHORIZED)
    with pytest.raises(AuthFailed) as info:
        push(gw) if endpoint == "initiate" else gw.status(REF)
    assert info.value.status_code == 401
    assert cp["token"].call_count == 2
    assert cp[endpoint].call_count == 2


def test_token_refused_during_401_renewal_is_auth_failed(cp, gw):
    cp["token"].side_effect = [token_ok(TOKEN_1),
                               httpx.Response(403, json={"message": "Unauthorized API-Key"})]
    cp["initiate"].mock(return_value=UNAUTHORIZED)
    with pytest.raises(AuthFailed) as info:
        push(gw)
    assert info.value.reason == "Unauthorized API-Key"
    assert cp["initiate"].call_count == 1


# -- initiate body ----------------------------------------------------------------------

def test_initiate_body_and_headers_exactly(cp, gw):
    accepted = push(gw)
    request = cp["initiate"].calls.last.request
    assert request.method == "POST"
    assert request.url == f"{BASE}{api.INITIATE_PATH}"
    assert sent_json(cp["initiate"]) == {"amount": "5000", "currency": "TZS",
                                         "orderReference": REF, "phoneNumber": "255712345678"}
    assert request.headers["authorization"] == TOKEN_1
    assert "bearer bearer" not in request.headers["authorization"].lower()
    assert request.headers["content-type"] == "application/json"
    assert "api-key" not in request.headers  # the API key only ever goes to the token call
    assert (accepted.clickpesa_id, accepted.status, accepted.channel) == (
        "LV6Y2U5Z", "PROCESSING", "TIGO-PESA")


@pytest.mark.parametrize("mode, fn", [(ChecksumMode.CANONICAL, canonical_checksum),
                                      (ChecksumMode.LEGACY, legacy_checksum)])
def test_checksum_added_when_switched_on(cp, make_gateway, mode, fn):
    push(make_gateway(mode=mode))
    body = sent_json(cp["initiate"])
    unsigned = {"amount": "5000", "currency": "TZS", "orderReference": REF,
                "phoneNumber": "255712345678"}
    assert body == {**unsigned, "checksum": fn(unsigned, CREDS.checksum_key)}


def test_canonical_checksum_on_the_wire_matches_the_test_vector_scheme(cp, make_gateway):
    push(make_gateway(mode=ChecksumMode.CANONICAL))
    body = sent_json(cp["initiate"])
    message = ('{"amount":"5000","currency":"TZS","orderReference":"' + REF
               + '","phoneNumber":"255712345678"}')
    assert body["checksum"] == hmac.new(CREDS.checksum_key.encode(), message.encode(),
                                        hashlib.sha256).hexdigest()


def test_no_checksum_when_off(cp, gw):
    push(gw)
    assert "checksum" not in sent_json(cp["initiate"])


def test_checksum_on_without_key_sends_nothing(cp, make_gateway):
    gw = make_gateway(mode=ChecksumMode.CANONICAL, creds=Credentials("IDc", "SKk", None))
    with pytest.raises(CredentialsMissing):
        push(gw)
    assert cp["initiate"].call_count == 0


@pytest.mark.parametrize("ref", ["", "ORD-1", "A" * 21, "ORD 1"])
def test_bad_reference_is_rejected_before_any_call(cp, gw, ref):
    with pytest.raises(Rejected):
        push(gw, ref)
    with pytest.raises(Rejected):
        gw.status(ref)
    assert cp["initiate"].call_count == 0
    assert cp["status"].call_count == 0


# -- initiate errors --------------------------------------------------------------------

@pytest.mark.parametrize("code, message", [
    (400, "Invalid / unsupported phone number"),
    (400, "Order Reference should be less than or equal to 20 characters"),
    (404, "Account has no payment collection methods"),
    (409, f"Order reference {REF} already used: Create a different reference"),
])
def test_initiate_refusals_are_rejected_with_status_code(cp, gw, code, message):
    cp["initiate"].mock(return_value=httpx.Response(code, json={"message": message}))
    with pytest.raises(Rejected) as info:
        push(gw)
    assert info.value.status_code == code
    assert info.value.reason == message
    assert cp["initiate"].call_count == 1  # never resent


def test_initiate_429_is_rate_limited_with_retry_after(cp, gw):
    cp["initiate"].mock(return_value=httpx.Response(429, text="slow down",
                                                    headers={"Retry-After": "42"}))
    with pytest.raises(RateLimited) as info:
        push(gw)
    assert info.value.status_code == 429
    assert info.value.retry_after_s == 42
    assert cp["initiate"].call_count == 1


def test_initiate_500_is_unclear(cp, gw):
    cp["initiate"].mock(return_value=httpx.Response(
        500, json={"message": "Error validating fee, try again later"}))
    with pytest.raises(Unclear) as info:
        push(gw)
    assert type(info.value) is Unclear
    assert info.value.status_code == 500
    assert info.value.reason == "Error validating fee, try again later"
    assert cp["initiate"].call_count == 1


@pytest.mark.parametrize("response", [
    httpx.Response(200, text="<html><body>Gateway</body></html>",
                   headers={"content-type": "text/html"}),
    httpx.Response(200, text=""),
    httpx.Response(200, json={"id": "X", "status": "PROCESSING", "orderReference": "OTHER1"}),
    httpx.Response(502, text="<html>Bad Gateway</html>", headers={"content-type": "text/html"}),
])
def test_unreadable_initiate_reply_is_unclear(cp, gw, response):
    cp["initiate"].mock(return_value=response)
    with pytest.raises(Unclear) as info:
        push(gw)
    assert type(info.value) is Unclear


@pytest.mark.parametrize("error", [httpx.ReadTimeout, httpx.RemoteProtocolError,
                                   httpx.ReadError, httpx.WriteTimeout])
def test_broken_initiate_call_is_unclear_and_not_retried(cp, gw, error):
    cp["initiate"].side_effect = error
    with pytest.raises(Unclear) as info:
        push(gw)
    assert type(info.value) is Unclear
    assert cp["initiate"].call_count == 1


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout])
def test_no_connection_on_initiate_is_not_connected(cp, gw, error):
    cp["initiate"].side_effect = error
    with pytest.raises(NotConnected):
        push(gw)
    assert cp["initiate"].call_count == 1


def test_no_connection_for_token_is_not_connected(cp, gw):
    cp["token"].side_effect = httpx.ConnectError
    with pytest.raises(NotConnected):
        push(gw)
    assert cp["initiate"].call_count == 0


# -- status -----------------------------------------------------------------------------

def test_status_reads_the_array(cp, gw):
    status = gw.status(REF)
    assert status.verdict is Verdict.PAID
    assert status.row.collected_amount == 5000
    request = cp["status"].calls.last.request
    assert request.method == "GET"
    assert request.headers["authorization"] == TOKEN_1


def test_status_404_means_never_created(cp, gw):
    cp["status"].mock(return_value=httpx.Response(
        404, json={"message": f"Invalid or missing payment: {REF}"}))
    assert gw.status(REF) is None


@pytest.mark.parametrize("response", [
    httpx.Response(200, text="<!doctype html><html></html>", headers={"content-type":
                                                                       "text/html"}),
    httpx.Response(200, text="{oops"),
    httpx.Response(503, json={"message": "Service Unavailable"}),
])
def test_status_unusable_reply_is_unclear(cp, gw, response):
    cp["status"].mock(return_value=response)
    with pytest.raises(Unclear) as info:
        gw.status(REF)
    assert type(info.value) is Unclear


def test_status_429_is_rate_limited(cp, gw):
    cp["status"].mock(return_value=httpx.Response(429, headers={"Retry-After": "15"}))
    with pytest.raises(RateLimited) as info:
        gw.status(REF)
    assert info.value.retry_after_s == 15


def test_status_timeout_is_unavailable_not_unclear(cp, gw):
    cp["status"].side_effect = httpx.ReadTimeout
    with pytest.raises(Unavailable):
        gw.status(REF)


# -- base URL ---------------------------------------------------------------------------

@pytest.mark.parametrize("url, normalised", [
    ("https://api.clickpesa.com", "https://api.clickpesa.com"),
    ("https://api.clickpesa.com/", "https://api.clickpesa.com"),
    ("https://api.clickpesa.com/third-parties", "https://api.clickpesa.com"),
    ("https://api.clickpesa.com/third-parties/", "https://api.clickpesa.com"),
    ("  https://api.clickpesa.com  ", "https://api.clickpesa.com"),
    ("https://proxy.example.co.tz:8443/cp", "https://proxy.example.co.tz:8443/cp"),
    ("https://proxy.example.co.tz/cp/third-parties", "https://proxy.example.co.tz/cp"),
    ("http://localhost:8080", "http://localhost:8080"),
    ("http://127.0.0.1:8080/third-parties", "http://127.0.0.1:8080"),
    ("http://127.0.0.53", "http://127.0.0.53"),
    ("http://[::1]:9000", "http://[::1]:9000"),
])
def test_base_url_accepted(url, normalised):
    assert api.normalise_base_url(url) == normalised


@pytest.mark.parametrize("url", [
    "http://api.clickpesa.com",
    "http://192.168.1.10:8080",
    "http://localhost.evil.example",
    "http://0.0.0.0:8080",
    "ftp://api.clickpesa.com",
    "api.clickpesa.com",
    "https://",
    "",
    "   ",
    "https://api.clickpesa.com/?x=1",
    "https://api.clickpesa.com/#frag",
    "https://user:pass@api.clickpesa.com",
])
def test_base_url_refused_with_a_reason(url):
    with pytest.raises(api.BadBaseUrl) as info:
        api.normalise_base_url(url)
    assert str(info.value)


def test_gateway_refuses_plain_http_to_a_remote_host():
    with pytest.raises(api.BadBaseUrl):
        Gateway("http://api.clickpesa.com", lambda: CREDS)


def test_third_parties_suffix_is_not_doubled_on_the_wire(cp, make_gateway):
    gw = make_gateway(f"{BASE}/third-parties/")
    push(gw)
    assert cp["token"].calls.last.request.url.path == api.TOKEN_PATH
    assert cp["initiate"].calls.last.request.url.path == api.INITIATE_PATH


def test_credentials_repr_hides_secrets():
    text = repr(CREDS)
    assert CREDS.api_key not in text
    assert CREDS.checksum_key not in text


# -- Reason codes: decided once, here -----------------------------------------------------

def test_every_documented_message_has_its_reason():
    from pos_app.clickpesa.gateway import MESSAGE_REASONS, reason_for_reply

    documented = {
        "Invalid client details": Reason.INVALID_CLIENT,
        "Invalid or Expired API-Key": Reason.API_KEY_INVALID,
        "Unauthorized API-Key": Reason.API_KEY_NOT_ALLOWED,
        "Invalid / unsupported phone number": Reason.INVALID_PHONE,
        "Application has no access to COLLECTION API feature. Enable it on your application.":
            Reason.NO_COLLECTION_API,
        "Account has no payment collection methods": Reason.NO_PAYMENT_METHOD,
        "Account has no valid payment method": Reason.NO_PAYMENT_METHOD,
        "Valid Client ID is required": Reason.CLIENT_ID_REQUIRED,
        "Invalid Order Reference, should only contain alphanumeric characters and cannot be "
        "blank": Reason.BAD_REFERENCE,
        "Order Reference should be less than or equal to 20 characters": Reason.BAD_REFERENCE,
    }
    for message, reason in documented.items():
        assert reason_for_reply(400, message) is reason, message
        assert reason_for_reply(403, "  " + message.upper() + " ") is reason, message
    assert {r for _, r in MESSAGE_REASONS} == set(documented.values())


@pytest.mark.parametrize("code, message, reason", [
    (401, "Unauthorized", Reason.UNAUTHORIZED),
    (403, "Your IP is not whitelisted", Reason.UNAUTHORIZED),
    (409, f"Order reference {REF} already used: Create a different reference",
     Reason.DUPLICATE_REFERENCE),
    (409, "", Reason.DUPLICATE_REFERENCE),
    (422, "Something else", Reason.REFUSED),
    (400, "", Reason.REFUSED),
    (429, "Invalid / unsupported phone number", Reason.RATE_LIMITED),
    (500, "Error validating fee, try again later", Reason.SERVER_ERROR),
    (503, "", Reason.SERVER_ERROR),
    (302, "", Reason.BAD_REPLY),
    (204, "", Reason.BAD_REPLY),
])
def test_reason_from_the_status_code_when_no_message_decides(code, message, reason):
    from pos_app.clickpesa.gateway import reason_for_reply

    assert reason_for_reply(code, message) is reason


@pytest.mark.parametrize("code, message, reason", [
    (401, "Unauthorized", Reason.UNAUTHORIZED),
    (403, "Invalid client details", Reason.INVALID_CLIENT),
    (403, "Invalid or Expired API-Key", Reason.API_KEY_INVALID),
    (403, "Unauthorized API-Key", Reason.API_KEY_NOT_ALLOWED),
    (403, "Forbidden by IP whitelist", Reason.UNAUTHORIZED),
])
def test_token_refusals_carry_their_reason(cp, gw, code, message, reason):
    cp["token"].mock(return_value=httpx.Response(code, json={"message": message}))
    with pytest.raises(AuthFailed) as info:
        gw.ensure_token()
    assert info.value.code is reason


@pytest.mark.parametrize("response, error, reason", [
    (httpx.Response(500, json={"message": "boom"}), Unavailable, Reason.SERVER_ERROR),
    (httpx.Response(400, json={"message": "what"}), Unavailable, Reason.REFUSED),
    (httpx.Response(200, text="<html>portal</html>", headers={"content-type": "text/html"}),
     Unavailable, Reason.BAD_REPLY),
    (httpx.Response(200, json={"success": True}), Unavailable, Reason.BAD_REPLY),
])
def test_unusable_token_replies_carry_their_reason(cp, gw, response, error, reason):
    cp["token"].mock(return_value=response)
    with pytest.raises(error) as info:
        gw.ensure_token()
    assert info.value.code is reason and not isinstance(info.value, Unclear)


@pytest.mark.parametrize("code, message, error, reason", [
    (400, "Invalid / unsupported phone number", Rejected, Reason.INVALID_PHONE),
    (400, "Valid Client ID is required", Rejected, Reason.CLIENT_ID_REQUIRED),
    (400, "Application has no access to COLLECTION API feature. Enable it on your "
          "application.", Rejected, Reason.NO_COLLECTION_API),
    (400, "Invalid Order Reference, should only contain alphanumeric characters and cannot "
          "be blank", Rejected, Reason.BAD_REFERENCE),
    (400, "Order Reference should be less than or equal to 20 characters", Rejected,
     Reason.BAD_REFERENCE),
    (404, "Account has no payment collection methods", Rejected, Reason.NO_PAYMENT_METHOD),
    (404, "Account has no valid payment method", Rejected, Reason.NO_PAYMENT_METHOD),
    (409, f"Order reference {REF} already used: Create a different reference", Rejected,
     Reason.DUPLICATE_REFERENCE),
    (422, "Unprocessable", Rejected, Reason.REFUSED),
    (403, "Forbidden", Rejected, Reason.UNAUTHORIZED),
    (429, "", RateLimited, Reason.RATE_LIMITED),
    (500, "Error validating fee, try again later", Unclear, Reason.SERVER_ERROR),
    (405, "Method not allowed", Unclear, Reason.REFUSED),
])
def test_initiate_errors_carry_their_reason(cp, gw, code, message, error, reason):
    cp["initiate"].mock(return_value=httpx.Response(code, json={"message": message}))
    with pytest.raises(error) as info:
        push(gw)
    assert type(info.value) is error
    assert info.value.code is reason


def test_initiate_second_401_is_unauthorized(cp, gw):
    cp["initiate"].mock(return_value=UNAUTHORIZED)
    with pytest.raises(AuthFailed) as info:
        push(gw)
    assert info.value.code is Reason.UNAUTHORIZED


@pytest.mark.parametrize("response, error, reason", [
    (httpx.Response(429, headers={"Retry-After": "9"}), RateLimited, Reason.RATE_LIMITED),
    (httpx.Response(503, json={"message": "down"}), Unclear, Reason.SERVER_ERROR),
    (httpx.Response(200, text="{oops"), Unclear, Reason.BAD_REPLY),
    (httpx.Response(400, json={"message": "bad"}), Unclear, Reason.REFUSED),
])
def test_status_errors_carry_their_reason(cp, gw, response, error, reason):
    cp["status"].mock(return_value=response)
    with pytest.raises(error) as info:
        gw.status(REF)
    assert type(info.value) is error and info.value.code is reason


@pytest.mark.parametrize("endpoint", ["token", "initiate", "status"])
@pytest.mark.parametrize("exc, sending_error, other_error, reason", [
    (httpx.ConnectError, NotConnected, NotConnected, Reason.OFFLINE),
    (httpx.ConnectTimeout, NotConnected, NotConnected, Reason.OFFLINE),
    (httpx.ProxyError, NotConnected, NotConnected, Reason.OFFLINE),
    (httpx.ReadTimeout, Unclear, Unavailable, Reason.TIMEOUT),
    (httpx.WriteTimeout, Unclear, Unavailable, Reason.TIMEOUT),
    (httpx.ReadError, Unclear, Unavailable, Reason.CONNECTION_BROKE),
    (httpx.RemoteProtocolError, Unclear, Unavailable, Reason.CONNECTION_BROKE),
    (httpx.LocalProtocolError, Unavailable, Unavailable, Reason.BAD_CREDENTIAL_TEXT),
])
def test_transport_errors_carry_their_reason(cp, gw, endpoint, exc, sending_error, other_error,
                                             reason):
    cp[endpoint].side_effect = exc
    with pytest.raises(ClickPesaError) as info:
        {"token": gw.ensure_token, "initiate": lambda: push(gw),
         "status": lambda: gw.status(REF)}[endpoint]()
    expected = sending_error if endpoint == "initiate" else other_error
    assert type(info.value) is expected
    assert info.value.code is reason


def test_local_errors_carry_their_reason(cp, make_gateway):
    with pytest.raises(CredentialsMissing) as info:
        push(make_gateway(creds=Credentials("", "")))
    assert info.value.code is Reason.NO_CREDENTIALS
    with pytest.raises(CredentialsMissing) as info:
        push(make_gateway(mode=ChecksumMode.LEGACY, creds=Credentials("IDc", "SKkey12", None)))
    assert info.value.code is Reason.NO_CHECKSUM_KEY
    with pytest.raises(Rejected) as info:
        push(make_gateway(), "ORD-1")
    assert info.value.code is Reason.BAD_REFERENCE
    assert cp["token"].call_count == 0


def test_keyring_trouble_passes_through_with_its_reason(cp, memory_keyring):
    from pos_app.credentials import CredentialStore

    def broken(*args):
        raise RuntimeError("locked")

    memory_keyring.get_password = broken
    gw = Gateway(BASE, CredentialStore().load)
    try:
        with pytest.raises(CredentialsMissing) as info:
            push(gw)
    finally:
        gw.close()
    assert info.value.code is Reason.NO_KEYRING
    assert cp["token"].call_count == 0


# -- secrets in ClickPesa's text ----------------------------------------------------------

def test_the_token_is_registered_and_scrubbed_from_what_is_returned(cp, gw):
    from pos_app.logs import mask

    token = "Bearer eyJ.scrub-me-token.42"
    cp["token"].mock(return_value=token_ok(token))
    cp["initiate"].mock(return_value=httpx.Response(200, json={
        "id": f"ID-{token}", "status": "PROCESSING", "channel": f"M-PESA {CREDS.api_key}",
        "orderReference": REF}))
    accepted = push(gw)
    assert mask(f"x {token} y") == "x *** y"
    assert mask("eyJ.scrub-me-token.42") == "***"  # bare, without "Bearer "
    assert accepted.clickpesa_id == "ID-***" and accepted.channel == "M-PESA ***"


# -- the call's deadline (unit level: a fake stream and clock; see also the fault matrix) ----

class FakeStream:
    def __init__(self, clock: Clock, step: float = 0.0) -> None:
        self.clock, self.step = clock, step
        self.timeouts: list[float | None] = []

    def read(self, max_bytes, timeout=None):
        self.timeouts.append(timeout)
        self.clock.t += self.step
        return b"x"

    def write(self, buffer, timeout=None):
        self.timeouts.append(timeout)

    def close(self):
        pass

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        self.timeouts.append(timeout)
        return self

    def get_extra_info(self, info):
        return info


class FakeBackend:
    def __init__(self, stream: FakeStream) -> None:
        self.stream = stream
        self.connects: list[tuple[str, float | None]] = []

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.connects.append((host, timeout))
        return self.stream


def test_deadline_caps_every_read_and_write_then_times_out():
    import httpcore

    from pos_app.clickpesa.gateway import DeadlineBackend

    clock = Clock(100.0)
    stream = FakeStream(clock, step=0.3)
    backend = DeadlineBackend(FakeBackend(stream), clock=clock)
    with backend.deadline(1.0):
        s = backend.connect_tcp("127.0.0.1", 443, timeout=6.0)
        s = s.start_tls(None, "x", timeout=6.0)
        s.write(b"GET", timeout=10.0)
        for _ in range(4):  # each read takes 0.3 s of the 1.0 s
            s.read(1, timeout=20.0)
        with pytest.raises(httpcore.ReadTimeout):
            s.read(1, timeout=20.0)
        with pytest.raises(httpcore.WriteTimeout):
            s.write(b"more", timeout=10.0)
    assert stream.timeouts[:6] == pytest.approx([1.0, 1.0, 1.0, 0.7, 0.4, 0.1])
    assert s.get_extra_info("is_readable") == "is_readable"
    # outside a call the timeouts pass through untouched
    s.read(1, timeout=20.0)
    assert stream.timeouts[-1] == 20.0


def test_deadline_bounds_a_hanging_name_lookup():
    import threading

    import httpcore

    from pos_app.clickpesa.gateway import DeadlineBackend

    release = threading.Event()

    def hanging(host, port, **kw):
        release.wait(5)
        return []

    backend = DeadlineBackend(FakeBackend(FakeStream(Clock())), resolve=hanging)
    try:
        with backend.deadline(0.05), pytest.raises(httpcore.ConnectTimeout):
            backend.connect_tcp("api.clickpesa.com", 443, timeout=6.0)
    finally:
        release.set()


def test_deadline_connects_to_each_looked_up_address_in_turn():
    import socket

    import httpcore

    from pos_app.clickpesa.gateway import DeadlineBackend

    stream = FakeStream(Clock())
    inner = FakeBackend(stream)
    refused = {"::1"}

    def connect(host, port, timeout=None, local_address=None, socket_options=None):
        inner.connects.append((host, timeout))
        if host in refused:
            raise httpcore.ConnectError("refused")
        return stream

    inner.connect_tcp = connect  # type: ignore[method-assign]
    found = [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", 443, 0, 0)),
             (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 443))]
    backend = DeadlineBackend(inner, resolve=lambda host, port, **kw: found)
    with backend.deadline(5.0):
        backend.connect_tcp("localhost", 443, timeout=6.0)
    assert [h for h, _ in inner.connects] == ["::1", "127.0.0.1"]
    refused.add("127.0.0.1")
    with backend.deadline(5.0), pytest.raises(httpcore.ConnectError):
        backend.connect_tcp("localhost", 443, timeout=6.0)


def test_deadline_is_installed_on_the_real_transport_only():
    from pos_app.clickpesa.gateway import CALL_DEADLINE_S, TOKEN_DEADLINE_S, DeadlineBackend

    assert TOKEN_DEADLINE_S < CALL_DEADLINE_S <= 30
    assert api.TOKEN_LIFETIME_S > CALL_DEADLINE_S
    gw = Gateway(BASE, lambda: CREDS)
    try:
        assert isinstance(gw._client._transport._pool._network_backend, DeadlineBackend)
        assert gw.deadline_s == CALL_DEADLINE_S and gw.token_deadline_s == TOKEN_DEADLINE_S
    finally:
        gw.close()


def test_a_proxy_the_till_cannot_use_is_said_in_words(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "socksio", None)  # as on a till: httpx[socks] not installed
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY",
                 "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(NotConnected) as info:
        Gateway(BASE, lambda: CREDS)
    assert info.value.code is Reason.OFFLINE
    assert "not an http:// proxy" in info.value.reason
    Gateway("http://127.0.0.1:9", lambda: CREDS).close()  # loopback: no proxy, no trouble
