"""Load of one page for ``manage.py bench_web`` (locust, headless): which page comes from the environment.

BENCH_TARGET is ``status``, ``mijnjustis`` or ``api``; BENCH_RATE (requests per second in all, 0 for as
fast as possible) and BENCH_USERS set the pace; BENCH_SESSION_COOKIE and BENCH_API_TOKEN carry the
MijnJustis login and the municipal API token, BENCH_API_PATH the application the API reads.
"""

import os
import random
import time

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

TARGET = os.environ.get("BENCH_TARGET", "status")
RATE = float(os.environ.get("BENCH_RATE", "0"))
USERS = max(1, int(os.environ.get("BENCH_USERS", "1")))


def poisson_arrivals(rate_per_user: float):
    """Each user starts its requests as a Poisson process of ``rate_per_user``: together the users send
    independent arrivals at RATE requests/s, as visitors do, instead of bursts of every user at once
    (a fixed pace keeps the users in step, which measures the bursts rather than the page)."""

    def wait_time(user) -> float:
        now = time.monotonic()
        user.next_start = max(getattr(user, "next_start", now), now - 1.0) + random.expovariate(rate_per_user)  # noqa: S311
        return max(0.0, user.next_start - now)

    return wait_time


class PageUser(FastHttpUser):
    wait_time = poisson_arrivals(RATE / USERS) if RATE > 0 else constant(0)

    def _get(self, path, headers):
        # Only a 200 counts: a redirect to the login page or a 503 is an error of the run.
        with self.client.get(
            path, headers=headers, name=TARGET, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task
    def page(self):
        if TARGET == "status":
            self._get("/status/", {"Accept-Language": "nl"})
        elif TARGET == "mijnjustis":
            self._get("/mijnjustis/", {"Cookie": f"sessionid={os.environ['BENCH_SESSION_COOKIE']}"})
        else:
            self._get(os.environ["BENCH_API_PATH"], {"Authorization": f"Token {os.environ['BENCH_API_TOKEN']}"})
