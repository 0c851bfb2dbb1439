"""Benchmark of municipal intake: forwarding through the API and through the counter screen.

Runs in a throw-away database (created, migrated and dropped like a test database), against the real
PostgreSQL and Redis, single-threaded and in-process (no web server in between), and prints the
median, the 95th percentile and the throughput of each path. ``make bench`` points it at a Redis
database of its own (``BENCH_REDIS_URL``), whose queued assessments it purges at the end.
"""

from __future__ import annotations

import copy
import re
import statistics
import time
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.test import Client, override_settings
from django.test.utils import setup_databases, teardown_databases

from rest_framework.test import APIClient

from justis.audit import Actor
from justis.roles import Role

SCREEN_FORM = {
    "bsn": "999990019",
    "given_names": "Jan",
    "surname_prefix": "",
    "surname": "Jansen",
    "birth_date": "17-05-1990",
    "birth_place": "Utrecht",
    "birth_country": "Nederland",
    "gender": "M",
    "nationalities": "Nederlandse",
    "street": "Biltstraat",
    "house_number": "112",
    "postcode": "3572 BJ",
    "city": "Utrecht",
    "country": "Nederland",
    "org_name": "Kinderopvang De Zonnebloem",
    "org_kvk_number": "12345678",
    "org_representative": "M. de Vries",
    "org_street": "Oudegracht",
    "org_house_number": "231",
    "org_postcode": "3511 NK",
    "org_city": "Utrecht",
    "org_country": "Nederland",
    "org_phone": "030 1234567",
    "purpose_kind": "work",
    "position": "Pedagogisch medewerker",
    "functieaspecten": ["84", "86"],
    "circumstances": "no",
    "id_document_kind": "passport",
    "id_document_number_end": "X4B2",
    "payment_method": "pin",
    "fee_received": "on",
    "special_findings": "no",
    "persisted": "no",
    "covog_advice_requested": "no",
    "general_explanation": "no",
    "mayor_advice": "O",
    "action": "forward",
    **dict.fromkeys(
        (
            "house_number_suffix",
            "phone",
            "email",
            "tasks",
            "description",
            "screening_profile",
            "circumstances_text",
            "urgent_reason",
            "remark",
        ),
        "",
    ),
}


def summary(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"p50 {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   "
        f"{len(ordered) / sum(ordered):5.0f} per second"
    )


class Command(BaseCommand):
    help = "Time forwarding counter applications through the API and the counter screen (own database)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=200, help="applications per path (default 200)")

    def handle(self, *args, count: int, **options):
        old_config = setup_databases(verbosity=0, interactive=False)
        try:
            # The speed of a forward is measured, not the per-token and per-address limits (one token and one
            # address send everything here, hundreds a minute).
            rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "municipal_api": "1000000/min"}
            unlimited = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
            with override_settings(REST_FRAMEWORK=unlimited, FORM_POST_RATE="1000000/min"):
                api_times, screen_times = self._run(count)
        finally:
            teardown_databases(old_config, verbosity=0)
            # The assessments queued for the throw-away database must not reach a running worker.
            self._purge_queues()
        self.stdout.write(f"Forwarding a counter application ({count} each, one process, real PostgreSQL and Redis):")
        self.stdout.write(f"  municipal API   {summary(api_times)}")
        self.stdout.write(f"  counter screen  {summary(screen_times)}")

    def _purge_queues(self) -> None:
        from justis.celery import app

        queues = {
            settings.CELERY_TASK_DEFAULT_QUEUE,
            *(route["queue"] for route in settings.CELERY_TASK_ROUTES.values()),
        }
        with app.connection_for_write() as connection:
            for queue in queues:
                connection.default_channel.queue_purge(queue)

    def _run(self, count: int) -> tuple[list[float], list[float]]:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from applications.api.views import EXAMPLE
        from applications.models import Desk, Municipality
        from applications.services import api_token_create

        municipality = Municipality.objects.get(code="0363")
        desk, _new = Desk.objects.get_or_create(municipality=municipality, code="01", defaults={"name": "Bench"})
        _token, key = api_token_create(municipality=municipality, name="bench", actor=Actor.system("bench"))
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        api_times = []
        for _ in range(count):
            started = time.perf_counter()
            response = api.post(
                "/api/v1/applications/", copy.deepcopy(EXAMPLE), format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
            )
            api_times.append(time.perf_counter() - started)
            if response.status_code != 201:
                raise RuntimeError(f"API forward failed: {response.status_code} {response.content[:300]!r}")

        clerk = get_user_model().objects.create_user(username="bench.clerk", desk=desk)
        clerk.groups.add(Group.objects.get_or_create(name=Role.MUNICIPAL_CLERK.value)[0])
        device = TOTPDevice.objects.create(user=clerk, name="bench", confirmed=True)
        browser = Client()
        browser.force_login(clerk)
        session = browser.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        screen_times = []
        for _ in range(count):
            started = time.perf_counter()
            response = browser.post("/balie/", {**SCREEN_FORM, "idempotency_key": str(uuid.uuid4())})
            screen_times.append(time.perf_counter() - started)
            if response.status_code != 302:
                errors = re.findall(r'<ul class="justis-error-list">(.*?)</ul>', response.content.decode(), re.S)
                raise RuntimeError(f"counter forward failed: {response.status_code} {errors[:3]}")
        return api_times, screen_times
