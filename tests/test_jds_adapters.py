import json
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import override_settings

import pytest

from justis.adapters import OutsideSystemError, OutsideSystemUnavailable
from justis.audit import Actor
from justis.faults import fault_clear, fault_set
from screening.jds import JusticeRecord, jds_client
from screening.jds.http import HttpJds
from screening.jds.simulator import SimulatedJds
from screening.models import SimulatedJusticeRecord

DRILL = Actor.system("drill")
RECORD = {
    "offence_article": "310 Sr",
    "offence_description": "diefstal",
    "offence_category": "property",
    "offence_date": "2024-03-09",
    "decision_date": "2024-09-12",
    "disposal_type": "conviction",
    "final": True,
    "sentence": "geldboete",
    "detention_days": 0,
}


@pytest.mark.django_db
class TestSimulator:
    def test_records_per_bsn_and_none_for_everyone_else(self):
        SimulatedJusticeRecord.objects.create(
            bsn="999990032", **{**RECORD, "offence_date": date(2024, 3, 9), "decision_date": date(2024, 9, 12)}
        )
        jds = SimulatedJds(timeout=1)
        records = jds.records_for("999990032")
        assert [r.offence_article for r in records] == ["310 Sr"]
        assert jds.records_for("999990019") == []

    @pytest.mark.parametrize(("mode", "error"), [("down", OutsideSystemUnavailable), ("errors", OutsideSystemError)])
    def test_fault_switches_make_it_fail(self, mode, error):
        fault_set(system="jds", mode=mode, actor=DRILL)
        with pytest.raises(error):
            SimulatedJds(timeout=1).records_for("999990019")
        fault_clear(system="jds", actor=DRILL)
        assert SimulatedJds(timeout=1).records_for("999990019") == []

    @override_settings(FAULT_SLOW_SECONDS=0.3)
    def test_slow_answers_late_or_times_out(self):
        fault_set(system="jds", mode="slow", actor=DRILL)
        started = time.monotonic()
        assert SimulatedJds(timeout=1).records_for("999990019") == []
        assert time.monotonic() - started >= 0.3
        with pytest.raises(OutsideSystemUnavailable, match="timed out"):
            SimulatedJds(timeout=0.1).records_for("999990019")

    def test_the_setting_chooses_the_client(self):
        assert isinstance(jds_client().wrapped, SimulatedJds)
        with override_settings(JDS_BACKEND="http", JDS_URL="http://127.0.0.1:1"):
            assert isinstance(jds_client().wrapped, HttpJds)


class _FakeJds(BaseHTTPRequestHandler):
    answers: dict = {}

    def do_GET(self):  # noqa: N802
        status, body = self.answers.get(self.path, (404, b""))
        if status == "hang":
            time.sleep(2)
            status, body = 200, b'{"records": []}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_jds():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeJds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class TestHttpClient:
    def test_reads_records_and_treats_404_as_none(self, fake_jds):
        server, url = fake_jds
        _FakeJds.answers = {"/persons/999990032/records": (200, json.dumps({"records": [RECORD]}).encode())}
        client = HttpJds(base_url=url, timeout=1)
        assert client.records_for("999990032") == [JusticeRecord.from_json(RECORD)]
        assert client.records_for("999990019") == []

    @pytest.mark.parametrize(
        "answer",
        [(500, b"boom"), (503, b""), (200, b"not json"), (200, b'{"records": [{"bad": 1}]}')],
    )
    def test_server_errors_and_garbage_are_retryable_errors(self, fake_jds, answer):
        server, url = fake_jds
        _FakeJds.answers = {"/persons/999990019/records": answer}
        with pytest.raises(OutsideSystemError):
            HttpJds(base_url=url, timeout=1).records_for("999990019")

    def test_a_hanging_server_times_out(self, fake_jds):
        server, url = fake_jds
        _FakeJds.answers = {"/persons/999990019/records": ("hang", b"")}
        with pytest.raises(OutsideSystemUnavailable):
            HttpJds(base_url=url, timeout=0.2).records_for("999990019")

    def test_nobody_listening_is_unavailable(self):
        with pytest.raises(OutsideSystemUnavailable):
            HttpJds(base_url="http://127.0.0.1:1", timeout=0.5).records_for("999990019")
