"""Every page and endpoint of the URL configuration, opened by every role, against justis.access_rules.

The URL patterns are collected from the resolver, so a new URL without a rule fails here, and a rule
for a URL that no longer exists too. Each (URL, role) pair is its own test: an allowed role is not sent
to a login nor refused; any other role (the anonymous visitor and the municipal system's token included)
is sent to a login or refused with 401, 403 or 404, never shown the page; an allowed role that gets 404
fails too (unless NOT_FOUND_BY_DESIGN says why), so each page is opened on a real object. A view that answers GET with
405 is sent an empty POST instead. Objects in the URLs belong to the allowed role's world (Amsterdam's
counter and token, the organisation, Jan's application, a case in review), so for the other roles they
are someone else's. The users, sessions and objects are made once for the module and every check runs
in a savepoint of its own, which keeps the two thousand checks to some twenty seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import pytest

from applications.deadlines import decision_periods_load
from applications.fees import fees_load
from applications.lifecycle import Status, application_transition
from applications.models import BulkUpload, Desk, Municipality, Organisation
from applications.services import api_token_create
from continuous.models import Signal
from continuous.services import continuous_run
from justis.access_rules import (
    ACCESS_RULES,
    ANYONE,
    LOGIN_FLOW,
    NAMESPACE_EXCEPTIONS,
    NAMESPACE_RULES,
    PRODUCTION_ONLY_NAMESPACES,
    rule_for,
)
from justis.audit import Actor
from justis.roles import Role
from notifications.models import Letter, MessageTemplate
from payments.services import payment_start
from screening.catalogue import catalogue_load
from screening.companies import exclusion_grounds_load
from screening.models import ObjectionChannel
from screening.objections import objection_register
from screening.rules import rules_load
from screening.services import certificate_create, certificate_render
from servicestatus.models import Incident
from tests.continuous_helpers import RUN_DAY, add_record, enrol
from tests.factories import application_in, counter_application
from tests.objection_factories import refused_application
from tests.staff import login_with_second_factor, staff_user
from tests.test_paper import enter as paper_application_enter

User = get_user_model()

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *Role.values]
LOGIN_PATHS = ("/inloggen/", "/medewerkers/inloggen/", "/beheer/login/", "/digid/")
REFUSED = {401, 403, 404}

# Pages that answer 404 to an allowed role by design, with the reason. Every other page is opened on a
# real object, so an allowed role that gets 404 fails the matrix: the page or its sample object is wrong.
NOT_FOUND_BY_DESIGN = {
    "two_factor:qr": "the QR code exists only while the staff member is setting up an authenticator",
    "reference_admin:beheer/(?P<url>.*)$": "the admin's catch-all: an unknown admin page",
    "reference_admin:view_on_site": "no model of the reference data admin has a page on the site",
}


@dataclass(frozen=True)
class UrlEntry:
    key: str  # the rule's key: "namespace:name", or "namespace:<route>" for an unnamed pattern
    route: str
    name: str | None
    namespace: str
    kwargs: tuple[str, ...]  # the names of the URL's arguments
    positional: int = 0  # unnamed groups of a regex route (the admin's "…/history/<version>/" pages)

    def __str__(self):
        return self.key


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            local = pattern.name or route
            key = f"{namespace}:{local}" if namespace else local
            regex = pattern.pattern.regex
            yield key, route, pattern.name, namespace, tuple(regex.groupindex), regex.groups - len(regex.groupindex)


def url_entries() -> list[UrlEntry]:
    seen, entries = set(), []
    for key, route, name, namespace, kwargs, positional in _walk(get_resolver().url_patterns):
        if key in seen:  # a name given to two patterns: one rule, and reverse() reaches the first
            continue
        seen.add(key)
        entries.append(UrlEntry(key, route, name, namespace, kwargs, positional))
    return entries


ENTRIES = url_entries()


def test_every_url_has_a_rule():
    missing = [f"{entry.key} (/{entry.route})" for entry in ENTRIES if rule_for(entry.key) is None]
    assert not missing, "URLs without an access rule in justis/access_rules.py: " + ", ".join(missing)


def test_every_rule_names_an_existing_url():
    keys = {entry.key for entry in ENTRIES}
    namespaces = {entry.namespace for entry in ENTRIES}
    stale = [name for name in [*ACCESS_RULES, *NAMESPACE_EXCEPTIONS] if name not in keys]
    stale += [
        f"{namespace}:*"
        for namespace in NAMESPACE_RULES
        if namespace not in namespaces and namespace not in PRODUCTION_ONLY_NAMESPACES
    ]
    assert not stale, "Access rules for URLs that no longer exist: " + ", ".join(stale)


def test_matrix_size():
    """Every role of justis.roles and the anonymous visitor, against every URL (shown with ``pytest -s``)."""
    checks = len(ENTRIES) * len(ROLES)
    print(f"\nrole matrix: {len(ENTRIES)} URLs × {len(ROLES)} roles = {checks} checks")  # noqa: T201
    assert len(ROLES) == len(Role) + 1
    assert len(ENTRIES) > 100, "the walk of the URL configuration found too few URLs"


# --- The world: one user per role, and objects owned by the allowed roles ----------------------


@dataclass
class World:
    cookies: dict[str, str]  # role → session cookie
    token: str
    values: dict[str, str]  # URL kwarg → sample value
    namespaced_values: dict[tuple[str, str], str]  # (namespace, kwarg) → sample value
    routes: dict[str, str]  # unnamed route → sample path
    url_values: dict[tuple[str, str], str] = field(default_factory=dict)  # (URL key, kwarg) → sample value
    clients: dict[str, Client] = field(default_factory=dict)


def _session_cookie(client: Client, user, *, second_factor: bool) -> str:
    from django.conf import settings

    client.cookies.clear()
    if second_factor:
        login_with_second_factor(client, user)
    else:
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _build_world() -> World:
    catalogue_load()
    fees_load()
    rules_load()
    exclusion_grounds_load()
    decision_periods_load()  # a transactional test before this module may have emptied the table
    # A wording from a future date (the world is rolled back): its history pages have a row to show.
    MessageTemplate.objects.create(
        event="decision_issued", channel="email", subject="Uw VOG", body="Tekst", valid_from=date(2099, 1, 1)
    )
    amsterdam, _created = Municipality.objects.get_or_create(code="0363", defaults={"name": "Amsterdam"})
    rotterdam, _created = Municipality.objects.get_or_create(code="0599", defaults={"name": "Rotterdam"})
    desk = Desk.objects.create(municipality=amsterdam, code="01", name="Stadsloket Centrum")
    Desk.objects.create(municipality=rotterdam, code="02", name="Stadswinkel Noord")
    organisation = Organisation.objects.create(kvk_number="12345678", name="Kinderopvang De Zonnebloem B.V.")
    org_user = User.objects.create(username="kvk-12345678-demo", organisation=organisation)
    citizen = User.digid_objects.digid_create("999990019")

    # Jan's application, taken at Amsterdam's counter: his in MijnJustis, Amsterdam's at the counter and API.
    application = counter_application(desk, birth_date=date(1990, 5, 17))
    application.citizen = citizen
    application.save(update_fields=["citizen"])
    letter = Letter.objects.create(application=application, kind="receipt", pdf=ContentFile(b"%PDF-1.4", "l.pdf"))
    upload = BulkUpload.objects.create(
        organisation=organisation, uploaded_by=org_user, file_name="rows.csv", purpose={}, rows=[]
    )
    _token, key = api_token_create(municipality=amsterdam, name="matrix", actor=Actor.system("test"))
    in_review = application_in(Status.IN_REVIEW, bsn="999990044")  # a case in the screeners' queue
    enrolment = enrol()  # a person in continuous screening, with a new record: a signal
    add_record(enrolment.bsn, decided=date(2026, 9, 1))
    continuous_run(day=RUN_DAY)
    signal = Signal.objects.order_by("pk").first()
    link = enrolment.links.get()
    # Jan paid for his application (the demo provider: its bank page and the way back), and an earlier
    # one was issued: its certificate in MijnJustis and its code on the public check.
    payment = payment_start(application=application, amount_cents=4135, description="VOG", return_url="/mijnjustis/")
    issued = application_in(Status.RECEIVED, bsn="999990019")
    issued.citizen = citizen
    issued.save(update_fields=["citizen"])
    issued = application_transition(application=issued, to_status=Status.IN_ASSESSMENT, actor=Actor.system("test"))
    issued = application_transition(application=issued, to_status=Status.ISSUED, actor=Actor.system("test"))
    certificate = certificate_create(application=issued)
    assert certificate_render(certificate_id=certificate.pk)

    login = Client()
    cookies = {
        Role.CITIZEN: _session_cookie(login, citizen, second_factor=False),
        Role.ORGANISATION: _session_cookie(login, org_user, second_factor=False),
    }
    for role in Role:
        if role in (Role.CITIZEN, Role.ORGANISATION, Role.MUNICIPAL_SYSTEM):
            continue
        extra = {"desk": desk} if role == Role.MUNICIPAL_CLERK else {}
        user = staff_user(f"matrix.{role.value}", role, **extra)
        cookies[role] = _session_cookie(login, user, second_factor=True)
        if role == Role.SCREENER:
            objection, _created = objection_register(
                application=refused_application(refused_by=user, bsn="999990020"),
                registered_by=user,
                channel=ObjectionChannel.LETTER,
                received_on=timezone.localdate(),
                grounds="The offence has nothing to do with the position.",
            )
        if role == Role.INTAKE_OFFICER:
            paper, _created = paper_application_enter(user)
            scan = paper.scanned_documents.get()
        if role == Role.TEAM_LEAD:
            incident = Incident.objects.create(
                title_nl="Storing", title_en="Outage", text_nl="Uitleg", text_en="Explanation", created_by=user
            )

    values = {
        "reference": application.reference,
        "municipal_number": application.intake.municipal_number,
        "letter_id": str(letter.pk),
        "upload_id": str(upload.pk),
        "code": certificate.verification_code,
        "public_id": str(payment.public_id),
        "plugin": "demo",
        "provider_id": payment.provider_payment_id,
        "channel": "sms",
        "pk": "999999",
        "link_pk": "999999",
        "objection_id": str(objection.pk),
        "document_id": "999999",
        "object_id": "1",
        "content_type_id": "1",
        "app_label": "screening",
    }
    return World(
        cookies=cookies,
        token=key,
        values=values,
        namespaced_values={
            ("workbench", "reference"): in_review.reference,
            ("servicestatus", "pk"): str(incident.pk),
            ("continuous-admin", "pk"): str(enrolment.pk),
            ("continuous", "pk"): str(signal.pk),
            ("continuous-admin", "link_pk"): str(link.pk),
            ("paper", "reference"): paper.reference,
            ("paper", "document_id"): str(scan.pk),
        },
        url_values={("mijnjustis-certificate", "reference"): issued.reference},
        routes={"reference_admin:beheer/(?P<url>.*)$": "/beheer/geen-pagina/"},
    )


@pytest.fixture(scope="module")
def world_db(django_db_setup, django_db_blocker):
    """Users and objects made once for the whole matrix, undone at the end."""
    from justis.breaker import breaker_reset
    from justis.faults import forget_cached_faults

    forget_cached_faults()
    breaker_reset()
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(world_db):
    """Each check in a savepoint of its own, so an allowed role's empty POST leaves nothing for the next."""
    with transaction.atomic():
        yield world_db
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_fault_cache(monkeypatch):
    """The matrix resets the faults and breakers once (world_db), not around each of its two thousand checks.

    The readiness check does not wait a second for Celery workers that the matrix does not start.
    """
    monkeypatch.setattr("justis.health._check_workers", lambda: None)


