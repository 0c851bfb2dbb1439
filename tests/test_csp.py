"""The Content Security Policy: on every HTML page, in every environment, and no template needs more.

The policy allows scripts, styles, fonts and connections from this site only (no inline code, no nonces),
images from this site and data: addresses, forms posted to this site and the payment provider's checkout.
The browser check that nothing on the pages breaks it is tests/browser/test_csp_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory

import pytest

from justis.login.csp import form_action_to_identity_provider
from tests.portal import login_with_digid
from tests.test_settings import PRODUCTION, manage

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},  # the demo bank of the tests is part of this site
}

# Templates that may hold inline styles, each with its reason. Nothing else under templates/ may.
INLINE_ALLOWED = {
    # Rendered to PDF by WeasyPrint (screening/pdf.py), never served as a web page: no CSP applies.
    "screening/_certificate_base.html": "PDF only (WeasyPrint)",
    "screening/letters/base.html": "PDF only (WeasyPrint)",
}


def parse_policy(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def assert_policy(response, expected=EXPECTED) -> None:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.status_code} {response.get('Content-Type')}: no Content-Security-Policy header"
    assert "Content-Security-Policy-Report-Only" not in response.headers, "enforced, not only reported"
    assert parse_policy(header) == expected, header


def test_public_pages_carry_the_policy(client, db):
    for url, status in [
        ("/", 200),
        ("/inloggen/", 200),
        ("/controleren/", 200),
        ("/status/", 200),
        ("/medewerkers/inloggen/", 200),
        ("/bestaat-niet/", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("text/html")
        assert_policy(response)


def test_api_docs_load_their_script_from_this_site(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_policy(response)
    html = response.content.decode()
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    assert all('src="' in attributes and not body.strip() for attributes, body in scripts), scripts
    script_url = re.findall(r'<script src="([^"]+)"', html)[-1].replace("&amp;", "&")
    assert script_url.startswith("/api/docs/?")
    assert "script" in script_url
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_portal_pages_carry_the_policy(client, db, citizen, org_user):
    login_with_digid(client, citizen.bsn)
    response = client.get("/mijnjustis/")
    assert response.status_code == 200
    assert_policy(response)

    client.logout()
    client.force_login(org_user)
    response = client.get("/organisatie/")
    assert response.status_code == 200, response
    assert_policy(response)


def test_counter_pages_carry_the_policy(clerk_client):
    for url in ("/balie/", "/balie/aanvragen/", "/balie/rapport/"):
        response = clerk_client.get(url)
        assert response.status_code == 200, url
        assert_policy(response)


def test_screener_pages_carry_the_policy(screener_client):
    for url in ("/beoordeling/", "/beoordeling/bezwaren/"):
        response = screener_client.get(url)
        assert response.status_code == 200, url
        assert_policy(response)


def test_error_pages_carry_the_policy_and_need_no_manifest(client, db, settings):
    """500 and 503 link their style sheet by its plain address: no static files manifest is read."""
    settings.ROOT_URLCONF = "tests.csp_urls"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    client.raise_request_exception = False
    for url, status in [("/test-fout/", 500), ("/test-database-weg/", 503)]:
        response = client.get(url)
        assert response.status_code == status
        assert_policy(response)
        html = response.content.decode()
        assert '<link rel="stylesheet" href="/static/justis/errors.css">' in html
        assert "<style" not in html
        assert "style=" not in html
        assert "<script" not in html
    assert (ROOT / "static" / "justis" / "errors.css").is_file()


def test_production_keeps_the_policy_and_sends_payers_to_mollie():
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.MIDDLEWARE, settings.CONTENT_SECURITY_POLICY]))"
    )
    result = manage("shell", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    middleware, policy = json.loads(result.stdout.strip().splitlines()[-1])
    assert "csp.middleware.CSPMiddleware" in middleware
    assert "REPORT_ONLY" not in json.dumps(policy)
    directives = {name: set(values) for name, values in policy["DIRECTIVES"].items()}
    assert directives == {**EXPECTED, "form-action": {"'self'", "https://www.mollie.com"}}


def test_production_login_start_may_post_to_the_identity_provider_only():
    """The DigiD and eHerkenning start pages (SAML POST binding) widen form-action to the identity provider
    of the configuration, on those pages alone."""
    code = (
        "from django.urls import resolve; "
        "print(all(hasattr(resolve(path).func, '__wrapped__') for path in ('/digid/login/', '/eherkenning/login/')), "
        "hasattr(resolve('/digid/acs/').func, '__wrapped__'))"
    )
    result = manage("shell", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "False"]

    request = RequestFactory().get("/digid/login/")
    template = engines["django"].from_string("<form action='{{ url }}'></form>")
    view = form_action_to_identity_provider(
        lambda request: TemplateResponse(request, template, {"url": "https://idp.example.nl:8443/saml/sso?x=1"})
    )
    assert view(request)._csp_update == {"form-action": ["https://idp.example.nl:8443"]}
    plain = form_action_to_identity_provider(lambda request: TemplateResponse(request, template, {}))
    assert getattr(plain(request), "_csp_update", None) is None


def test_login_start_page_widens_form_action():
    """Through the middleware: the update reaches the header of that response."""
    from django.http import HttpResponse

    from csp.middleware import CSPMiddleware

    response = HttpResponse("x")
    response._csp_update = {"form-action": ["https://idp.example.nl"]}
    request = RequestFactory().get("/digid/login/")
    middleware = CSPMiddleware(lambda request: response)
    header = middleware(request)["Content-Security-Policy"]
    assert parse_policy(header)["form-action"] == {"'self'", "https://idp.example.nl"}


INLINE_STYLE = re.compile(r"<style|\sstyle\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def inline_code(source: str) -> list[str]:
    found = [f"inline style: {m.group(0)!r}" for m in INLINE_STYLE.finditer(source)]
    found += [f"inline script: {m.group(0)!r}" for m in SCRIPT_TAG.finditer(source) if "src=" not in m.group(1)]
    found += [f"event handler: {m.group(0)[-40:]!r}" for m in EVENT_HANDLER.finditer(source)]
    found += [f"javascript: address: {m.group(0)!r}" for m in JAVASCRIPT_URL.finditer(source)]
    return found


def test_no_template_has_inline_styles_or_scripts():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in INLINE_ALLOWED:
            continue
        offenders += [f"templates/{name}: {finding}" for finding in inline_code(path.read_text())]
    assert not offenders, "\n".join(offenders)


def test_the_scan_finds_what_the_policy_blocks():
    for source in [
        "<style>p {}</style>",
        '<p style="color: red">',
        "<script>alert(1)</script>",
        "<script type='module'>x()</script>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ]:
        assert inline_code(source), source
    assert not inline_code('<script src="/static/justis/portal.js" defer></script><p class="x">styled</p>')


def test_allowlisted_templates_still_exist_and_are_not_web_pages():
    pdf_source = (ROOT / "screening" / "pdf.py").read_text()
    for name in INLINE_ALLOWED:
        assert (TEMPLATES / name).is_file(), f"{name}: allowlisted but gone"
    assert "screening/letters/" in pdf_source
    assert "screening/certificate" in pdf_source


@pytest.mark.parametrize("name", ["500", "503"])
def test_error_pages_render_without_database_or_manifest(name):
    """No database (no ``db`` fixture: a query would fail the test) and no static files storage."""
    from django.template.loader import render_to_string

    html = render_to_string(f"{name}.html", {"retry_path": "/balie/"}, request=None)
    assert '<link rel="stylesheet" href="/static/justis/errors.css">' in html
    assert not inline_code(html)
