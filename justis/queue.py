"""Publishing Celery tasks: only after commit, and never failing the request when Redis is down.

The database row already says what work is due (``next_attempt_at``, ``render_due_at``), so a message
that cannot be published is only late: the sweeper publishes it again. Publishing problems are logged
as warnings, not raised into a request that has already committed.
"""

import logging
from functools import partial

from django.db import transaction

from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)


def publish(task, *args, queue: str | None = None) -> bool:
    """Publish ``task(*args)`` now (on ``queue`` when given, else its route).

    Returns False (and logs) when the broker cannot be reached."""
    try:
        if queue:
            task.apply_async(args, queue=queue)
        else:
            task.delay(*args)
    except BrokerUnavailable as exc:
        logger.warning("broker unavailable, %s%r waits for the sweeper: %s", task.name, args, exc)
        return False
    return True


def publish_on_commit(task, *args, queue: str | None = None) -> None:
    """Publish ``task(*args)`` once the current transaction commits (at once outside a transaction).

    The callback is a ``partial`` of ``publish``, so tests can see which task it publishes (and where).
    """
    if queue:
        transaction.on_commit(partial(publish, task, *args, queue=queue))
    else:
        transaction.on_commit(partial(publish, task, *args))


def publish_many_on_commit(task, argument_lists) -> None:
    """Publish one message per argument list after commit; stops at the first broker failure."""
    argument_lists = list(argument_lists)

    def run():
        for args in argument_lists:
            if not publish(task, *args):
                return

    transaction.on_commit(run)
