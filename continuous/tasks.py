"""Celery tasks of continuous screening, on their own queue ``continuous`` (settings.CELERY_TASK_ROUTES).

Thin: they call the services. The daily run is scheduled by beat; while the JDS does not answer it
retries itself with back-off, and beat's resume job re-queues a waiting run whose retry was lost.
"""

from datetime import date

from celery import shared_task

from .models import RunStatus


@shared_task(bind=True, name="continuous.tasks.continuous_daily_run", max_retries=None)
def continuous_daily_run(self, day: str | None = None) -> str:
    from django.utils import timezone

    from .services import continuous_run, run_retry_delay

    day = date.fromisoformat(day) if day else timezone.localdate()
    run = continuous_run(day=day)
    if run is None:
        return "skipped"
    if run.status == RunStatus.WAITING:
        raise self.retry(args=[day.isoformat()], countdown=run_retry_delay(run.attempts).total_seconds())
    return run.status


@shared_task(name="continuous.tasks.continuous_resume")
def continuous_resume() -> list[str]:
    from .services import continuous_resume as resume

    return [day.isoformat() for day in resume()]
