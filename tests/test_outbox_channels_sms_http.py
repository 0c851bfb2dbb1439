"""The real SMS gateway and message box clients: what they send, and that every failure is one delivery retries."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import override_settings

import pytest

from justis.adapters import OutsideSystemError, OutsideSystemUnavailable
from notifications.berichtenbox import berichtenbox_client
from notifications.berichtenbox.http import HttpBerichtenbox
from notifications.berichtenbox.simulator import SimulatedBerichtenbox
from notifications.sms import sms_client
from notifications.sms.http import HttpSmsGateway
from notifications.sms.simulator import SimulatedSmsGateway


class _FakeGateway(BaseHTTPRequestHandler):
    status = 201
    received: list = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        self.received.append((self.path, dict(self.headers), json.loads(self.rfile.read(length))))
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    _FakeGateway.received = []
    _FakeGateway.status = 201
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _client(url):
    return HttpSmsGateway(base_url=url, api_key="secret", sender="Justis", timeout=1)


def test_posts_the_text_with_the_key_as_idempotency_key(gateway):
    _client(gateway).send(to="0612345678", text="Justis: ontvangen", reference="status-change:7:sms")
    [(path, headers, body)] = _FakeGateway.received
    assert path == "/messages"
    assert headers["Authorization"] == "Bearer secret"
    assert headers["Idempotency-Key"] == "status-change:7:sms"
    assert body == {
        "originator": "Justis",
        "recipients": ["0612345678"],
        "body": "Justis: ontvangen",
        "reference": "status-change:7:sms",
    }


@pytest.mark.parametrize("status", [500, 503, 429])
def test_an_error_answer_is_a_retryable_error(gateway, status):
    _FakeGateway.status = status
    with pytest.raises(OutsideSystemError):
        _client(gateway).send(to="0612345678", text="x", reference="r")


def test_nobody_listening_is_unavailable():
    with pytest.raises(OutsideSystemUnavailable):
        _client("http://127.0.0.1:1").send(to="0612345678", text="x", reference="r")


def test_only_http_addresses_and_the_setting_chooses_the_client():
    with pytest.raises(ValueError, match="SMS_URL"):
        _client("file:///etc/passwd")
    assert isinstance(sms_client(), SimulatedSmsGateway)
    with override_settings(SMS_BACKEND="http", SMS_URL="https://sms.example"):
        assert isinstance(sms_client(), HttpSmsGateway)


def _box(url):
    return HttpBerichtenbox(base_url=url, client_cert=None, sender="Justis", timeout=1)


def test_the_message_box_gets_the_bsn_subject_body_and_our_key(gateway):
    _box(gateway).deliver(bsn="999990019", subject="Uw VOG", body="Tekst", reference="status-change:9:berichtenbox")
    [(path, headers, body)] = _FakeGateway.received
    assert path == "/berichten"
    assert headers["Idempotency-Key"] == "status-change:9:berichtenbox"
    assert body == {
        "ontvanger": {"bsn": "999990019"},
        "afzender": "Justis",
        "onderwerp": "Uw VOG",
        "inhoud": "Tekst",
        "kenmerk": "status-change:9:berichtenbox",
    }


@pytest.mark.parametrize("status", [500, 502, 400])
def test_a_message_box_error_answer_is_a_retryable_error(gateway, status):
    _FakeGateway.status = status
    with pytest.raises(OutsideSystemError) as failure:
        _box(gateway).deliver(bsn="999990019", subject="s", body="b", reference="r")
    assert failure.value.system == "berichtenbox"


def test_a_message_box_nobody_answers_is_unavailable():
    with pytest.raises(OutsideSystemUnavailable):
        _box("http://127.0.0.1:1").deliver(bsn="999990019", subject="s", body="b", reference="r")


def test_the_setting_chooses_the_message_box_client():
    with pytest.raises(ValueError, match="BERICHTENBOX_URL"):
        _box("ftp://box.example")
    assert isinstance(berichtenbox_client(), SimulatedBerichtenbox)
    with override_settings(BERICHTENBOX_BACKEND="http", BERICHTENBOX_URL="https://berichtenbox.example"):
        assert isinstance(berichtenbox_client(), HttpBerichtenbox)
