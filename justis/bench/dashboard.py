"""The team leads' dashboard during a bench drain: its live progress bar, polled and printed.

``DrainProgress`` asks the dashboard's own progress endpoint (/beheer/dashboard/voortgang.json, what
``static/justis/dashboard.js`` polls) about once a second while a backlog drains, as a team lead logged
in with two factors (made server-side in the bench's throw-away database, with Django's test
``Client``, in this process), and prints a bar that advances (a poll that takes long spaces the next
ones out, so that asking takes at most 5 % of the time):

    dashboard progress [##########..........]  52 %  36,400 decided, 33,600 waiting  (2,150/s)

The endpoint counts from the start of today; the bench counts from the start of the drain, by taking
the decided figure of its first answer (just before the drain starts) off every later one. That is
``applications.dashboard.progress_since(drain start)``: decided (issued or refused) since the drain
started against still waiting now. Applications that the assessment hands to a screener stay waiting
(a person still has to decide them), so the bar ends below 100 % by the share that went to a
screener, as it would on the real dashboard; the last line says so. If the endpoint does not answer
200 with JSON, the bench says why and calls ``progress_since`` itself (the function behind it).

On a terminal the line is redrawn in place ('\\r'); otherwise (CI, a pipe, tee) one line per 10 %
step and the last one, so logs stay short.

``DashboardScreenshots`` saves the real dashboard page in Chromium (Debian's, through Playwright) at
the start, the middle and the end of a drain, from the gunicorn the bench runs for the status page,
with a team lead's session cookie; without Chromium it says why it skipped them.
"""

from __future__ import annotations

import json
import queue
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

BAR_WIDTH = 20
POLL_SECONDS = 1.0
MAX_POLL_SHARE = 0.05
STEP_PERCENT = 10
TEAM_LEAD_USERNAME = "bench.teamlead"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_FOLDER = Path(settings.BASE_DIR) / ".local" / "bench"


def team_lead():
    """The bench's team lead (in the throw-away database), with a confirmed authenticator app."""
    from django.contrib.auth.models import Group

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from justis.models import User
    from justis.roles import Role

    user, created = User.objects.get_or_create(username=TEAM_LEAD_USERNAME, defaults={"first_name": "Bench"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=Role.TEAM_LEAD.value)[0])
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def team_lead_client():
    """A test ``Client`` logged in as the team lead after both factors (as tests/staff.py does)."""
    from django.test import Client

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = team_lead()
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def bar(percent: int, width: int = BAR_WIDTH) -> str:
    filled = min(width, max(0, round(width * percent / 100)))
    return "[" + "#" * filled + "." * (width - filled) + "]"


class DrainProgress:
    """The dashboard's progress bar during one drain: ``start()`` just before it, ``tick()`` as often as
    you like while it runs (it asks at most once per ``poll_seconds``), ``finish()`` after it.

    ``readings`` keeps each answer (decided since the start, waiting, percent); ``finish()`` returns the
    last. The last line printed always has the figures of that last answer.
    """

    def __init__(
        self,
        write: Callable[[str, str], None],
        *,
        tty: bool,
        poll_seconds: float = POLL_SECONDS,
        max_share: float = MAX_POLL_SHARE,
        on_reading: Callable[[dict], None] | None = None,
    ):
        self.write = write  # write(text, ending)
        self.tty = tty
        self.poll_seconds = poll_seconds
        self.max_share = max_share
        self.on_reading = on_reading
        self.readings: list[dict] = []
        self.source = ""
        self._client = None
        self._base = 0
        self._since_day = ""
        self._last_poll = 0.0
        self._asking = 0.0  # seconds spent asking
        self._last_ask = 0.0  # seconds the last answer took
        self._last_step = -1
        self._printed = ""
        self._printed_figures: tuple[int, int] | None = None

    def start(self) -> None:
        self.started_at = timezone.now()
        self._started = time.monotonic()
        url = reverse("dashboard:progress")
        try:
            self._client = team_lead_client()
            first = self._ask()
        except RuntimeError as reason:
            self._client = None
            self.source = f"progress_since() called directly ({reason})"
            first = self._ask()
        else:
            self.source = f"{url} polled as a team lead"
            self._base, self._since_day = first["decided"], first["since"]
        self.write(
            f"dashboard progress ({self.source}, about once a second and at most "
            f"{self.max_share * 100:.0f} % of the time, counted from the start of the drain):",
            "\n",
        )
        self._show(self._reading(first), final=False)

    def tick(self) -> None:
        # About once a second, but asking takes at most ``max_share`` of the time (a slow answer,
        # on a busy machine or a big table, spaces the polls out), so that the polling hardly weighs on
        # the drain it shows.
        interval = max(self.poll_seconds, self._last_ask / self.max_share)
        if time.monotonic() - self._last_poll >= interval:
            self._show(self._reading(self._ask()), final=False)

    def finish(self) -> dict:
        reading = self._reading(self._ask())
        self._show(reading, final=True)
        return reading

    @property
    def polls(self) -> int:
        return len(self.readings)

    @property
    def mean_poll_ms(self) -> float:
        return 1000 * self._asking / max(len(self.readings), 1)

    def _ask(self) -> dict:
        self._last_poll = time.monotonic()
        try:
            return self._answer()
        finally:
            self._last_ask = time.monotonic() - self._last_poll
            self._asking += self._last_ask

    def _answer(self) -> dict:
        if self._client is None:
            from applications.dashboard import progress_since

            return progress_since(self.started_at)
        response = self._client.get(reverse("dashboard:progress"), headers={"accept": "application/json"})
        if response.status_code != 200 or not response["Content-Type"].startswith("application/json"):
            raise RuntimeError(f"{reverse('dashboard:progress')} answered {response.status_code}")
        return json.loads(response.content)

    def _reading(self, figures: dict) -> dict:
        if self._client is not None and figures["since"] != self._since_day:
            # The local day turned during the drain: the dashboard counts from the new midnight now.
            self._base, self._since_day = 0, figures["since"]
        decided = max(figures["decided"] - self._base, 0)
        waiting = figures["waiting"]
        total = decided + waiting
        seconds = time.monotonic() - self._started
        reading = {
            "decided": decided,
            "waiting": waiting,
            "total": total,
            "percent": round(100 * decided / total) if total else 100,
            "per_second": decided / seconds if seconds > 0 else 0.0,
            "seconds": seconds,
        }
        self.readings.append(reading)
        if self.on_reading is not None:
            self.on_reading(reading)
        return reading

    def _show(self, reading: dict, *, final: bool) -> None:
        line = (
            f"dashboard progress {bar(reading['percent'])} {reading['percent']:3d} %  "
            f"{reading['decided']:,} decided, {reading['waiting']:,} waiting  ({reading['per_second']:,.0f}/s)"
        )
        step = reading["percent"] // STEP_PERCENT
        if self.tty:
            # Within the terminal's width: a wrapped line could not be redrawn in place.
            line = line[: shutil.get_terminal_size().columns - 1]
            self.write("\r" + line.ljust(len(self._printed)), "\n" if final else "")
            self._printed = line
        elif step > self._last_step or (final and self._printed_figures != (reading["decided"], reading["waiting"])):
            self.write(line, "\n")
            self._printed, self._printed_figures = line, (reading["decided"], reading["waiting"])
        self._last_step = max(step, self._last_step)


