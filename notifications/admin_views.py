"""Functional administrators read the message templates (/beheer/berichtsjablonen/): per event which wording
is in force today (the administration's version and since when, or the standard text in the files), with links
to change it or add a version, and every message rendered with that wording for a sample application, Dutch
and English. Nothing is saved or sent here; versions are written in the reference data admin (``admin.py``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from justis.login.access import functional_admin_required

from .channels import SMS_EVENTS
from .messages import events_with_templates, message_samples
from .models import DEFAULT_TEMPLATE, TemplateChannel
from .templates_in_force import template_in_force, templates_of


def wording_in_force(event: str, channel: str, day) -> dict:
    """Which wording of ``event`` on ``channel`` applies on ``day``, the next version after it, and the links."""
    version = template_in_force(event, channel, day)
    upcoming = [other for other in templates_of(event, channel) if other.valid_from > day]
    return {
        "event": event,
        "channel": TemplateChannel(channel),
        "version": version,
        "change_url": reverse("reference_admin:notifications_messagetemplate_change", args=[version.pk])
        if version
        else "",
        "history_url": reverse("reference_admin:notifications_messagetemplate_history", args=[version.pk])
        if version
        else "",
        "next": upcoming[0] if upcoming else None,
        "next_url": reverse("reference_admin:notifications_messagetemplate_change", args=[upcoming[0].pk])
        if upcoming
        else "",
        "add_url": reverse("reference_admin:notifications_messagetemplate_add")
        + "?"
        + urlencode({"event": event, "channel": channel}),
    }


def wordings(day) -> list[dict]:
    rows = []
    for name in [event.name for event in events_with_templates()] + [DEFAULT_TEMPLATE]:
        rows.append(wording_in_force(name, TemplateChannel.EMAIL, day))
        if name in SMS_EVENTS or name == DEFAULT_TEMPLATE:
            rows.append(wording_in_force(name, TemplateChannel.SMS, day))
    return rows


@functional_admin_required
@require_GET
def message_templates(request):
    today = timezone.localdate()
    rows = wordings(today)
    by_event: dict[str, list[dict]] = {}
    for row in rows:
        by_event.setdefault(row["event"], []).append(row)
    samples = message_samples()
    for sample in samples:
        sample["wordings"] = by_event.get(sample["event"].name, [])
    context = {
        "samples": samples,
        "wordings": rows,
        "today": today,
        "changelist_url": reverse("reference_admin:notifications_messagetemplate_changelist"),
    }
    return render(request, "notifications/admin/templates.html", context)
