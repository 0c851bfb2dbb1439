"""Incident notices: one per open application and per organisation that prepared one, never doubled."""

from datetime import date

from django.contrib.auth import get_user_model

import pytest

from applications.lifecycle import Status
from applications.models import Organisation
from justis.roles import Role
from notifications.models import OutboxMessage
from notifications.services import outbox_recipient, outbox_render
from servicestatus.models import ChannelState, ServiceChannel
from servicestatus.services import incident_notify_all, incident_notify_batch, incident_open, incident_resolve
from tests.factories import application_in, received_application
from tests.portal import prepare
from tests.staff import staff_user

User = get_user_model()


@pytest.fixture(autouse=True)
def snapshot_file(settings, tmp_path):
    settings.STATUS_SNAPSHOT_FILE = tmp_path / "status.json"


@pytest.fixture
def team_lead(db):
    return staff_user("teamlead.justis", Role.TEAM_LEAD)


def org_user(kvk, name, email):
    organisation = Organisation.objects.create(kvk_number=kvk, name=name)
    return User.objects.create(username=f"kvk-{kvk}", organisation=organisation, email=email)


@pytest.fixture
def applications(reference_data):
    """Four open applications (two prepared by an organisation with a contact address, one by an
    organisation without one, one from a municipality) and one decided."""
    with_address = org_user("11111111", "Zorg Noord B.V.", "hr@zorgnoord.example")
    without_address = org_user("22222222", "Taxi Zuid B.V.", "")
    return {
        "piet": prepare(with_address, given_names="Piet", surname="Pietersen", birth_date=date(1985, 1, 2)),
        "anna": prepare(with_address, given_names="Anna", surname="de Boer", birth_date=date(1992, 3, 4)),
        "kees": prepare(without_address, given_names="Kees", surname="Smit", birth_date=date(1979, 7, 8)),
        "jan": received_application(),
        "issued": application_in(Status.ISSUED, bsn="999990032"),
        "organisation": with_address.organisation,
    }


def open_incident(actor):
    return incident_open(
        actor=actor,
        title_nl="Storing bij het screenen",
        title_en="Screening disrupted",
        text_nl="Aanvragen worden later beoordeeld.",
        text_en="Applications will be assessed later.",
        channels={ServiceChannel.SCREENING: ChannelState.DOWN},
    )


def notices(event):
    return OutboxMessage.objects.filter(event=event)


@pytest.mark.django_db
def test_one_notice_per_open_application_and_per_organisation_with_an_address(team_lead, applications):
    incident = open_incident(team_lead)
    incident_notify_all(incident.pk, "opened")
    opened = notices("incident_opened")
    assert sorted(m.application_id for m in opened if m.application_id) == sorted(
        applications[name].pk for name in ("piet", "anna", "kees", "jan")
    )
    organisation_notices = [m for m in opened if m.application_id is None]
    assert len(organisation_notices) == 1
    assert organisation_notices[0].payload["organisation"] == applications["organisation"].pk
    assert outbox_recipient(organisation_notices[0]) == "hr@zorgnoord.example"
    assert not opened.filter(application=applications["issued"]).exists()


@pytest.mark.django_db
def test_a_rerun_and_smaller_batches_never_double_a_notice(team_lead, applications, settings):
    incident = open_incident(team_lead)
    settings.STATUS_NOTIFY_BATCH_SIZE = 2
    incident_notify_all(incident.pk, "opened")
    assert notices("incident_opened").count() == 5
    settings.STATUS_NOTIFY_BATCH_SIZE = 500
    incident_notify_all(incident.pk, "opened")
    assert notices("incident_opened").count() == 5


@pytest.mark.django_db
def test_the_task_writes_one_batch_and_queues_the_next(team_lead, applications, settings, monkeypatch):
    from servicestatus import tasks

    published = []
    monkeypatch.setattr("justis.queue.publish", lambda task, *args: published.append((task, args)))
    settings.STATUS_NOTIFY_BATCH_SIZE = 3
    incident = open_incident(team_lead)
    assert tasks.incident_notify(incident.pk, "opened", 0) == 3
    assert notices("incident_opened").filter(application__isnull=False).count() == 3
    ((task, (incident_id, phase, after)),) = published
    assert (task, incident_id, phase) == (tasks.incident_notify, incident.pk, "opened")
    published.clear()
    assert tasks.incident_notify(incident.pk, "opened", after) == 1
    assert published == []  # the last batch
    assert notices("incident_opened").filter(application__isnull=False).count() == 4


def test_the_fan_out_runs_on_the_notifications_queue():
    from justis.celery import app

    assert app.amqp.router.route({}, "servicestatus.tasks.incident_notify")["queue"].name == "notifications"