class DashboardScreenshots:
    """The real dashboard page in Chromium at chosen moments of a drain, from a running web server.

    Playwright's sync API runs in a thread of its own (it keeps an event loop there, which Django's ORM
    would refuse in the bench's thread), so a screenshot never holds up the drain it shows.
    ``shoot(n)`` asks for screenshot ``n`` and returns at once; ``close()`` waits for them and returns
    the paths saved. ``skipped`` says why there are none (no Chromium, Playwright missing, …).
    """

    def __init__(self, base_url: str, session_cookie: str, *, folder: Path = SCREENSHOT_FOLDER):
        self.base_url = base_url
        self.session_cookie = session_cookie
        self.folder = folder
        self.saved: list[Path] = []
        self.skipped = ""
        self._orders: queue.Queue = queue.Queue()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def unavailable(cls) -> str:
        """Why no screenshots can be made here, or "" when they can."""
        if not CHROMIUM.exists():
            return f"{CHROMIUM} is missing (bin/browser installs Debian's chromium)"
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            return "Playwright is not installed"
        return ""

    def start(self) -> DashboardScreenshots:
        self.skipped = self.unavailable()
        for old in self.folder.glob("dashboard-progress-*.png"):
            old.unlink()  # those of an earlier run would pass for this one's
        if not self.skipped:
            self._thread = threading.Thread(target=self._run, name="dashboard-screenshots", daemon=True)
            self._thread.start()
            self._ready.wait(timeout=60)
        return self

    def shoot(self, number: int, *, wait: float = 0) -> None:
        """Screenshot ``number``; waits for it up to ``wait`` seconds (by default not at all)."""
        if self._thread is not None and self._thread.is_alive():
            done = threading.Event()
            self._orders.put((number, done))
            done.wait(timeout=wait)

    def close(self, timeout: float = 60) -> list[Path]:
        if self._thread is not None:
            self._orders.put(None)
            self._thread.join(timeout=timeout)
            self._thread = None
        return self.saved

    def _run(self) -> None:
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
                try:
                    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
                    context.add_cookies(
                        [{"name": settings.SESSION_COOKIE_NAME, "value": self.session_cookie, "url": self.base_url}]
                    )
                    page = context.new_page()
                    page.set_default_timeout(30_000)
                    self._ready.set()
                    self.folder.mkdir(parents=True, exist_ok=True)
                    while (order := self._orders.get()) is not None:
                        number, done = order
                        try:
                            self._save(page, number)
                        finally:
                            done.set()
                finally:
                    browser.close()
        except Exception as error:  # noqa: BLE001 - the bench goes on without screenshots, and says why
            self.skipped = f"Chromium failed: {str(error).splitlines()[0][:200]}"
        finally:
            self._ready.set()

    def _save(self, page, number: int) -> None:
        page.goto(self.base_url + reverse("dashboard:overview"))
        if not page.locator("#progress-bar").count():
            self.skipped = f"the dashboard did not open (ended at {page.url})"
            return
        path = self.folder / f"dashboard-progress-{number}.png"
        page.screenshot(path=str(path))
        self.saved.append(path)
