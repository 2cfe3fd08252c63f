"""The simulator posts signed webhooks when its payments become final (issue 12)."""

from __future__ import annotations

import json

import httpx

from pos_app.clickpesa.checksum import ChecksumMode
from pos_app.clickpesa.gateway import Credentials, Gateway
from pos_app.clickpesa.simulator import Simulator
from pos_app.clickpesa.webhook_sender import WebhookSender
from pos_app.clickpesa.webhooks import parse_webhook, signature_ok
from pos_app.domain.money import Amount
from pos_app.domain.phone import parse_phone
from pos_app.till.fakes import ManualScheduler


def test_one_signed_webhook_per_final_payment(tmp_path):
    scheduler = ManualScheduler()
    sim = Simulator(clock=scheduler.now)
    gateway = Gateway("https://api.clickpesa.com", lambda: Credentials("ID", "KEY"),
                      transport=sim.transport(), clock=scheduler.now)
    received: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200, json={"ok": True})

    sender = WebhookSender(sim, "http://127.0.0.1:9/clickpesa/webhook", "ck-secret",
                           transport=httpx.MockTransport(server))
    gateway.initiate("MREF1", parse_phone("0712345671"), Amount(5000))  # pays after 12 s
    gateway.initiate("MREF2", parse_phone("0712345676"), Amount(3000))  # fails after 10 s
    gateway.initiate("MREF3", parse_phone("0712345678"), Amount(1000))  # never answers
    assert sender.tick() == []
    scheduler.advance(11)
    assert sender.tick() == ["MREF2"]
    scheduler.advance(2)
    assert sender.tick() == ["MREF1"]
    scheduler.advance(600)
    assert sender.tick() == []  # once each; the silent customer never makes one
    bodies = [json.loads(r.content) for r in received]
    assert all(signature_ok(b, "ck-secret", ChecksumMode.CANONICAL) for b in bodies)
    events = [parse_webhook(b) for b in bodies]
    assert [(e.event, e.order_reference, e.status) for e in events] == [
        ("PAYMENT FAILED", "MREF2", "FAILED"), ("PAYMENT RECEIVED", "MREF1", "SUCCESS")]
    sender.stop()
    gateway.close()


def test_an_undelivered_webhook_is_tried_again():
    scheduler = ManualScheduler()
    sim = Simulator(clock=scheduler.now)
    gateway = Gateway("https://api.clickpesa.com", lambda: Credentials("ID", "KEY"),
                      transport=sim.transport(), clock=scheduler.now)
    answers = [httpx.ConnectError("down"), httpx.Response(200)]

    def server(request: httpx.Request) -> httpx.Response:
        a = answers.pop(0)
        if isinstance(a, Exception):
            raise a
        return a

    sender = WebhookSender(sim, "http://127.0.0.1:9/hook", "k",
                           transport=httpx.MockTransport(server))
    gateway.initiate("MREF4", parse_phone("0712345670"), Amount(5000))
    scheduler.advance(9)
    assert sender.tick() == [] and sender.failures == 1
    assert sender.tick() == ["MREF4"]
    sender.stop()
    gateway.close()


def test_the_http_simulator_needs_a_key_file_for_webhooks(capsys, tmp_path):
    import pytest

    from pos_app.clickpesa.simulator_http import main

    with pytest.raises(SystemExit) as info:
        main(["--port", "0", "--webhook-url", "http://127.0.0.1:9/clickpesa/webhook"])
    assert info.value.code == 2
    assert "--webhook-url needs --checksum-key-file" in capsys.readouterr().err
    empty = tmp_path / "key"
    empty.write_text("\n")
    with pytest.raises(SystemExit):
        main(["--port", "0", "--webhook-url", "http://127.0.0.1:9/x",
              "--checksum-key-file", str(empty)])
    assert "the checksum key file is empty" in capsys.readouterr().err