def _path(entry: UrlEntry, world: World) -> str:
    if entry.key in world.routes:
        return world.routes[entry.key]
    kwargs = {
        name: world.url_values.get(
            (entry.key, name), world.namespaced_values.get((entry.namespace, name), world.values.get(name))
        )
        for name in entry.kwargs
    }
    if entry.name and (entry.positional or entry.name.endswith("_history")):
        return _history_path(entry)
    if entry.name:
        name = f"{entry.namespace}:{entry.name}" if entry.namespace else entry.name
        return reverse(name, kwargs=kwargs)
    path = "/" + entry.route  # an unnamed admin route, "…/<path:object_id>/"
    for name, value in kwargs.items():
        path = path.replace(f"<path:{name}>", value)
    return path


def _history_path(entry: UrlEntry) -> str:
    """An admin history page ("<app>_<model>_history") or version page ("…_simple_history") of the table's
    first row (other tests may have loaded the reference data again, so its pk is not always 1)."""
    from django.apps import apps

    version = entry.name.endswith("_simple_history")
    app_label, model_name = entry.name.removesuffix("_simple_history").removesuffix("_history").split("_", 1)
    row = apps.get_model(app_label, model_name).objects.order_by("pk").first()
    args = [row.pk, row.history.order_by("history_id")[0].history_id] if version else [row.pk]
    return reverse(f"{entry.namespace}:{entry.name}", args=args)