@pytest.mark.django_db
def test_opening_queues_the_fan_out_after_commit(team_lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        incident = open_incident(team_lead)
    name = "servicestatus.tasks.incident_notify"
    queued = [c for c in callbacks if getattr(c, "args", None) and c.args[0].name == name]
    assert [c.args[1:] for c in queued] == [(incident.pk, "opened", 0)]


@pytest.mark.django_db
def test_the_resolved_notice_goes_to_everyone_who_was_told(team_lead, applications):
    incident = open_incident(team_lead)
    incident_notify_all(incident.pk, "opened")
    incident_resolve(incident.pk, actor=team_lead, text_nl="Alles werkt weer.", text_en="All works again.")
    assert incident_notify_all(incident.pk, "opened") == 0  # nothing new is announced after the end
    incident_notify_all(incident.pk, "resolved")
    incident_notify_all(incident.pk, "resolved")
    resolved = notices("incident_resolved")
    assert resolved.count() == 5
    assert sorted(m.application_id or 0 for m in resolved) == sorted(
        m.application_id or 0 for m in notices("incident_opened")
    )
    organisation_notice = resolved.get(application__isnull=True)
    assert outbox_recipient(organisation_notice) == "hr@zorgnoord.example"


@pytest.mark.django_db
def test_the_resolved_phase_waits_for_the_resolve(team_lead, applications):
    incident = open_incident(team_lead)
    incident_notify_all(incident.pk, "opened")
    assert incident_notify_batch(incident.pk, "resolved").handled == 0
    assert not notices("incident_resolved").exists()


@pytest.mark.django_db
def test_the_notices_are_dutch_then_english_and_name_the_application(team_lead, applications):
    incident = open_incident(team_lead)
    incident_notify_all(incident.pk, "opened")
    message = notices("incident_opened").get(application=applications["jan"])
    subject, body = outbox_render(message)
    assert subject == "Storing bij Justis: Storing bij het screenen / Incident at Justis: Screening disrupted"
    assert body.index("Aanvragen worden later beoordeeld.") < body.index("Applications will be assessed later.")
    assert f"uw aanvraag {applications['jan'].reference}" in body
    assert "/status/" in body
    organisation_subject, organisation_body = outbox_render(notices("incident_opened").get(application__isnull=True))
    assert "aanvragen die uw organisatie heeft klaargezet" in organisation_body
    incident_resolve(incident.pk, actor=team_lead, text_nl="Opgelost.", text_en="Solved.")
    incident_notify_all(incident.pk, "resolved")
    subject, body = outbox_render(notices("incident_resolved").get(application=applications["jan"]))
    assert subject.startswith("Storing voorbij: Storing bij het screenen")
    assert "The incident at Justis is over" in body


def age(incident, seconds):
    """Make the incident (its publication, resolve and last batch) ``seconds`` older."""
    from datetime import timedelta

    from servicestatus.models import Incident

    incident.refresh_from_db()
    shift = timedelta(seconds=seconds)
    Incident.objects.filter(pk=incident.pk).update(
        created_at=incident.created_at - shift,
        resolved_at=incident.resolved_at - shift if incident.resolved_at else None,
        notices_touched_at=incident.notices_touched_at - shift if incident.notices_touched_at else None,
    )


def resume_queued(monkeypatch):
    """Run the resume job; returns the (incident, phase, after) of the tasks it published."""
    from servicestatus import services

    published = []
    monkeypatch.setattr(services, "publish", lambda task, *args: published.append(args) or True)
    services.incident_notices_resume(stale_after_seconds=120)
    return published


@pytest.mark.django_db
def test_a_lost_fan_out_is_started_again_and_adds_only_what_was_missing(team_lead, applications, monkeypatch):
    incident = open_incident(team_lead)
    incident_notify_batch(incident.pk, "opened", size=2)  # the chain stops after the first batch
    assert notices("incident_opened").filter(application__isnull=False).count() == 2
    assert resume_queued(monkeypatch) == []  # a chain that ran just now is left alone
    age(incident, 300)
    assert resume_queued(monkeypatch) == [(incident.pk, "opened", 0)]
    assert resume_queued(monkeypatch) == []  # queued once; it is not queued again at once
    incident_notify_all(incident.pk, "opened")  # what the queued task does
    assert notices("incident_opened").filter(application__isnull=False).count() == 4
    assert notices("incident_opened").count() == 5  # the first two were not written again
    age(incident, 300)
    assert resume_queued(monkeypatch) == []  # done

    incident_resolve(incident.pk, actor=team_lead, text_nl="Opgelost.", text_en="Solved.")
    age(incident, 300)  # the resolved phase never ran (its message was lost)
    assert resume_queued(monkeypatch) == [(incident.pk, "resolved", 0)]
    incident_notify_all(incident.pk, "resolved")
    assert notices("incident_resolved").count() == 5
    age(incident, 300)
    assert resume_queued(monkeypatch) == []


@pytest.mark.django_db
def test_publishing_updating_and_resolving_are_audited(team_lead, applications):
    from justis.models import AuditEvent
    from servicestatus.services import incident_update

    incident = open_incident(team_lead)
    incident_update(
        incident.pk,
        actor=team_lead,
        text_nl="Het duurt langer.",
        text_en="It takes longer.",
        channels={ServiceChannel.SCREENING: ChannelState.DEGRADED},
    )
    incident_resolve(incident.pk, actor=team_lead, text_nl="Opgelost.", text_en="Solved.")
    events = AuditEvent.objects.filter(subject_type="incident", subject_id=str(incident.pk)).order_by("id")
    assert [e.action for e in events] == ["incident.published", "incident.updated", "incident.resolved"]
    assert {e.actor_label for e in events} == {"teamlead.justis"}
    assert events[0].data["channels"] == {"screening": "down"}
    assert events[1].data["channels"] == {"screening": "degraded"}
