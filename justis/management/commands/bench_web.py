"""Benchmark of the web: the status page, a MijnJustis page and the municipal API under locust.

Runs in a throw-away database (created, migrated and dropped like a test database), starts gunicorn
(three sync workers, DEBUG off, persistent database connections) on a free port and prints, each on
its own line, requests per second, p50, p95 and errors per page at the maximum rate and at 200
requests/s. ``--during-drain SECONDS`` only runs the status page at 200 requests/s for that long (to run
beside a drain started elsewhere) and prints that one line. Logic: justis/bench/web.py.
"""

import time

from django.core.management.base import BaseCommand
from django.test.utils import setup_databases, teardown_databases

from justis.bench.web import FIXED_RATE, WebBench, purge_queues, status_load, use_own_test_database


class Command(BaseCommand):
    help = "Load the status page, a MijnJustis page and the API through gunicorn with locust (own database)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=15.0, help="seconds per run (default 15)")
        parser.add_argument(
            "--during-drain",
            type=float,
            metavar="SECONDS",
            help=f"only the status page at {FIXED_RATE} requests/s for SECONDS, beside work running elsewhere",
        )

    def handle(self, *args, seconds: float, during_drain: float | None, **options):
        use_own_test_database()
        old_config = setup_databases(verbosity=0, interactive=False)
        try:
            with WebBench(seconds=seconds, status_only=bool(during_drain)) as bench:
                if during_drain:
                    with status_load(bench) as load:
                        time.sleep(during_drain)
                    lines = [load.figures.line(f"web status page during drain (at {FIXED_RATE} requests/s)")]
                else:
                    lines = bench.lines()
        finally:
            teardown_databases(old_config, verbosity=0)
            purge_queues()
        for line in lines:
            self.stdout.write(line)