def _client(role: str, world: World) -> Client:
    """The role's browser, made once: a new client loads the middleware again, which takes a tenth of a second."""
    from django.conf import settings

    client = world.clients.get(role)
    if client is None:
        headers = {"HTTP_AUTHORIZATION": f"Token {world.token}"} if role == Role.MUNICIPAL_SYSTEM else {}
        client = world.clients[role] = Client(**headers)
    client.cookies.clear()  # a logout or login of an earlier test changed them
    if role in world.cookies:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.cookies[role]
    return client


def _open(client: Client, path: str):
    response = client.get(path)
    if response.status_code == 405:  # a POST-only endpoint: an empty form
        response = client.post(path, {})
    return response


def _to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATHS)


def _outcome(response) -> str:
    where = f" → {response['Location']}" if response.status_code in (301, 302) else ""
    return f"{response.status_code}{where}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_role_matrix(entry, role, world):
    rule = rule_for(entry.key)
    assert rule is not None, f"{entry.key} has no access rule"
    path = _path(entry, world)
    response = _open(_client(role, world), path)
    seen = f"{role} opening {path} ({entry.key}) got {_outcome(response)}"
    assert response.status_code < 500, seen
    if rule == LOGIN_FLOW:
        return
    if rule == ANYONE or role in rule:
        assert not _to_login(response), f"{seen}: sent to a login, though allowed"
        assert response.status_code not in (401, 403), f"{seen}: refused, though allowed"
        if entry.key not in NOT_FOUND_BY_DESIGN:
            assert response.status_code != 404, f"{seen}: not found, though allowed (is its sample object right?)"
    else:
        assert _to_login(response) or response.status_code in REFUSED, f"{seen}: not refused"
