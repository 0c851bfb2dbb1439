"""What keeps the busiest pages cheap: the status page never asks the database, MijnJustis asks little,
and an unchanged session is written at most once a minute instead of on every request."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

import pytest

from justis.login.session_refresh import RENEWED_KEY, idle_seconds_left, refresh_interval
from justis.roles import Role
from servicestatus import views as status_views
from servicestatus.snapshot import CACHE_KEY
from tests.portal import login_with_digid
from tests.staff import staff_user
from tests.test_servicestatus import open_screening_outage


@pytest.fixture(autouse=True)
def snapshot_file(settings, tmp_path):
    settings.STATUS_SNAPSHOT_FILE = tmp_path / "status.json"
    cache.delete(CACHE_KEY)
    status_views._rendered.clear()
    yield
    cache.delete(CACHE_KEY)


@pytest.mark.django_db
def test_the_status_page_makes_no_database_query_and_shows_a_new_incident_at_once(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_num_queries(0):
        assert "There are no incidents at the moment." in client.get("/status/", HTTP_ACCEPT_LANGUAGE="en").text
    with django_assert_num_queries(0):
        assert client.get("/status/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200  # from the rendered copy
    with django_capture_on_commit_callbacks(execute=True):
        open_screening_outage(
            staff_user("teamlead.justis", Role.TEAM_LEAD), title_nl="Storing betalen", title_en="Payments down"
        )
    with django_assert_num_queries(0):
        english = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en").text
        dutch = client.get("/status/", HTTP_ACCEPT_LANGUAGE="nl").text
    assert "Payments down" in english
    assert "Storing betalen" not in english
    assert "Storing betalen" in dutch


@pytest.mark.django_db
def test_mijnjustis_asks_the_database_a_bounded_number_of_times_and_does_not_write_the_session(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    login_with_digid(client, "999990019")
    client.get("/mijnjustis/")  # the first page after the login renews the session
    with django_assert_max_num_queries(3) as captured:
        assert client.get("/mijnjustis/").status_code == 200
    assert not any(q["sql"].startswith("UPDATE") for q in captured.captured_queries)


@pytest.mark.django_db
def test_an_unchanged_session_is_renewed_once_its_interval_has_passed(client, citizen, settings):
    assert refresh_interval() == 60  # a fifteenth of the 15 idle minutes
    client.force_login(citizen)
    client.get("/mijnjustis/")
    renewed = client.session[RENEWED_KEY]
    client.get("/mijnjustis/")
    assert client.session[RENEWED_KEY] == renewed  # not written again within the minute

    session = client.session
    session[RENEWED_KEY] = renewed - 61
    session.save()
    client.get("/mijnjustis/")
    assert client.session[RENEWED_KEY] > renewed - 61
    expiry_after = client.session.get_expiry_date() - timezone.now()
    assert expiry_after > timedelta(minutes=14)


@pytest.mark.django_db
def test_the_idle_warning_counts_from_the_last_renewal(client, citizen):
    client.force_login(citizen)
    client.get("/mijnjustis/")
    session = client.session
    renewed = session[RENEWED_KEY]
    assert idle_seconds_left(session, now=renewed + 30) == 15 * 60 - 30
    assert idle_seconds_left(session, now=renewed + 60) == 15 * 60  # due: this request renews it


@pytest.mark.django_db
def test_the_session_profile_links_a_changed_session_to_its_user(client, db):
    from sessionprofile.models import SessionProfile

    login_with_digid(client, "999990019")
    key = client.session.session_key
    citizen = SessionProfile.objects.get(session_key=key).user
    assert citizen.bsn == "999990019"
    SessionProfile.objects.filter(session_key=key).update(user=None)
    client.get("/mijnjustis/")  # unchanged session (renewed within the minute): the link is not read
    assert SessionProfile.objects.get(session_key=key).user is None
    client.post("/sessie/verlengen/")  # a changed session writes the link again
    assert SessionProfile.objects.get(session_key=key).user == citizen
