"""The operators' screen of message delivery (/beheer/berichten/): counts per channel and status, the
stuck messages, and putting them back for delivery. The services do the work and audit it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from justis.audit import Actor
from justis.login.access import operator_required

from .models import OutboxChannel, OutboxStatus
from .services import outbox_counts, outbox_resend, outbox_resend_parked, outbox_stuck


@require_GET
@operator_required
def overview(request):
    counts = outbox_counts()
    rows = [
        {
            "channel": channel,
            "label": label,
            "counts": [counts[channel][status] for status in OutboxStatus.values],
            "parked": counts[channel][OutboxStatus.PARKED],
        }
        for channel, label in OutboxChannel.choices
    ]
    return render(
        request,
        "notifications/operator.html",
        {"statuses": OutboxStatus.choices, "rows": rows, "stuck": outbox_stuck()},
    )


@require_POST
@operator_required
def resend(request, pk: int):
    if outbox_resend(message_id=pk, actor=Actor.user(request.user)):
        messages.success(request, gettext("The message is back in the queue and will be sent again."))
    else:
        messages.info(request, gettext("This message is not stuck (any more); nothing was changed."))
    return redirect("operator-messages:overview")


@require_POST
@operator_required
def resend_parked(request, channel: str):
    if channel not in OutboxChannel.values:
        raise Http404
    count = outbox_resend_parked(channel=channel, actor=Actor.user(request.user))
    messages.success(
        request,
        ngettext(
            "%(count)d parked message is back in the queue.",
            "%(count)d parked messages are back in the queue.",
            count,
        )
        % {"count": count},
    )
    return redirect("operator-messages:overview")
