"""Benchmark of catching up: assessment throughput, draining a 70,000-application backlog, and the limit.

Runs in a throw-away database (created, migrated and dropped like a test database) against the real
PostgreSQL and Redis, with real Celery workers started as separate processes; the backlog drains twice:
quiet, then while gunicorn serves the status page at 200 requests/s (locust, headless), as it would
during a real catch-up. ``make bench`` points it at a Redis database of its own (``BENCH_REDIS_URL``),
whose queues it purges at the end. Prints:

    assessment_throughput: N applications/s
    backlog_drain: 70000 applications in S s (lost 0, decided twice 0)
    backlog_drain_with_web_load: 70000 applications in S s (the same, while the status page is loaded)
    status page during drain (at 200 requests/s): N requests/s, p50, p95, errors
    limit_throughput: N applications/s (raw batched SQL, no Django, no Celery); ratio R
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_databases, teardown_databases

WARM_UP = 1000


class Command(BaseCommand):
    help = "Time the catch-up of received applications through Redis and real workers (own database)."

    def add_arguments(self, parser):
        parser.add_argument("--throughput-count", type=int, default=10_000, help="first run (default 10,000)")
        parser.add_argument("--backlog", type=int, default=70_000, help="the backlog to drain (default 70,000)")
        parser.add_argument("--limit-count", type=int, default=10_000, help="raw SQL run (default 10,000)")
        parser.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
        parser.add_argument("--timeout", type=float, default=900, help="seconds before a run counts as failed")
        parser.add_argument("--no-web", action="store_true", help="drain without the status page under load")
        parser.add_argument("--no-profile", action="store_true", help="skip the in-process profile of one batch")

    def handle(self, *args, **options):
        from screening import bench

        old_config = setup_databases(verbosity=0, interactive=False)
        workers = None
        rng = random.Random(20211012)  # noqa: S311 - synthetic data, the same every run
        try:
            log = Path(settings.BASE_DIR) / ".local" / "bench" / "worker.log"
            workers = bench.Workers(concurrency=options["concurrency"], log=log).start()
            # Warm-up, not timed: each worker process imports and connects on its first task.
            bench.seed_backlog(WARM_UP, start=10**6, rng=random.Random(0))  # noqa: S311
            bench.drain(WARM_UP, timeout=options["timeout"])
            seeded = bench.seed_backlog(options["throughput_count"], start=0, rng=rng)
            self.stdout.write(
                f"Seeded {seeded['applications']} received applications, {seeded['with_records']} with "
                f"{seeded['records']} justice records (batch size {settings.ASSESSMENT_BATCH_SIZE}, "
                f"{settings.ASSESSMENT_BATCH_CHAINS} chains, {options['concurrency']} worker processes)"
            )
            seconds = bench.drain(options["throughput_count"], timeout=options["timeout"])
            throughput = options["throughput_count"] / seconds
            self.stdout.write(f"assessment_throughput: {throughput:.0f} applications/s")
            found = bench.invariants()
            self._check(found, options["throughput_count"] + WARM_UP)

            backlog = options["backlog"]
            # Quiet, then again while gunicorn serves the status page at 200 requests/s.
            found = self._drain(bench, "backlog_drain", backlog, before=found, web=False, **options)
            if not options["no_web"]:
                found = self._drain(bench, "backlog_drain_with_web_load", backlog, before=found, web=True, **options)
            workers.stop()
            workers = None

            limit_start = self._decided(found) - WARM_UP
            bench.seed_backlog(options["limit_count"], start=limit_start, rng=rng)
            db = connection.settings_dict
            dsn = f"dbname={db['NAME']} user={db['USER']} password={db['PASSWORD']} host={db['HOST']} port={db['PORT']}"
            done, limit_seconds = bench.limit_run(dsn, size=settings.ASSESSMENT_BATCH_SIZE)
            limit = done / limit_seconds
            self.stdout.write(
                f"limit_throughput: {limit:.0f} applications/s (raw batched SQL, no Django, no Celery); "
                f"ratio {throughput / limit:.2f}"
            )
            if not options["no_profile"]:
                bench.seed_backlog(settings.ASSESSMENT_BATCH_SIZE, start=limit_start + options["limit_count"], rng=rng)
                self.stdout.write(bench.profile_one_batch(settings.ASSESSMENT_BATCH_SIZE))
        finally:
            if workers is not None:
                workers.stop()
            self._disconnect_others()
            connection.close()
            teardown_databases(old_config, verbosity=0)
            self._purge_queues()

    def _drain(self, bench, label: str, count: int, *, before: dict, web: bool, **options) -> dict:
        """Seed ``count`` more and drain them (with the status page under load when ``web``); prints the
        figures and returns the invariants found after (``before``: those found after the previous run)."""
        from justis.bench.web import status_page_during

        decided = self._decided(before)
        bench.seed_backlog(count, start=decided - WARM_UP, rng=random.Random(decided))  # noqa: S311
        if web:
            seconds, figures = status_page_during(
                lambda: bench.drain(count, timeout=options["timeout"]), redis_url=settings.REDIS_URL
            )
        else:
            seconds, figures = bench.drain(count, timeout=options["timeout"]), None
        after = bench.invariants()
        self._check(after, decided + count)
        self.stdout.write(
            f"{label}: {count} applications in {seconds:.1f} s "
            f"({count / seconds:.0f}/s; lost {after['lost']}, decided twice {after['decided_twice']}; "
            f"{after['issued'] - before['issued']} issued, {after['in_review'] - before['in_review']} to a screener)"
        )
        if figures is not None:
            self.stdout.write(figures.line("status page during drain (at 200 requests/s)"))
        return after

    @staticmethod
    def _decided(found: dict) -> int:
        return found["issued"] + found["in_review"]

    @staticmethod
    def _disconnect_others() -> None:
        """Workers that were killed may leave a session behind for a moment; the drop must not wait on it."""
        deadline = time.monotonic() + 10
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                if not cursor.fetchall():
                    return
                time.sleep(0.2)

    @staticmethod
    def _check(found: dict, expected: int) -> None:
        decided = Command._decided(found)
        if found["lost"] or found["decided_twice"] or decided != expected or found["assessments"] != expected:
            raise CommandError(f"the catch-up lost or doubled work: {found} (expected {expected} decided)")
        if found["certificates"] != found["issued"]:
            raise CommandError(f"certificates do not match the issued applications: {found}")

    def _purge_queues(self) -> None:
        from justis.celery import app

        queues = {
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "urgent",
            *(route["queue"] for route in settings.CELERY_TASK_ROUTES.values()),
        }
        with app.connection_for_write() as broker:
            for queue in queues:
                broker.default_channel.queue_purge(queue)
