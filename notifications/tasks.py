"""Delivery tasks: thin, idempotent, given ids only."""

from celery import shared_task


@shared_task(name="notifications.tasks.deliver_outbox_message")
def deliver_outbox_message(message_id: int) -> str:
    from .services import outbox_deliver

    return outbox_deliver(message_id=message_id)


@shared_task(name="notifications.tasks.outbox_sweep")
def outbox_sweep_task() -> int:
    from .services import outbox_sweep

    return outbox_sweep()
