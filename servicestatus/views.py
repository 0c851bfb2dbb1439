"""The public status page (from the snapshot only) and the team leads' incident screens."""

import json
from datetime import timedelta

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from justis.login.access import team_lead_required

from .forms import IncidentOpenForm, IncidentResolveForm, IncidentUpdateForm
from .models import Incident
from .services import IncidentClosed, incident_open, incident_resolve, incident_update
from .snapshot import HISTORY_DAYS, snapshot_read, status_for_display

STATUS_MAX_AGE_SECONDS = 15


# The rendered status content per (snapshot, language, minute), in this process: most requests only read
# the snapshot from Redis. The minute makes incidents resolved more than 7 days ago leave the page.
_rendered: dict[tuple, str] = {}
RENDERED_KEEP = 16


def status_content(data: dict | None, language: str) -> str:
    now = timezone.now()
    key = (json.dumps(data, sort_keys=True), language, now.strftime("%Y%m%d%H%M"))
    html = _rendered.get(key)
    if html is None:
        status = status_for_display(data, language, now=now)
        html = mark_safe(render_to_string("servicestatus/_status_content.html", {"status": status}))  # noqa: S308 - rendered by the template engine, escaped there
        if len(_rendered) >= RENDERED_KEEP:
            _rendered.clear()
        _rendered[key] = html
    return html


@require_GET
def status_page(request):
    """Public, no login, never the database: the snapshot from Redis or the file."""
    content = status_content(snapshot_read(), (get_language() or "nl")[:2])
    return render(request, "servicestatus/status.html", {"status_content": content, "status_page": True})


@require_GET
def status_json(request):
    data = snapshot_read() or {}
    since = (timezone.now() - timedelta(days=HISTORY_DAYS)).isoformat()
    status = status_for_display(data, "nl")
    body = {
        "generated_at": data.get("generated_at"),
        "channels": [{"channel": c["code"], "state": c["state"]} for c in status["channels"]],
        "open_incidents": data.get("open_incidents", []),
        "resolved_incidents": [i for i in data.get("resolved_incidents", []) if (i.get("resolved_at") or "") >= since],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={STATUS_MAX_AGE_SECONDS}"
    return response


@team_lead_required
def incident_list(request):
    incidents = Incident.objects.prefetch_related("channels")
    return render(
        request,
        "servicestatus/incident_list.html",
        {
            "open_incidents": incidents.filter(resolved_at__isnull=True),
            "resolved_incidents": incidents.filter(resolved_at__isnull=False).order_by("-resolved_at")[:20],
        },
    )


@team_lead_required
def incident_new(request):
    form = IncidentOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = incident_open(
            actor=request.user,
            title_nl=data["title_nl"],
            title_en=data["title_en"],
            text_nl=data["text_nl"],
            text_en=data["text_en"],
            channels=data["channels"],
            expected_end_at=data["expected_end_at"],
        )
        messages.success(request, _("The incident is published on the status page and in the banner."))
        return redirect("servicestatus:detail", pk=incident.pk)
    return render(request, "servicestatus/incident_form.html", {"form": form})


def _detail(request, incident, *, update_form=None, resolve_form=None, status=200):
    current = {c.channel: c.state for c in incident.channels.all()}
    return render(
        request,
        "servicestatus/incident_detail.html",
        {
            "incident": incident,
            "update_form": update_form or IncidentUpdateForm(current_channels=current),
            "resolve_form": resolve_form or IncidentResolveForm(),
        },
        status=status,
    )


@team_lead_required
def incident_detail(request, pk):
    incident = get_object_or_404(Incident.objects.prefetch_related("channels", "updates"), pk=pk)
    return _detail(request, incident)


@team_lead_required
@require_POST
def incident_add_update(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = IncidentUpdateForm(request.POST)
    if not form.is_valid():
        return _detail(request, incident, update_form=form, status=400)
    data = form.cleaned_data
    try:
        incident_update(
            incident.pk,
            actor=request.user,
            text_nl=data["text_nl"],
            text_en=data["text_en"],
            channels=data["channels"],
            expected_end_at=data["expected_end_at"],
        )
    except IncidentClosed:
        messages.error(request, _("This incident is resolved already; it can no longer be changed."))
    else:
        messages.success(request, _("The update is published."))
    return redirect("servicestatus:detail", pk=incident.pk)


@team_lead_required
@require_POST
def incident_close(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = IncidentResolveForm(request.POST)
    if not form.is_valid():
        return _detail(request, incident, resolve_form=form, status=400)
    try:
        incident_resolve(
            incident.pk,
            actor=request.user,
            text_nl=form.cleaned_data["resolve_text_nl"],
            text_en=form.cleaned_data["resolve_text_en"],
        )
    except IncidentClosed:
        messages.error(request, _("This incident is resolved already; it can no longer be changed."))
    else:
        messages.success(request, _("The incident is resolved. Everyone who was told of it hears that it is over."))
    return redirect("servicestatus:detail", pk=incident.pk)
