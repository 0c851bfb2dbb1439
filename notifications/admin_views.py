"""Functional administrators read the message templates (/beheer/berichtsjablonen/): every event with its
subject and plain-text body, Dutch and English, rendered for a sample application. Nothing is saved or sent.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from justis.login.access import functional_admin_required

from .messages import message_samples


@functional_admin_required
@require_GET
def message_templates(request):
    samples = message_samples()
    for sample in samples:
        sample["template_subject"] = f"templates/notifications/email/{sample['event'].name}.subject.txt"
        sample["template_body"] = f"templates/notifications/email/{sample['event'].name}.body.txt"
    return render(request, "notifications/admin/templates.html", {"samples": samples})
