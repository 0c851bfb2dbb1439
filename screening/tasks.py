"""Celery tasks: thin, idempotent, given ids only. The services do the work."""

from django.conf import settings

from celery import shared_task


@shared_task(name="screening.tasks.assess_application")
def assess_application(application_id: int) -> str:
    from .services import assessment_run

    return assessment_run(application_id=application_id)


@shared_task(name="screening.tasks.assess_batch")
def assess_batch(size: int | None = None) -> dict:
    """Assess a batch of the waiting applications; while a full batch was found, queue the next one."""
    from justis.queue import publish

    from .batch import assessment_batch

    result = assessment_batch(size=size)
    if result["claimed"] and result["claimed"] >= (size or settings.ASSESSMENT_BATCH_SIZE):
        publish(assess_batch, size)
    return result


@shared_task(name="screening.tasks.render_certificate")
def render_certificate(certificate_id: int) -> bool:
    from .services import certificate_render

    return certificate_render(certificate_id=certificate_id)


@shared_task(name="screening.tasks.render_certificates")
def render_certificates(certificate_ids: list[int]) -> int:
    """Render the certificates a batch issued, one after the other; returns how many were rendered."""
    from .services import certificate_render

    return sum(certificate_render(certificate_id=pk) for pk in certificate_ids)


@shared_task(name="screening.tasks.sweep_stalled_work")
def sweep_stalled_work() -> dict:
    from .services import sweep_stalled_work as sweep

    return sweep()
