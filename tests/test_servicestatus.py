"""Incidents: what team leads publish, the snapshot every change writes, and the status page that reads it."""

import json
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.test import RequestFactory, override_settings
from django.utils import timezone

import pytest

from justis.middleware import DatabaseUnavailableMiddleware
from justis.roles import Role
from servicestatus.models import ChannelState, Incident, ServiceChannel
from servicestatus.services import IncidentClosed, incident_open, incident_resolve, incident_update
from servicestatus.snapshot import CACHE_KEY, snapshot_read, snapshot_write
from tests.staff import login_with_second_factor, staff_user

REDIS_DOWN = {
    "default": {
        **settings.CACHES["default"],
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture(autouse=True)
def snapshot_file(settings, tmp_path):
    """Each test its own snapshot file and no snapshot left in Redis."""
    settings.STATUS_SNAPSHOT_FILE = tmp_path / "status.json"
    cache.delete(CACHE_KEY)
    yield settings.STATUS_SNAPSHOT_FILE
    cache.delete(CACHE_KEY)


@pytest.fixture
def team_lead(db):
    return staff_user("teamlead.justis", Role.TEAM_LEAD, first_name="Tess", last_name="Bakker")


@pytest.fixture
def team_lead_client(client, team_lead):
    return login_with_second_factor(client, team_lead)


@pytest.fixture
def unreachable_database():
    """Point the connection at a port where no PostgreSQL listens, as in an outage; restore afterwards."""
    from django.db import connection

    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    yield
    connection.close()
    connection.settings_dict["PORT"] = port


def open_screening_outage(actor, **overrides):
    values = {
        "actor": actor,
        "title_nl": "Storing bij het screenen",
        "title_en": "Screening disrupted",
        "text_nl": "Aanvragen worden later beoordeeld.",
        "text_en": "Applications will be assessed later.",
        "channels": {ServiceChannel.SCREENING: ChannelState.DOWN, ServiceChannel.CERTIFICATES: ChannelState.DEGRADED},
        **overrides,
    }
    return incident_open(**values)


def file_snapshot(path):
    return json.loads(path.read_text(encoding="utf-8"))


def redis_snapshot():
    return json.loads(cache.get(CACHE_KEY))


@pytest.mark.django_db
def test_every_change_writes_the_snapshot_to_redis_and_to_the_file(
    team_lead, snapshot_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = open_screening_outage(team_lead)
    for snapshot in (redis_snapshot(), file_snapshot(snapshot_file)):
        assert snapshot["channels"]["screening"] == "down"
        assert snapshot["channels"]["certificates"] == "degraded"
        assert snapshot["channels"]["digital_applications"] == "operational"
        assert [i["title_en"] for i in snapshot["open_incidents"]] == ["Screening disrupted"]

    with django_capture_on_commit_callbacks(execute=True):
        incident_update(
            incident.pk,
            actor=team_lead,
            text_nl="De oorzaak is gevonden.",
            text_en="The cause was found.",
            channels={ServiceChannel.SCREENING: ChannelState.DEGRADED},
        )
    for snapshot in (redis_snapshot(), file_snapshot(snapshot_file)):
        assert snapshot["channels"]["screening"] == "degraded"
        assert snapshot["channels"]["certificates"] == "operational"
        assert snapshot["open_incidents"][0]["updates"][0]["text_en"] == "The cause was found."

    with django_capture_on_commit_callbacks(execute=True):
        incident_resolve(incident.pk, actor=team_lead, text_nl="Alles werkt weer.", text_en="All works again.")
    for snapshot in (redis_snapshot(), file_snapshot(snapshot_file)):
        assert snapshot["open_incidents"] == []
        assert set(snapshot["channels"].values()) == {"operational"}
        assert [i["id"] for i in snapshot["resolved_incidents"]] == [incident.pk]
    with pytest.raises(IncidentClosed):
        incident_update(incident.pk, actor=team_lead, text_nl="x", text_en="x")


@pytest.mark.django_db
def test_a_channel_shows_the_worst_state_of_its_open_incidents(team_lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_screening_outage(team_lead, channels={ServiceChannel.SCREENING: ChannelState.DEGRADED})
        open_screening_outage(team_lead, channels={ServiceChannel.SCREENING: ChannelState.DOWN})
        open_screening_outage(team_lead, channels={ServiceChannel.SCREENING: ChannelState.DEGRADED})
    assert snapshot_read()["channels"]["screening"] == "down"


@pytest.mark.django_db
def test_resolved_incidents_older_than_a_week_leave_the_history(team_lead, client):
    old = open_screening_outage(team_lead, title_en="Old outage")
    Incident.objects.filter(pk=old.pk).update(resolved_at=timezone.now() - timedelta(days=8))
    recent = open_screening_outage(team_lead, title_en="Recent outage")
    Incident.objects.filter(pk=recent.pk).update(resolved_at=timezone.now() - timedelta(days=6))
    from servicestatus.snapshot import snapshot_refresh

    snapshot_refresh()
    page = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Recent outage" in page
    assert "Old outage" not in page
    assert [i["title_en"] for i in client.get("/status.json").json()["resolved_incidents"]] == ["Recent outage"]


@pytest.fixture
def published_outage(db, team_lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return open_screening_outage(team_lead)


@pytest.mark.django_db(transaction=True)
def test_status_page_json_and_maintenance_page_answer_while_postgresql_is_down(team_lead, client, snapshot_file):
    open_screening_outage(team_lead)  # transaction=True: commits, so the snapshot is written
    assert file_snapshot(snapshot_file)["open_incidents"]
    from django.db import connection

    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        client.raise_request_exception = False
        client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32  # a session would need the database
        page = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Screening disrupted" in html
        assert 'data-channel="screening"' in html
        assert "justis-status-badge--down" in html
        data = client.get("/status.json")
        assert data.status_code == 200
        assert data.json()["channels"][2] == {"channel": "screening", "state": "down"}
        # Any other page is the maintenance page, which shows the incident from the snapshot too.
        other = client.get("/mijnjustis/")
        assert other.status_code == 503
        assert "Storing bij het screenen" in other.content.decode()
        assert "Screening disrupted" in other.content.decode()
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


@pytest.mark.django_db
def test_the_maintenance_page_shows_open_incidents_from_the_snapshot(published_outage):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    page = middleware.process_exception(RequestFactory().get("/"), OperationalError("down")).content.decode()
    assert "Storing: Storing bij het screenen" in page
    assert "Aanvragen worden later beoordeeld." in page
    assert "Incident: Screening disrupted" in page


@pytest.mark.django_db
def test_with_redis_down_the_snapshot_goes_to_the_file_and_the_page_reads_it(team_lead, client, snapshot_file):
    incident = open_screening_outage(team_lead)
    with override_settings(CACHES=REDIS_DOWN):
        from servicestatus.snapshot import snapshot_build

        assert snapshot_write(snapshot_build()) == {"redis": False, "file": True}
        page = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        assert "Screening disrupted" in page.content.decode()
        assert client.get("/status.json").json()["open_incidents"][0]["id"] == incident.pk
        banner = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Screening disrupted" in banner


@pytest.mark.django_db
def test_redis_wins_over_the_file_and_the_file_serves_when_redis_lost_the_key(team_lead, snapshot_file):
    open_screening_outage(team_lead)
    from servicestatus.snapshot import snapshot_build

    snapshot_write(snapshot_build())
    snapshot_file.write_text(json.dumps({**snapshot_build(), "open_incidents": []}), encoding="utf-8")
    assert len(snapshot_read()["open_incidents"]) == 1  # Redis first
    cache.delete(CACHE_KEY)
    assert snapshot_read()["open_incidents"] == []  # then the file
    snapshot_file.unlink()
    assert snapshot_read() is None


@pytest.mark.django_db
def test_banner_on_citizen_and_staff_pages_while_an_incident_is_open(
    published_outage, team_lead, client, django_capture_on_commit_callbacks
):
    assert "justis-status-banner" in client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Storing bij het screenen" in client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Screening disrupted" in client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    login_with_second_factor(client, team_lead)
    assert "justis-status-banner" in client.get("/beheer/storingen/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        incident_resolve(published_outage.pk, actor=team_lead, text_nl="Opgelost.", text_en="Solved.")
    assert "justis-status-banner" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_status_page_without_any_snapshot_says_all_channels_work(client):
    page = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.content.decode().count("justis-status-badge--operational") == len(ServiceChannel)
    assert "justis-status-banner" not in page.content.decode()


# --- The team leads' screens ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_team_leads_publish_incidents(screener_client):
    from django.test import Client

    anonymous = Client().get("/beheer/storingen/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/medewerkers/inloggen/")
    assert screener_client.get("/beheer/storingen/").status_code == 403
    assert screener_client.post("/beheer/storingen/nieuw/", {"title_nl": "x"}).status_code == 403
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_team_lead_without_the_second_factor_is_sent_to_the_staff_login(client, team_lead):
    client.force_login(team_lead)
    response = client.get("/beheer/storingen/nieuw/")
    assert response.status_code == 302
    assert response["Location"].startswith("/medewerkers/inloggen/")


def form_data(**overrides):
    data = {
        "title_nl": "Digitaal aanvragen werkt niet",
        "title_en": "Applying online does not work",
        "text_nl": "U kunt tijdelijk niet digitaal aanvragen.",
        "text_en": "You cannot apply online for now.",
        **{f"channel_{channel.value}": "operational" for channel in ServiceChannel},
        "channel_digital_applications": "down",
        "expected_end_at": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_team_lead_opens_updates_and_resolves_an_incident(
    team_lead_client, snapshot_file, django_capture_on_commit_callbacks
):
    assert team_lead_client.get("/beheer/storingen/nieuw/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = team_lead_client.post("/beheer/storingen/nieuw/", form_data())
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/storingen/{incident.pk}/"
    assert {c.channel: c.state for c in incident.channels.all()} == {"digital_applications": "down"}
    assert incident.created_by.username == "teamlead.justis"
    assert file_snapshot(snapshot_file)["channels"]["digital_applications"] == "down"

    with django_capture_on_commit_callbacks(execute=True):
        team_lead_client.post(
            f"/beheer/storingen/{incident.pk}/bijwerken/",
            form_data(text_nl="Bijna opgelost.", text_en="Nearly solved.", channel_digital_applications="degraded"),
        )
    assert file_snapshot(snapshot_file)["channels"]["digital_applications"] == "degraded"
    assert incident.updates.get().text_en == "Nearly solved."

    with django_capture_on_commit_callbacks(execute=True):
        team_lead_client.post(
            f"/beheer/storingen/{incident.pk}/afsluiten/",
            {"resolve_text_nl": "Alles werkt weer.", "resolve_text_en": "All works again."},
        )
    incident.refresh_from_db()
    assert incident.resolved_at is not None
    assert file_snapshot(snapshot_file)["open_incidents"] == []
    page = team_lead_client.get(f"/beheer/storingen/{incident.pk}/").content.decode()
    assert "Alles werkt weer." in page
    assert "/afsluiten/" not in page  # a resolved incident has no forms any more


@pytest.mark.django_db
def test_the_incident_form_names_each_field_with_an_error(team_lead_client):
    response = team_lead_client.post(
        "/beheer/storingen/nieuw/",
        form_data(
            title_en="",
            channel_digital_applications="operational",
            expected_end_at=(timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_title_en_error"' in page
    assert 'id="id_channel_digital_applications_error"' in page
    assert "Choose at least one channel that is disrupted or down." in page
    assert "The expected end must be in the future." in page
    assert 'aria-invalid="true"' in page
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_resolve_without_a_closing_message_is_refused_with_the_field_named(team_lead_client, published_outage):
    response = team_lead_client.post(
        f"/beheer/storingen/{published_outage.pk}/afsluiten/", {"resolve_text_nl": "", "resolve_text_en": "x"}
    )
    assert response.status_code == 400
    assert 'id="id_resolve_text_nl_error"' in response.content.decode()
    published_outage.refresh_from_db()
    assert published_outage.resolved_at is None


@pytest.mark.django_db
def test_a_team_lead_lands_on_the_incidents_after_logging_in(team_lead):
    from justis.login.staff import staff_start_page
    from justis.roles import user_has_staff_role

    assert user_has_staff_role(team_lead)
    assert staff_start_page(team_lead) == "/beheer/storingen/"


@pytest.mark.django_db
def test_a_snapshot_with_an_unknown_channel_never_breaks_the_pages(client):
    from servicestatus.snapshot import SNAPSHOT_VERSION

    incident = {
        "id": 1,
        "title_nl": "Storing bij de post",
        "title_en": "Post disrupted",
        "text_nl": "Brieven komen later.",
        "text_en": "Letters arrive later.",
        "started_at": timezone.now().isoformat(),
        "expected_end_at": None,
        "resolved_at": None,
        "channels": [{"channel": "post", "state": "slow"}],
        "updates": [],
    }
    snapshot_write(
        {
            "version": SNAPSHOT_VERSION,
            "generated_at": timezone.now().isoformat(),
            "channels": {"post": "slow"},
            "open_incidents": [incident],
            "resolved_incidents": [],
        }
    )
    assert "Post disrupted" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "justis-status-badge--slow" in page.content.decode()
