"""Load of one page for ``manage.py bench_web`` (locust, headless): which page comes from the environment.

BENCH_TARGET is ``status``, ``mijnjustis`` or ``api``; BENCH_RATE (requests per second in all, 0 for as
fast as possible) and BENCH_USERS set the pace; BENCH_SESSION_COOKIE and BENCH_API_TOKEN carry the
MijnJustis login and the municipal API token, BENCH_API_PATH the application the API reads.
"""

import os

from locust import constant, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

TARGET = os.environ.get("BENCH_TARGET", "status")
RATE = float(os.environ.get("BENCH_RATE", "0"))
USERS = max(1, int(os.environ.get("BENCH_USERS", "1")))


class PageUser(FastHttpUser):
    wait_time = constant_throughput(RATE / USERS) if RATE > 0 else constant(0)

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
