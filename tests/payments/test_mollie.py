"""The Mollie plugin against a local fake of the Mollie API (an ``http.server`` in a thread)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import override_settings

import pytest

from justis.adapters import OutsideSystemError, OutsideSystemUnavailable
from payments.models import Payment
from payments.plugins.mollie import MolliePlugin
from payments.registry import plugin_for

API_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
CHECKOUT = "https://www.mollie.com/checkout/select-method/7UhSN1zuXS"


class _FakeMollie(BaseHTTPRequestHandler):
    requests: list = []
    statuses: dict = {}

    def _answer(self, status: int, body, content_type="application/hal+json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.requests.append(("POST", self.path, dict(self.headers), body))
        self._answer(
            201,
            {
                "resource": "payment",
                "id": "tr_7UhSN1zuXS",
                "status": "open",
                "amount": body["amount"],
                "_links": {"checkout": {"href": CHECKOUT, "type": "text/html"}},
            },
        )

    def do_GET(self):  # noqa: N802
        self.requests.append(("GET", self.path, dict(self.headers), None))
        payment_id = self.path.rsplit("/", 1)[-1]
        answer = self.statuses.get(payment_id)
        if answer == "500-json":
            self._answer(500, {"status": 500, "title": "Internal Server Error", "detail": "Something broke"})
        elif answer == "502-html":
            self._answer(502, b"<html>Bad gateway</html>", "text/html")
        elif answer is None:
            self._answer(404, {"status": 404, "title": "Not Found", "detail": "No payment exists with token"})
        else:
            self._answer(200, {"resource": "payment", "id": payment_id, "status": answer})

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_mollie():
    _FakeMollie.requests = []
    _FakeMollie.statuses = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeMollie)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def plugin(url: str) -> MolliePlugin:
    return MolliePlugin(api_key=API_KEY, timeout=2, api_endpoint=url)


def a_payment(provider_payment_id: str = "") -> Payment:
    return Payment(amount_cents=4495, description="VOG NP NP-261123-7K3Q9M", provider_payment_id=provider_payment_id)


def test_start_creates_an_ideal_payment_and_returns_the_checkout_address(fake_mollie):
    payment = a_payment()
    url = plugin(fake_mollie).start(
        payment,
        return_url=f"https://vog.justis.example/betalen/{payment.public_id}/terug/",
        webhook_url="https://vog.justis.example/betalen/webhook/mollie/",
    )
    assert url == CHECKOUT
    assert payment.provider_payment_id == "tr_7UhSN1zuXS"
    method, path, headers, body = _FakeMollie.requests[0]
    assert (method, path) == ("POST", "/v2/payments")
    assert headers["Authorization"] == f"Bearer {API_KEY}"
    assert headers["Idempotency-Key"] == str(payment.public_id)
    assert body == {
        "amount": {"currency": "EUR", "value": "44.95"},
        "description": "VOG NP NP-261123-7K3Q9M",
        "redirectUrl": f"https://vog.justis.example/betalen/{payment.public_id}/terug/",
        "webhookUrl": "https://vog.justis.example/betalen/webhook/mollie/",
        "method": "ideal",
        "metadata": {"payment": str(payment.public_id)},
    }


def test_a_local_webhook_address_is_left_out(fake_mollie):
    plugin(fake_mollie).start(
        a_payment(), return_url="http://127.0.0.1:8000/x/", webhook_url="http://127.0.0.1:8000/betalen/webhook/mollie/"
    )
    assert "webhookUrl" not in _FakeMollie.requests[0][3]


@pytest.mark.parametrize(
    ("mollie_status", "ours"),
    [
        ("open", "started"),
        ("pending", "processing"),
        ("authorized", "processing"),
        ("paid", "completed"),
        ("canceled", "cancelled"),
        ("expired", "expired"),
        ("failed", "failed"),
    ],
)
def test_fetch_maps_each_status(fake_mollie, mollie_status, ours):
    _FakeMollie.statuses = {"tr_abc": mollie_status}
    assert plugin(fake_mollie).fetch_status(a_payment("tr_abc")) == ours
    assert _FakeMollie.requests[-1][:2] == ("GET", "/v2/payments/tr_abc")


@pytest.mark.parametrize("answer", ["500-json", "502-html", None, "refunded-ish"])
def test_error_answers_are_outside_system_errors(fake_mollie, answer):
    _FakeMollie.statuses = {"tr_abc": answer} if answer else {}
    with pytest.raises(OutsideSystemError) as raised:
        plugin(fake_mollie).fetch_status(a_payment("tr_abc"))
    assert raised.value.system == "payment"


def test_nobody_listening_is_unavailable():
    with pytest.raises(OutsideSystemUnavailable) as raised:
        plugin("http://127.0.0.1:1").fetch_status(a_payment("tr_abc"))
    assert type(raised.value) is OutsideSystemUnavailable
    assert raised.value.system == "payment"


def test_a_missing_api_key_is_an_error_not_a_crash(fake_mollie):
    with pytest.raises(OutsideSystemError, match="API key"):
        MolliePlugin(api_key="", api_endpoint=fake_mollie).fetch_status(a_payment("tr_abc"))
    assert _FakeMollie.requests == []


@override_settings(MOLLIE_API_KEY=API_KEY, PAYMENT_TIMEOUT_SECONDS=4)
def test_the_registry_builds_it_from_the_settings():
    mollie = plugin_for("mollie")
    assert isinstance(mollie.wrapped, MolliePlugin)
    assert (mollie.api_key, mollie.timeout) == (API_KEY, 4)
