"""The catch-up benchmark behind ``manage.py bench_assessment`` (and ``make bench``).

Seeds received applications shaped like a real backlog (about 85 % without justice records, 15 % with
records of every kind: recent and old, relevant and not, convictions, penal orders, settlements,
dismissals; a share urgent or in a sector with a legal VOG obligation), starts real Celery workers
as separate processes against the same PostgreSQL and Redis, lets the sweeper's batch chains drain
the backlog and measures received → decided (issued, or in review for a screener) end to end. The
same database writes done as raw batched SQL (psycopg2, no Django, no Celery) give the limit of the
machine, measured in the same run.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from applications.deadlines import decision_due_date
from applications.lifecycle import AWAITING_TASK, Status
from applications.models import Applicant, Application, Channel
from screening.models import SimulatedJusticeRecord

WITH_RECORDS_SHARE = 0.15
URGENT_SHARE = 0.03
# (JDS category, article, disposal, years ago): recent and old, relevant to childcare and not.
RECORD_KINDS = [
    ("property", "310 Sr", "penal_order", 1),
    ("property", "310 Sr", "conviction", 12),
    ("violence", "300 Sr", "conviction", 3),
    ("violence", "300 Sr", "dismissal", 2),
    ("traffic", "8 WVW 1994", "penal_order", 2),
    ("traffic", "6 WVW 1994", "conviction", 6),
    ("drugs", "2 Opiumwet", "settlement", 5),
    ("sexual", "248b Sr", "conviction", 15),
    ("fraud", "225 Sr", "acquittal", 2),
]
# Screening bases: childcare (legal obligation), taxi profile, and ordinary work.
BASES = [("", ["84", "86"]), ("65", []), ("", ["11", "12"]), ("", ["41"]), ("40", [])]


def bsn_of(number: int) -> str:
    """A valid (elfproef) BSN made from ``number``: 8 digits and a check digit, retried until it fits."""
    while True:
        digits = [int(c) for c in f"{number % 10**8:08d}"]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)
        number += 1


def seed_backlog(count: int, *, start: int, rng: random.Random) -> dict[str, int]:
    """``count`` received applications (bulk inserts) with their applicants and simulated records."""
    now = timezone.now()
    today = timezone.localdate(now)
    due = {
        urgent: decision_due_date(application_type="VOG_NP", application_date=today, urgent=urgent)
        for urgent in (False, True)
    }
    applications, people, records = [], [], []
    for i in range(start, start + count):
        urgent = rng.random() < URGENT_SHARE
        profile, aspects = rng.choice(BASES)
        applications.append(
            Application(
                reference=f"NP-BENCH-{i:07d}",
                type="VOG_NP",
                channel=Channel.MUNICIPAL_API,
                status=Status.RECEIVED,
                status_changed_at=now,
                organisation_name="Bench BV",
                purpose_code="WRE",
                position="Medewerker",
                screening_profile=profile,
                functieaspecten=aspects,
                urgent_reason="work_abroad" if urgent else "",
                decision_procedure="urgent" if urgent else "regular",
                application_date=today,
                received_at=now,
                decision_due_date=due[urgent],
                next_attempt_at=now + settings.ASSESSMENT_STALE_AFTER,
            )
        )
    with transaction.atomic():
        Application.objects.bulk_create(applications, batch_size=5000)
        for i, application in enumerate(applications, start=start):
            bsn = bsn_of(10_000_000 + i * 7)
            people.append(
                Applicant(
                    application=application,
                    bsn=bsn,
                    given_names="Bench",
                    surname=f"Persoon {i}",
                    birth_date=date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                    birth_place="Utrecht",
                    birth_country="Nederland",
                    email=f"persoon{i}@example.org",
                )
            )
            if rng.random() < WITH_RECORDS_SHARE:
                for category, article, disposal, years in rng.sample(RECORD_KINDS, rng.randint(1, 3)):
                    decided = today - timedelta(days=365 * years + rng.randint(0, 200))
                    records.append(
                        SimulatedJusticeRecord(
                            bsn=bsn,
                            offence_article=article,
                            offence_description=category,
                            offence_category=category,
                            offence_date=decided - timedelta(days=60),
                            decision_date=decided,
                            disposal_type=disposal,
                        )
                    )
        Applicant.objects.bulk_create(people, batch_size=5000)
        SimulatedJusticeRecord.objects.bulk_create(records, batch_size=5000)
    with_records = len({record.bsn for record in records})
    return {"applications": count, "with_records": with_records, "records": len(records)}


def waiting() -> int:
    return Application.objects.filter(status__in=AWAITING_TASK).count()


def invariants() -> dict[str, int]:
    """Lost (still waiting), decided twice (more than one decision in the history), certificates."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT application_id FROM applications_statuschange "
            "WHERE to_status IN ('issued', 'in_review') GROUP BY application_id HAVING count(*) > 1) twice"
        )
        (decided_twice,) = cursor.fetchone()
    issued = Application.objects.filter(status=Status.ISSUED).count()
    from screening.models import Assessment, Certificate

    return {
        "lost": waiting(),
        "decided_twice": decided_twice,
        "issued": issued,
        "in_review": Application.objects.filter(status=Status.IN_REVIEW).count(),
        "assessments": Assessment.objects.count(),
        "certificates": Certificate.objects.count(),
    }


