"""Celery tasks of the platform itself. Thin: they call the services."""

from celery import shared_task


@shared_task(name="justis.tasks.retention_daily")
def retention_daily() -> dict:
    """The daily retention run (beat, settings.CELERY_BEAT_SCHEDULE["retention-daily"]); safe to repeat."""
    from .retention import retention_run

    return retention_run().counts()
