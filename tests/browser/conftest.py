"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Fixtures: ``browser`` (one Chromium per test session), ``page`` (a fresh context per test: Dutch
locale, 1280×900), ``axe`` (runs axe-core's WCAG 2.1 A/AA rules on the page and returns the
violations), ``assert_accessible`` (fails on any serious or critical violation) and ``screenshot``
(full-page PNG in .local/test-artifacts/screenshots/). Every test here is marked ``browser``, runs
after all other tests, and uses ``live_server`` and ``transactional_db``.

Chromium comes from Debian (``make browser``, run by ``make test``); Playwright's own browser
download is never used. The flags keep Chromium from calling home, which a closed network refuses.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / ".local" / "test-artifacts" / "screenshots"
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
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    """Mark the tests in this folder ``browser`` and run them last (see ``browser`` below)."""
    here = Path(__file__).parent
    browser_tests = [item for item in items if here in Path(item.fspath).parents]
    for item in browser_tests:
        item.add_marker(pytest.mark.browser)
    items[:] = [item for item in items if item not in browser_tests] + browser_tests


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run make test: it installs chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    # From here on, Playwright's sync API keeps an event loop running in the test thread, and Django
    # refuses ORM calls from a thread with a running loop ("SynchronousOnlyOperation"): in test code
    # and in the test database's teardown at the end of the session. The live server runs in its own
    # thread. This is set only once a browser test starts, and the browser tests run last, so no
    # other test (nor a process it starts) sees it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    # launch() starts Chromium with a new, empty profile (--user-data-dir in a fresh temporary
    # folder that Playwright removes again), so no state leaks between runs.
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A page in a fresh browser context (no cookies), Dutch, 1280×900; ``page.base_url`` is the live server."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA rules on the whole page; returns the violations."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT.relative_to(ROOT)} is missing: run make frontend (npm ci)", pytrace=False)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Through the DevTools protocol, which the page's Content Security Policy does not govern (a script
        # tag added to the page would be inline script, refused by ``script-src 'self'``).
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """``axe(page)`` returns axe-core's violations (WCAG 2.0/2.1 A and AA) of the page as it is now."""
    return run_axe


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)`` fails on any serious or critical axe violation; returns all violations."""

    def check(page) -> list[dict]:
        violations = run_axe(page)
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(f"axe found serious or critical violations on {page.url}:\n{format_violations(blocking)}")
        return violations

    return check


@pytest.fixture
def screenshot(request):
    """``screenshot(page, name)`` saves a full-page PNG as .local/test-artifacts/screenshots/<test>-<name>.png."""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{test_name}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