@dataclass
class Workers:
    """Real ``celery worker`` processes on the assessment queues, against this (throw-away) database."""

    concurrency: int
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> Workers:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "LOG_LEVEL": "WARNING",
        }
        command = [
            sys.executable, "-m", "celery", "-A", "justis", "worker",
            "-Q", "urgent,assessment", "-c", str(self.concurrency), "-n", f"bench-{os.getpid()}@%h",
            "--prefetch-multiplier", "1", "--without-heartbeat", "--without-gossip", "--without-mingle",
            "--loglevel", "WARNING",
        ]  # fmt: skip
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            env=env,
            cwd=settings.BASE_DIR,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        from justis.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker stopped: see {self.log}")
            replies = app.control.ping(timeout=0.5) or []
            if any(name.startswith(f"bench-{os.getpid()}@") for reply in replies for name in reply):
                return
        raise RuntimeError(f"the worker did not start within {timeout:.0f} s: see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def drain(expected: int, *, timeout: float, while_waiting: Callable[[], None] | None = None) -> float:
    """Start the batch chains as the sweeper does and wait until nothing waits; returns the seconds.

    ``while_waiting`` is called on each look (five times a second), e.g. to poll the dashboard's progress.
    """
    from django.core.cache import cache

    from screening.batch import HEARTBEAT_KEY
    from screening.services import sweep_stalled_work

    cache.delete(HEARTBEAT_KEY)
    started = time.perf_counter()
    sweep_stalled_work()
    deadline = started + timeout
    while True:
        left = waiting()
        if left == 0:
            return time.perf_counter() - started
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{left} of {expected} applications still waiting after {timeout:.0f} s")
        if int(time.perf_counter() - started) % 30 == 0:
            sweep_stalled_work()  # what beat does: restarts chains if a worker lost one
        if while_waiting is not None:
            while_waiting()
        time.sleep(0.2)


def profile_one_batch(size: int) -> str:
    """cProfile of one batch in this process: where the time of an assessment goes (top functions)."""
    from screening.batch import assessment_batch

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    result = assessment_batch(size=size)
    profiler.disable()
    seconds = time.perf_counter() - started
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(16)
    lines = out.getvalue().splitlines()
    start = next((n for n, line in enumerate(lines) if "ncalls" in line), 0)
    table = "\n".join("    " + line for line in lines[start:] if line.strip())
    per = seconds / max(result["claimed"], 1) * 1000
    head = f"  one batch of {result['claimed']} in-process: {seconds:.2f} s ({per:.2f} ms each), top by own time:"
    return f"{head}\n{table}"


LIMIT_SQL = {
    "claim": """
        SELECT a.id, a.reference, p.bsn FROM applications_application a
        JOIN applications_applicant p ON p.application_id = a.id
        WHERE a.status IN ('received', 'in_assessment') ORDER BY a.decision_due_date, a.id
        LIMIT %s FOR UPDATE OF a SKIP LOCKED""",
    "records": "SELECT bsn, count(*) FROM screening_simulatedjusticerecord WHERE bsn = ANY(%s) GROUP BY bsn",
}


def _audit_row(now, action: str, reference: str, reason: str = "", data: str = "{}") -> tuple:
    return (now, "system", "assessment", "assessment", action, "application", reference, reason, data)


def limit_run(dsn: str, *, size: int) -> tuple[int, float]:
    """The same writes as a batch of assessments, as raw SQL on one psycopg2 connection: claim, read the
    records, update the applications, two history rows, three or four audit rows, the assessment, the
    certificate and the outbox rows per application, one transaction per batch. Returns (done, seconds).
    """
    import json
    import secrets

    import psycopg2
    from psycopg2.extras import execute_values

    from justis.bsn_crypto import decrypt

    done = 0
    started = time.perf_counter()
    raw = psycopg2.connect(dsn)
    try:
        while True:
            with raw, raw.cursor() as cursor:
                cursor.execute(LIMIT_SQL["claim"], (size,))
                # The applicant's BSN is stored encrypted (justis/bsn_crypto.py): decrypt, as the ORM does.
                claimed = [(i, r, decrypt(stored)) for i, r, stored in cursor.fetchall()]
                if not claimed:
                    break
                cursor.execute(LIMIT_SQL["records"], ([bsn for _i, _r, bsn in claimed],))
                has_records = dict(cursor.fetchall())
                now = timezone.now()
                issued = [(i, r) for i, r, bsn in claimed if bsn not in has_records]
                review = [(i, r) for i, r, bsn in claimed if bsn in has_records]
                for status, rows in (("issued", issued), ("in_review", review)):
                    if rows:
                        cursor.execute(
                            "UPDATE applications_application SET status = %s, status_changed_at = %s, updated_at = %s,"
                            " decided_at = %s, next_attempt_at = NULL, assessment_attempts = assessment_attempts + 1"
                            " WHERE id = ANY(%s) AND status IN ('received', 'in_assessment')",
                            (status, now, now, now if status == "issued" else None, [i for i, _r in rows]),
                        )
                history, audit, assessments, outbox, extensions = [], [], [], [], []
                for status, rows in (("issued", issued), ("in_review", review)):
                    for i, reference in rows:
                        for source, target in (("received", "in_assessment"), ("in_assessment", status)):
                            history.append((i, source, target, now, "system", "assessment", "assessment", ""))
                            change = json.dumps({"from": source, "to": target})
                            audit.append(_audit_row(now, "application.status_changed", reference, data=change))
                        audit.append(_audit_row(now, "justice_data.read", reference, "automatic pre-assessment"))
                        assessments.append((i, "auto_grant" if status == "issued" else "needs_screener", now))
                        if status == "issued":
                            audit.append(_audit_row(now, "certificate.created", reference))
                            outbox += [(i, reference, "decision_issued", "email"), (i, reference, "decision_issued",
                                       "berichtenbox")]  # fmt: skip
                        else:
                            extensions.append((i, reference))
                execute_values(
                    cursor,
                    "INSERT INTO applications_statuschange (application_id, from_status, to_status, at, actor_kind,"
                    " actor_id, actor_label, reason) VALUES %s",
                    history,
                    page_size=2000,
                )
                execute_values(
                    cursor,
                    "INSERT INTO justis_auditevent (at, actor_kind, actor_id, actor_label, action, subject_type,"
                    " subject_id, reason, data) VALUES %s",
                    audit,
                    page_size=2000,
                )
                execute_values(
                    cursor,
                    "INSERT INTO screening_assessment (application_id, outcome, records, findings, subjects,"
                    " assessed_at) VALUES %s",
                    [(i, outcome, "[]", "[]", "[]", at) for i, outcome, at in assessments],
                    page_size=2000,
                )
                execute_values(
                    cursor,
                    "INSERT INTO screening_certificate (application_id, verification_code, issued_at, printed, pdf,"
                    " render_attempts, render_due_at) VALUES %s",
                    [(i, secrets.token_hex(8), now, json.dumps({"reference": r}), "", 0, now) for i, r in issued],
                    page_size=2000,
                )
                if extensions:
                    execute_values(
                        cursor,
                        "INSERT INTO applications_deadlineevent (application_id, kind, at, previous_due_date,"
                        " new_due_date, reason, announced_at) VALUES %s RETURNING id, application_id",
                        [(i, "extension", now, now.date(), now.date(), "bench", now) for i, _r in extensions],
                        page_size=2000,
                    )
                    references = dict(extensions)
                    outbox += [(i, references[i], "decision_period_extended", "email") for _pk, i in cursor.fetchall()]
                execute_values(
                    cursor,
                    "INSERT INTO notifications_outboxmessage (event, channel, application_id, dedupe_key, language,"
                    " payload, status, attempts, last_error, recipient, created_at) VALUES %s",
                    [
                        (
                            event,
                            channel,
                            i,
                            f"limit:{event}:{channel}:{i}",
                            "nl",
                            json.dumps({"reference": r}),
                            "pending",
                            0,
                            "",
                            "",
                            now,
                        )
                        for i, r, event, channel in outbox
                    ],  # fmt: skip
                    page_size=2000,
                )
                done += len(claimed)
    finally:
        raw.close()
    return done, time.perf_counter() - started
