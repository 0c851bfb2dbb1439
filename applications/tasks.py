"""Periodic work of the digital channel. Thin: the services do the work."""

from celery import shared_task


@shared_task(name="applications.tasks.invitations_housekeeping")
def invitations_housekeeping() -> dict:
    from .invitations import invitations_expire, invitations_remind

    return {"reminded": invitations_remind(), "expired": invitations_expire()}
