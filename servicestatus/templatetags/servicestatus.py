"""The service status banner on every page, from the snapshot (Redis, else the file), never the database."""

from django import template
from django.utils.translation import get_language

from ..snapshot import snapshot_read, status_for_display

register = template.Library()


@register.inclusion_tag("servicestatus/_banner_content.html", takes_context=True)
def status_banner(context):
    if context.get("status_page"):
        return {"incidents": []}
    status = status_for_display(snapshot_read(), (get_language() or "nl")[:2])
    return {"incidents": status["open_incidents"]}
