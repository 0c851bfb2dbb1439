"""Celery tasks: thin, idempotent, given ids only. The services do the work."""

from celery import shared_task


@shared_task(name="screening.tasks.assess_application")
def assess_application(application_id: int) -> str:
    from .services import assessment_run

    return assessment_run(application_id=application_id)


@shared_task(name="screening.tasks.render_certificate")
def render_certificate(certificate_id: int) -> bool:
    from .services import certificate_render

    return certificate_render(certificate_id=certificate_id)


@shared_task(name="screening.tasks.sweep_stalled_work")
def sweep_stalled_work() -> dict:
    from .services import sweep_stalled_work as sweep

    return sweep()
