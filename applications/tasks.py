"""Periodic work of the digital channel. Thin: the services do the work."""

from celery import shared_task


@shared_task(name="applications.tasks.invitations_housekeeping")
def invitations_housekeeping() -> dict:
    from .invitations import invitations_expire, invitations_remind

    return {"reminded": invitations_remind(), "expired": invitations_expire()}


@shared_task(name="applications.tasks.bulk_upload_run")
def bulk_upload_run_task(upload_id: int) -> str:
    from .bulk import bulk_upload_run

    return bulk_upload_run(upload_id=upload_id)


@shared_task(name="applications.tasks.bulk_uploads_resume")
def bulk_uploads_resume_task() -> int:
    from .bulk import bulk_uploads_resume

    return bulk_uploads_resume()


@shared_task(name="applications.tasks.decision_periods_sweep")
def decision_periods_sweep_task() -> dict:
    from .deadlines import decision_delay_notices, decision_periods_sweep

    return {**decision_periods_sweep(), "delay_notices": decision_delay_notices()}
