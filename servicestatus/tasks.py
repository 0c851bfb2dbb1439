"""Thin tasks: the fan-out of incident notices, one batch per message, and the snapshot refresh."""

from celery import shared_task


@shared_task(name="servicestatus.tasks.incident_notify")
def incident_notify(incident_id: int, phase: str, after: int = 0) -> int:
    from justis.queue import publish

    from .services import incident_notify_batch

    batch = incident_notify_batch(incident_id, phase, after=after)
    if batch.next_after is not None:
        publish(incident_notify, incident_id, phase, batch.next_after)
    return batch.handled


@shared_task(name="servicestatus.tasks.incident_notices_resume")
def incident_notices_resume() -> int:
    from .services import incident_notices_resume as resume

    return len(resume())


@shared_task(name="servicestatus.tasks.status_snapshot_refresh")
def status_snapshot_refresh() -> None:
    from .snapshot import snapshot_refresh

    snapshot_refresh()
