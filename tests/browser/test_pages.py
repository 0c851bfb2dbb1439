"""The pages in a real browser: accessibility (axe-core), keyboard use, both languages.

Screenshots land in .local/test-artifacts/screenshots/ for a human to look at.
"""

from django import forms
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

import pytest


def tab_until(page, predicate_js: str, limit: int = 15):
    """Press Tab until the focused element matches ``predicate_js`` (a function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate_js})(document.activeElement)"):
            return
    pytest.fail(f"no focusable element matching {predicate_js} within {limit} Tab presses")


def test_home_page_in_dutch_then_english_by_keyboard(page, assert_accessible, screenshot):
    response = page.goto("/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Verklaring Omtrent het Gedrag (VOG) en GVA"
    assert_accessible(page)
    screenshot(page, "nl")

    tab_until(page, "el => el.tagName === 'BUTTON' && el.name === 'language'")
    assert page.evaluate("document.activeElement.textContent.trim()") == "English"
    assert page.evaluate("document.activeElement.lang") == "en"
    screenshot(page, "language-button-focused")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Certificate of Conduct (VOG) and GVA"
    assert page.get_by_role("button", name="Nederlands").is_visible()
    assert_accessible(page)
    screenshot(page, "en")


def test_skip_link_is_first_shows_on_focus_and_moves_focus_to_main(page, screenshot):
    page.goto("/")
    skip_link = page.locator(".utrecht-skip-link")
    assert not skip_link.is_visible() or skip_link.bounding_box()["y"] < 0, "hidden until focused"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('utrecht-skip-link')"), "first focusable"
    box = skip_link.bounding_box()
    assert box["y"] >= 0, f"visible on focus, got {box}"
    assert box["x"] >= 0, f"visible on focus, got {box}"
    assert box["height"] >= 24, f"large enough to see and hit, got {box}"
    screenshot(page, "skip-link-focused")

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    # The next Tab continues inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_page_not_found_is_accessible(page, assert_accessible, screenshot):
    response = page.goto("/bestaat-niet/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Pagina niet gevonden"
    assert_accessible(page)
    screenshot(page, "404")


class ExampleForm(forms.Form):
    """A form with every kind of field the partials handle."""

    name = forms.CharField(label="Naam", help_text="Zoals in uw paspoort.")
    email = forms.EmailField(label="E-mailadres", required=False)
    purpose = forms.ChoiceField(
        label="Doel", choices=[("work", "Werkrelatie"), ("other", "Overig")], widget=forms.RadioSelect
    )
    country = forms.ChoiceField(label="Land", choices=[("nl", "Nederland"), ("be", "België")])
    remarks = forms.CharField(label="Opmerkingen", widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="Ik heb alles naar waarheid ingevuld")


def test_components_render_accessibly(page, assert_accessible, screenshot):
    """Alerts, a form with errors (through {{ form }}), buttons and the stage tracker on one page."""
    request = RequestFactory().get("/voorbeeld/")
    request.session = {}
    request._messages = FallbackStorage(request)
    for level in ("info", "success", "warning", "error"):
        request._messages.add(getattr(messages, level.upper()), f"Een bericht van het type {level}.")
    with translation.override("nl"):
        form = ExampleForm(data={"email": "geen-adres", "purpose": ""})
        assert not form.is_valid()
        html = render_to_string("tests/components.html", {"form": form}, request=request)
    page.route(f"{page.base_url}/voorbeeld/", lambda route: route.fulfill(body=html, content_type="text/html"))

    page.goto("/voorbeeld/")
    name = page.locator("#id_name")
    assert name.get_attribute("aria-invalid") == "true"
    assert name.get_attribute("aria-describedby") == "id_name_helptext id_name_error"
    assert page.locator("#id_name_error").inner_text() == "Dit veld is vereist."
    assert page.locator("fieldset").first.get_attribute("aria-describedby") == "id_purpose_error"
    assert page.locator(".utrecht-alert--error[role=alert]").count() == 2  # the message and the error summary
    assert page.locator(".utrecht-alert--ok[role=status]").count() == 1
    current = page.locator("[aria-current=step]")
    assert current.count() == 1
    assert "huidige stap" in current.inner_text()
    assert_accessible(page)
    screenshot(page, "components")


@pytest.mark.parametrize("name", ["500", "503"])
def test_error_pages_stand_alone_and_are_accessible(page, assert_accessible, screenshot, name, settings, live_server):
    """500 and 503 are shown when the database or more is down: no database, and one style sheet linked by
    its plain address (no static files manifest); no inline CSS (the Content Security Policy forbids it)."""
    source = (settings.BASE_DIR / "templates" / f"{name}.html").read_text()
    for dependency in ("{% include", "{% extends", "{% url", "{% static", "<script", "<img", "<style"):
        assert dependency not in source
    assert source.count("<link") == 1
    html = render_to_string(f"{name}.html", {"retry_path": "/balie/"}, request=None)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(f"{live_server.url}/fout/", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(f"{live_server.url}/fout/")
    assert requests == [f"{live_server.url}/fout/", f"{live_server.url}/static/justis/errors.css"], "nothing else"
    assert page.locator("h1").evaluate("el => getComputedStyle(el).color") == "rgb(21, 66, 115)"  # the Justis blue
    assert_accessible(page)
    screenshot(page, "page")
