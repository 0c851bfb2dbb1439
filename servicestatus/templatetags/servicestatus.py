"""The service status banner on every page, from the snapshot (Redis, else the file), never the database."""

import logging

from django import template
from django.utils.translation import get_language

from ..snapshot import snapshot_read, status_for_display

logger = logging.getLogger(__name__)
register = template.Library()


@register.inclusion_tag("servicestatus/_banner_content.html", takes_context=True)
def status_banner(context):
    if context.get("status_page"):
        return {"incidents": []}
    try:
        status = status_for_display(snapshot_read(), (get_language() or "nl")[:2])
    except Exception:  # noqa: BLE001 - a damaged snapshot must never break every page
        logger.exception("status banner: the snapshot could not be shown")
        return {"incidents": []}
    return {"incidents": status["open_incidents"]}
