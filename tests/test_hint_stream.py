"""The till's side of the shop server's stream (issue 12): events become hints, the last id is
sent back on reconnect, drops reconnect with growing pauses, live/not live is reported, and a
refused secret is said — against httpx's MockTransport, no sockets, no sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from httpx_sse import ServerSentEvent

from pos_app.hints.stream import RECONNECT_S, REFUSED_RETRY_S, STREAM_PATH, HintStream, parse_hint


def sse(*events: tuple[str, str, str]) -> bytes:
    out = b": hello\n\n"
    for event_id, name, data in events:
        out += f"id: {event_id}\nevent: {name}\ndata: {data}\n\n".encode()
    return out


class Script:
    """One scripted reply per connection; records each request."""

    def __init__(self, *replies: httpx.Response | Exception) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


def stream_reply(body: bytes, *, drop: bool = False) -> httpx.Response:
    def chunks() -> Iterator[bytes]:
        yield body
        if drop:
            raise httpx.ReadError("connection reset")

    return httpx.Response(200, headers={"content-type": "text/event-stream"},
                          content=chunks())


def run(script: Script, *, connections: int, last_event_id: str | None = None):
    hints, live, pauses, refused = [], [], [], []

    def wait(seconds: float) -> bool:
        pauses.append(seconds)
        return len(script.requests) >= connections  # stop after the scripted connections

    stream = HintStream("https://shop.example", lambda: {"Authorization": "Bearer T"},
                        on_hint=hints.append, on_live=live.append, wait=wait,
                        transport=httpx.MockTransport(script), last_event_id=last_event_id,
                        on_refused=refused.append)
    stream.run()
    return stream, hints, live, pauses, refused


def test_events_become_hints_and_the_last_id_is_sent_back_on_reconnect():
    script = Script(
        stream_reply(sse(("7", "payment", '{"order_reference": "MABC1", "status": "SUCCESS"}'),
                         ("8", "payment", '{"order_reference": "MABC2", "status": "FAILED"}')),
                     drop=True),
        stream_reply(sse(("9", "payment", '{"orderReference": "MABC3", "status": "SUCCESS"}'))))
    stream, hints, live, pauses, _ = run(script, connections=2, last_event_id="6")
    assert [(h.order_reference, h.status, h.event_id) for h in hints] == [
        ("MABC1", "SUCCESS", "7"), ("MABC2", "FAILED", "8"), ("MABC3", "SUCCESS", "9")]
    first, second = script.requests
    assert first.url.path == STREAM_PATH and first.headers["Last-Event-ID"] == "6"
    assert second.headers["Last-Event-ID"] == "8"  # resume after what was seen
    assert first.headers["Authorization"] == "Bearer T"
    assert live == [True, False, True, False]  # hints flowed, stopped, flowed, stopped
    assert stream.last_event_id == "9"


def test_drops_reconnect_with_growing_pauses():
    script = Script(httpx.ConnectError("down"), httpx.ConnectError("down"),
                    httpx.ConnectTimeout("slow"), httpx.ConnectError("down"))
    _, hints, live, pauses, _ = run(script, connections=4)
    assert pauses == list(RECONNECT_S[:4])
    assert live == [] and hints == []


def test_a_refused_secret_is_said_and_asked_again_rarely():
    script = Script(httpx.Response(401, json={"error": "unknown till"}))
    _, hints, live, pauses, refused = run(script, connections=1)
    assert refused == [401]
    assert pauses == [REFUSED_RETRY_S]
    assert live == []  # never live on a refusal


def test_a_reply_that_is_not_an_event_stream_is_a_drop():
    script = Script(httpx.Response(200, html="<html>captive portal</html>"))
    _, hints, live, pauses, _ = run(script, connections=1)
    assert hints == [] and pauses == [RECONNECT_S[0]]


@pytest.mark.parametrize("data", [
    "not json", "[1, 2]", '{"status": "SUCCESS"}', '{"order_reference": 5}',
    '{"order_reference": "M; DROP TABLE"}', '{"order_reference": ""}',
    '{"order_reference": "' + "M" * 65 + '"}',
    '{"order_reference": "M1", "pad": "' + "x" * 5000 + '"}',
])
def test_garbage_events_are_ignored(data):
    assert parse_hint(ServerSentEvent(event="payment", data=data)) is None


def test_an_empty_message_after_a_keep_alive_is_ignored_quietly(caplog):
    assert parse_hint(ServerSentEvent(event="message", data="", id="7")) is None
    assert "ignored" not in caplog.text


def test_other_event_kinds_are_not_hints():
    assert parse_hint(ServerSentEvent(event="ping", data='{"order_reference": "M1"}')) is None
    assert parse_hint(ServerSentEvent(event="payment", data='{"order_reference": "M1"}')) \
        is not None
