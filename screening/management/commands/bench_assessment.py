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

During each drain it also shows the team leads' dashboard progress bar moving: about once a second it
asks /beheer/dashboard/voortgang.json (the endpoint the dashboard's script polls) as a team lead with
two factors, in this process, and prints

    dashboard progress [##########..........]  52 %  36,400 decided, 33,600 waiting  (2,150/s)

decided (issued or refused) since the drain started against still waiting now, the dashboard's own
figures (``applications.dashboard.progress_since``). On a terminal the line is redrawn in place;
otherwise one line per 10 % and the last one. Applications that go to a screener stay waiting on the
dashboard until a person decides, so the bar ends short of 100 % by that share, and the last line says
how many, checked against the database, and how often and how long it polled (one aggregate query
and the session's few, some milliseconds once a second). For the drain under web load it saves three
screenshots of the real dashboard page in .local/bench/dashboard-progress-{1,2,3}.png with Debian's
Chromium, from the gunicorn that serves the status page: just before the drain, when about half is
decided (a drain shorter than a poll has none), and after it; without Chromium it says they were
skipped and why. ``--no-progress`` leaves out both, ``--no-screenshots`` the screenshots.
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
SCREENSHOT_WAIT = 30  # seconds for one screenshot of the dashboard at most


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
        parser.add_argument(
            "--no-progress", action="store_true", help="do not poll and print the dashboard's progress during drains"
        )
        parser.add_argument(
            "--no-screenshots", action="store_true", help="no screenshots of the dashboard during the web-load drain"
        )

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
        figures and returns the invariants found after (``before``: those found after the previous run).

        Unless ``no_progress``, the dashboard's progress bar is polled and printed while it drains."""
        from justis.bench.dashboard import DrainProgress
        from justis.bench.web import WebBench, status_load

        decided = self._decided(before)
        bench.seed_backlog(count, start=decided - WARM_UP, rng=random.Random(decided))  # noqa: S311
        progress = None
        if not options["no_progress"]:
            progress = DrainProgress(self._write, tty=self.stdout.isatty())

        def drained() -> float:
            """The drain's seconds; the progress bar polled while it runs, and its last line after."""
            if progress is None:
                return bench.drain(count, timeout=options["timeout"])
            progress.start()
            seconds = bench.drain(count, timeout=options["timeout"], while_waiting=progress.tick)
            progress.on_reading = None
            progress.finish()
            return seconds

        figures = None
        screenshots = None
        if web:
            # The status page at 200 requests/s from gunicorn, as in ``status_page_during``. The dashboard's
            # screenshots come from the same gunicorn: the first before the load and the drain start, the
            # middle one while it drains, the last after the load has stopped.
            with WebBench(redis_url=settings.REDIS_URL, status_only=True) as server:
                screenshots = self._screenshots(server, progress, count, **options)
                try:
                    with status_load(server) as load:
                        seconds = drained()
                    if screenshots is not None:
                        screenshots.shoot(3, wait=SCREENSHOT_WAIT)
                finally:
                    if screenshots is not None:
                        screenshots.close()
                figures = load.figures
        else:
            seconds = drained()
        after = bench.invariants()
        self._check(after, decided + count)
        self.stdout.write(
            f"{label}: {count} applications in {seconds:.1f} s "
            f"({count / seconds:.0f}/s; lost {after['lost']}, decided twice {after['decided_twice']}; "
            f"{after['issued'] - before['issued']} issued, {after['in_review'] - before['in_review']} to a screener)"
        )
        if figures is not None:
            self.stdout.write(figures.line("status page during drain (at 200 requests/s)"))
        if progress is not None:
            self._report_progress(progress, before=before, after=after)
        if web and progress is not None:
            self._report_screenshots(screenshots, **options)
        return after

    def _report_progress(self, progress, *, before: dict, after: dict) -> None:
        """What the bar's last figures are, checked against the database after the drain."""
        final = progress.readings[-1]
        issued = after["issued"] - before["issued"]
        polled = f"polled {progress.polls} times, {progress.mean_poll_ms:.0f} ms each"
        if final["decided"] == issued and final["waiting"] == after["in_review"] + after["lost"]:
            self.stdout.write(
                f"dashboard progress at the end: {final['decided']} decided since the drain started (the issued "
                f"ones); the {final['waiting']} still waiting are in review: a screener decides them, the "
                f"dashboard counts them as waiting until then ({polled})"
            )
        else:
            self.stdout.write(
                f"dashboard progress at the end does not match the database: {final['decided']} decided and "
                f"{final['waiting']} waiting, against {issued} issued and {after['in_review']} in review ({polled})"
            )

    def _screenshots(self, server, progress, count: int, **options):
        """Screenshots of the dashboard from ``server`` at the drain's start, middle and end (or None)."""
        from justis.bench.dashboard import DashboardScreenshots, team_lead_client

        if progress is None or options["no_screenshots"] or DashboardScreenshots.unavailable():
            return None
        cookie = team_lead_client().cookies[settings.SESSION_COOKIE_NAME].value
        screenshots = DashboardScreenshots(f"http://127.0.0.1:{server.port}", cookie).start()
        screenshots.shoot(1, wait=SCREENSHOT_WAIT)

        def on_reading(reading: dict) -> None:
            # The middle: about half of what the automatic assessment will decide (some go to a screener).
            if reading["decided"] >= count * 0.4:
                progress.on_reading = None
                screenshots.shoot(2)

        progress.on_reading = on_reading
        return screenshots

    def _report_screenshots(self, screenshots, **options) -> None:
        from justis.bench.dashboard import DashboardScreenshots

        if options["no_screenshots"]:
            return
        why = DashboardScreenshots.unavailable() if screenshots is None else screenshots.skipped
        saved = screenshots.saved if screenshots is not None else []
        if saved:
            paths = ", ".join(str(path) for path in saved)
            self.stdout.write(f"dashboard screenshots (start, middle and end of the drain under web load): {paths}")
        if why:
            self.stdout.write(f"dashboard screenshots skipped: {why}")
        elif len(saved) < 3:
            self.stdout.write(
                "dashboard screenshots: no middle one, the drain ended before a poll saw it half done"
                if len(saved) == 2
                else f"dashboard screenshots: only {len(saved)} of 3 taken"
            )

    def _write(self, text: str, ending: str) -> None:
        self.stdout.write(text, ending=ending)
        self.stdout.flush()

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
