"""Delivery tasks: thin, idempotent, given ids only."""

from celery import shared_task


@shared_task(name="notifications.tasks.deliver_outbox_message")
def deliver_outbox_message(message_id: int) -> str:
    from .services import outbox_deliver

    return outbox_deliver(message_id=message_id)


@shared_task(name="notifications.tasks.deliver_outbox_messages")
def deliver_outbox_messages(message_ids: list[int]) -> dict:
    """Deliver the messages a batch wrote; each on its own, as ``deliver_outbox_message`` does."""
    from .services import outbox_deliver

    results: dict[str, int] = {}
    for message_id in message_ids:
        result = outbox_deliver(message_id=message_id)
        results[result] = results.get(result, 0) + 1
    return results


@shared_task(name="notifications.tasks.outbox_sweep")
def outbox_sweep_task() -> int:
    from .services import outbox_sweep

    return outbox_sweep()
